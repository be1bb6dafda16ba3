import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/index.js';
import { cli, ROOT, spawnCli, readReport, tempDir } from './cli-harness.js';

const SAMPLE = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');

/** Exit code 2 and exactly one line on stderr that matches, with no stack trace. */
function expectOneLineError(
  result: { code: number; stderr: string; stdout: string },
  line: RegExp,
): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function normalizedFile(...rows: string[]): string {
  const path = join(tempDir(), 'feed.csv');
  writeFileSync(path, [NORMALIZED_CSV_HEADER, ...rows].join('\n') + '\n');
  return path;
}

const GOOD_QUOTE = '1700000000000000,binance,BTCUSDT,quote,,,,100.00,1,100.01,1,';

describe('bad feed input: exit 2, one line naming file, line, field and reason', () => {
  it.each([
    [
      'a non-numeric price',
      '1700000000001000,binance,BTCUSDT,trade,buy,abc,0.1,,,,,1',
      /feed\.csv:3: price: .*"abc"/,
    ],
    [
      'a non-positive price',
      '1700000000001000,binance,BTCUSDT,trade,buy,0,0.1,,,,,1',
      /feed\.csv:3: price: .*"0"/,
    ],
    [
      'a negative size',
      '1700000000001000,binance,BTCUSDT,trade,buy,100.00,-0.1,,,,,1',
      /feed\.csv:3: size: .*"-0\.1"/,
    ],
    ['a malformed line', '1700000000001000,binance,BTCUSDT', /feed\.csv:3: .*columns/],
    [
      'a time far back',
      '1600000000000000,binance,BTCUSDT,trade,buy,100.00,0.1,,,,,1',
      /feed\.csv:3: ts_us: .*before the latest/,
    ],
  ])('%s', async (_what, badRow, message) => {
    const file = normalizedFile(GOOD_QUOTE, badRow, GOOD_QUOTE);
    const result = await cli(['replay', file, '--accounts', '10']);
    expectOneLineError(result, message);
    expect(result.stderr).toMatch(/\[E_FEED_(BAD_FIELD|MALFORMED_LINE|OUT_OF_ORDER)\]$/m);
  });

  it('an empty file', async () => {
    const path = join(tempDir(), 'empty.csv');
    writeFileSync(path, '');
    expectOneLineError(await cli(['replay', path]), /empty\.csv: .*\[E_FEED_EMPTY\]$/);
  });

  it('an unknown format', async () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'hello world\nthis is not market data\n');
    expectOneLineError(await cli(['replay', path]), /notes\.txt: .*\[E_FEED_UNKNOWN_FORMAT\]$/);
  });

  it('a missing file', async () => {
    expectOneLineError(
      await cli(['replay', 'no/such/file.gz']),
      /no\/such\/file\.gz: .*\[E_FEED_NOT_FOUND\]$/,
    );
  });

  it('a truncated gzip, from the real command', () => {
    const whole = readFileSync(join(ROOT, SAMPLE));
    const path = join(tempDir(), 'cut.gz');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    expectOneLineError(
      spawnCli(['replay', path]),
      /cut\.gz: -: truncated gzip: .*after line \d+.*\[E_FEED_TRUNCATED_GZIP\]$/,
    );
  });

  it('skips and counts bad lines with --on-bad-line skip, and says so', async () => {
    const file = normalizedFile(
      GOOD_QUOTE,
      '1700000000001000,binance,BTCUSDT,trade,buy,abc,0.1,,,,,1',
      '1700000000002000,binance,BTCUSDT,quote,,,,100.00,1,100.01,1,',
      'garbage',
    );
    const out = tempDir();
    const result = await cli([
      'replay',
      file,
      '--on-bad-line',
      'skip',
      '--accounts',
      '10',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 bad lines skipped');
    const report = readReport(out);
    expect(report.inputs.files[0]).toMatchObject({ badLines: 2, events: 2 });
    expect(report.inputs.onBadLine).toBe('skip');

    const one = await cli([
      'replay',
      normalizedFile(GOOD_QUOTE, 'garbage'),
      '--on-bad-line',
      'skip',
      '--accounts',
      '10',
    ]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('; 1 bad line skipped\n');
  });

  it('reads a gzipped feed whatever its name, and a plain one named .gz', async () => {
    const dir = tempDir();
    const text = [NORMALIZED_CSV_HEADER, GOOD_QUOTE].join('\n') + '\n';
    writeFileSync(join(dir, 'zipped.csv'), gzipSync(text));
    writeFileSync(join(dir, 'plain.gz'), text);
    for (const name of ['zipped.csv', 'plain.gz']) {
      const result = await cli(['replay', join(dir, name), '--accounts', '5', '--json']);
      expect(result.code).toBe(0);
    }
  });
});

describe('bad usage: exit 2 with one line', () => {
  it.each([
    [['replay', SAMPLE, '--weight', '150'], /--weight: 150 is outside 0–100/],
    [['replay', SAMPLE, '--weight', 'ten'], /--weight: expected a number, got "ten"/],
    [['replay', SAMPLE, '--weight', '10.005'], /0\.01/],
    [['replay', SAMPLE, '--accounts', '0'], /--accounts: 0 is outside/],
    [['replay', SAMPLE, '--seed', '-3'], /--seed/],
    [['replay', SAMPLE, '--inject', 'canary:latency=fast'], /E_INJECT_SPEC/],
    [['replay', SAMPLE, '--canary', 'momentum@9.9.9'], /momentum@9\.9\.9.*\[E_STRATEGY_UNKNOWN\]/],
    [
      ['replay', SAMPLE, '--canary', 'no/such/strategy.mjs'],
      /no\/such\/strategy\.mjs.*\[E_STRATEGY_LOAD\]/,
    ],
    [['replay', SAMPLE, '--canary-params', '{oops'], /--canary-params: not valid JSON/],
    [
      ['replay', SAMPLE, '--canary-params', '{"fastMs":-1}'],
      /--canary-params: invalid parameters.*\[E_STRATEGY_PARAMS\]/,
    ],
    [['replay', SAMPLE, '--salt', 'a:b'], /salt/],
    [['replay', SAMPLE, '--format', 'csv'], /--format.*csv/],
    [['replay', SAMPLE, '--bogus'], /unknown option '--bogus'/],
    [['replay'], /missing required argument/],
    [['route', 'a', '--weight', '-1'], /--weight/],
    [['generate-feed', '--seed', '1'], /exactly one of --minutes or --events/],
    [
      ['generate-feed', '--events', '10', '--tick-size', '1e-5'],
      /--tick-size: expected a positive decimal number like 0\.01, got "1e-5" \[E_USAGE\]$/,
    ],
    [['generate-feed', '--events', '10', '--start-price', '-5'], /--start-price: .*"-5"/],
    [
      ['generate-feed', '--events', '10', '--start-price', '0.500001', '--tick-size', '0.00005'],
      /startPrice: '0\.500001' has 6 decimals, more than the 5 of the tick size 0\.00005: .*tick grid/,
    ],
    [
      ['generate-feed', '--events', '10', '--format', 'binance-csv-trades', '--symbol', 'btcusdt'],
      /symbol: .*upper-case letters and digits only.*\[E_USAGE\]$/,
    ],
    [['generate-feed', '--events', '10', '--format', 'csv'], /--format.*csv/],
  ])('%j', async (args, message) => {
    expectOneLineError(await cli(args), message);
  });

  it.each([
    [
      ['replay', SAMPLE, '--accounts', '5', '--out', '/dev/null/run'],
      /cannot write \/dev\/null\/run: .*\[E_OUTPUT\]$/,
    ],
    [
      ['generate-feed', '--events', '10', '--out', '/dev/null/feed.csv'],
      /cannot write \/dev\/null\/feed\.csv: .*\[E_OUTPUT\]$/,
    ],
  ])('an output that cannot be written: %j', async (args, message) => {
    expectOneLineError(await cli(args), message);
  });

  it('a bad accounts file names its line and field', async () => {
    const path = join(tempDir(), 'accounts.csv');
    writeFileSync(path, 'account_id,capital\na,100\nb,lots\n');
    expectOneLineError(
      await cli(['replay', SAMPLE, '--accounts', path]),
      /accounts\.csv:3: capital: not a positive number \("lots"\) \[E_ACCOUNTS_FILE\]$/,
    );
  });

  it('no command prints the help and exits 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: strategy-canary/);
  });

  it('--help and --version exit 0', async () => {
    const help = await cli(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--on-bad-line <policy>/);
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
