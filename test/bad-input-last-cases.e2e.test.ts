import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/index.js';
import { cli, SAMPLES, tempDir } from './cli-harness.js';
import { expectOneLineError } from './expect-one-line-error.js';

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');

/** The names in a directory, sorted. */
function list(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('replay --out: fail fast, never a mixed directory (issue 11, item 10)', () => {
  it.runIf(existsSync('/proc/self'))('--out under /proc fails with E_OUTPUT at once', async () => {
    expectOneLineError(
      await cli(['replay', SAMPLE, '--accounts', '5', '--out', '/proc/nope']),
      /cannot write \/proc\/nope: .*\[E_OUTPUT\]$/,
    );
  });

  it('a failed replay into an existing run directory leaves the previous run untouched', async () => {
    const out = join(tempDir(), 'run');
    const first = await cli(['replay', SAMPLE, '--accounts', '5', '--no-progress', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const before = list(out);
    const json = readFileSync(join(out, 'report.json'), 'utf8');
    // A rollout (which writes audit.jsonl as it goes) over a good file, then a bad one.
    const bad = join(tempDir(), 'bad.csv');
    writeFileSync(bad, `${NORMALIZED_CSV_HEADER}\n1723161260000000,binance,BTCUSDT,garbage\n`);
    const failed = await cli([
      'replay',
      SAMPLE,
      bad,
      '--plan',
      'short',
      '--accounts',
      '5',
      '--no-progress',
      '--out',
      out,
    ]);
    expectOneLineError(failed, /bad\.csv:2: .*\[E_FEED_MALFORMED_LINE\]$/);
    expect(list(out)).toEqual(before);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(json);
    const report = await cli(['report', out]);
    expect(report.code, report.stderr).toBe(0);
  });

  it('a failed replay into a new --out directory creates nothing', async () => {
    const parent = tempDir();
    const out = join(parent, 'a', 'b');
    const bad = join(parent, 'bad.csv');
    writeFileSync(bad, `${NORMALIZED_CSV_HEADER}\ngarbage\n`);
    const result = await cli(['replay', bad, '--accounts', '5', '--out', out]);
    expectOneLineError(result, /\[E_FEED_MALFORMED_LINE\]$/);
    expect(list(parent)).toEqual(['bad.csv']);
  });

  it('a report that cannot be written never leaves report.json without report.html', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'report.html', 'in-the-way'), { recursive: true });
    const result = await cli(['replay', SAMPLE, '--accounts', '5', '--no-progress', '--out', out]);
    expectOneLineError(result, /\[E_OUTPUT\]$/);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(list(out).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('a successful replay over a previous run replaces its files and leaves no temporary file', async () => {
    const out = tempDir();
    const rollout = await cli([
      'replay',
      SAMPLE,
      '--plan',
      'short',
      '--accounts',
      '5',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(rollout.code, rollout.stderr).toBe(0);
    expect(list(out)).toContain('audit.jsonl');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const fixed = await cli(['replay', SAMPLE, '--accounts', '5', '--no-progress', '--out', out]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(join(out, 'report.json'));
    expect(list(out)).toEqual([
      'accounts.csv',
      'fills.csv',
      'notes.txt',
      'report.html',
      'report.json',
      'report.md',
      'timing.json',
    ]);
  });
});

describe('feeds: long lines, header only, duplicate trade ids (issue 11, item 11)', () => {
  const trade = (ts: number, id: number): string =>
    `${ts},binance,BTCUSDT,trade,buy,100.00,0.1,,,,,${id}`;

  it('a 16.5 MiB line is refused with E_FEED_MALFORMED_LINE', async () => {
    const path = join(tempDir(), 'long.csv');
    const line = 'x'.repeat(16 * 1024 * 1024 + 512 * 1024);
    writeFileSync(path, `${NORMALIZED_CSV_HEADER}\n${trade(1700000000000000, 1)}\n${line}\n`);
    expectOneLineError(
      await cli(['replay', path, '--accounts', '5']),
      /long\.csv:3: -: line longer than 16777216 bytes \[E_FEED_MALFORMED_LINE\]$/,
    );
  });

  it.each([
    ['normalized', `${NORMALIZED_CSV_HEADER}\n\n`, 'feed.csv'],
    [
      'binance-csv-trades',
      'id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n',
      'BTCUSDT-trades-2024-08-08.csv',
    ],
  ])('a header-only %s file is E_FEED_EMPTY', async (_format, text, name) => {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    expectOneLineError(
      await cli(['replay', path, '--accounts', '5']),
      /: -: no data: a header line only \[E_FEED_EMPTY\]$/,
    );
  });

  it('a repeated trade id is skipped and counted, in the summary and report.json', async () => {
    const path = join(tempDir(), 'dup.csv');
    const rows = [1, 2, 3, 3, 4, 2].map((id, i) => trade(1700000000000000 + i * 1000, id));
    writeFileSync(path, [NORMALIZED_CSV_HEADER, ...rows].join('\n') + '\n');
    const out = join(tempDir(), 'run');
    const result = await cli(['replay', path, '--accounts', '5', '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('skipped 2 duplicateTradeId');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      inputs: { files: { trades: number; skipped: Record<string, number> }[] };
    };
    expect(report.inputs.files[0]).toMatchObject({
      trades: 4,
      skipped: { duplicateTradeId: 2 },
    });
  });
});

describe('bad usage, the last cases (issue 11, item 12)', () => {
  it.each([
    [
      ['--plan', 'standrad'],
      /--plan: "standrad" is neither a preset \(standard, .*short\) nor a plan file; did you mean standard\? \[E_PLAN\]$/,
    ],
    [['--plan', 'zzzz'], /--plan: "zzzz" is neither a preset .* nor a plan file \[E_PLAN\]$/],
    [
      ['--accounts', '-3'],
      /--accounts: expected a positive whole number of accounts \(1–1000000\) or an accounts CSV file, got "-3" \[E_USAGE\]$/,
    ],
    [['--accounts', '3.5'], /--accounts: .* got "3\.5" \[E_USAGE\]$/],
    [
      ['--canary-params', '{"fastMS":1}'],
      /^strategy-canary: --canary-params: invalid parameters for momentum@2\.0\.0: [^@]*"fastMS" \(did you mean fastMs\?\) \[E_STRATEGY_PARAMS\]$/,
    ],
  ])('replay %j', async (args, message) => {
    expectOneLineError(await cli(['replay', SAMPLE, ...args]), message);
  });

  it.each([
    [['replay'], /^strategy-canary: missing required argument 'feed-file' \[E_USAGE\]$/],
    [['replay', SAMPLE, '--bogus'], /^strategy-canary: unknown option '--bogus' \[E_USAGE\]$/],
    [
      ['replay', SAMPLE, '--jsn'],
      /^strategy-canary: unknown option '--jsn' \(Did you mean --json\?\) \[E_USAGE\]$/,
    ],
    [['replay', SAMPLE, '--format', 'csv'], /^strategy-canary: .*'csv'.* \[E_USAGE\]$/],
    [['bogus-command'], /^strategy-canary: unknown command 'bogus-command' \[E_USAGE\]$/],
  ])("commander's own errors in the project's format: %j", async (args, message) => {
    expectOneLineError(await cli(args), message);
  });

  it('a bad option creates no --out directory', async () => {
    const parent = tempDir();
    const result = await cli([
      'replay',
      SAMPLE,
      '--plan',
      'standrad',
      '--out',
      join(parent, 'run'),
    ]);
    expectOneLineError(result, /\[E_PLAN\]$/);
    expect(list(parent)).toEqual([]);
  });
});
