import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/index.js';
import { bucketOf } from '../src/router/index.js';
import { BIN, cli, readReport, tempDir } from './cli-harness.js';

describe('route', () => {
  it('prints each account’s bucket and arm, as the documented hash gives them', async () => {
    const ids = ['acct-0001', 'acct-0002', 'bot-7', 'ünïcode-账户'];
    const result = await cli(['route', ...ids, '--salt', 'spring-rollout', '--weight', '12.5']);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(ids.length);
    ids.forEach((id, i) => {
      const bucket = bucketOf('spring-rollout', id);
      expect(rows[i]!.split(/\s+/)).toEqual([
        id,
        String(bucket),
        bucket < 1250 ? 'canary' : 'stable',
      ]);
    });
  });

  it('with --candidates, prints each account’s lane and its candidate or stable, as docs/bucketing.md cuts them', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `acct-${i}`);
    const result = await cli(['route', ...ids, '--candidates', '3', '--weight', '50']);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trim().split('\n');
    expect(header).toMatch(
      /^accountId +bucket +lane +arm .*3 candidates, each at 5000 bps of its lane/,
    );
    // Lanes of ⌊10000 / 3⌋ = 3333 buckets (bucket 9999 with the last); 50 % of one is 1666.
    const expected = ids.map((id) => {
      const bucket = bucketOf('strategy-canary', id);
      const lane = Math.min(Math.floor(bucket / 3333), 2);
      const inLane = bucket - lane * 3333;
      return [id, String(bucket), `c${lane + 1}`, inLane < 1666 ? `c${lane + 1}` : 'stable'];
    });
    expect(rows.map((row) => row.split(/\s+/))).toEqual(expected);
    expect(new Set(expected.map((row) => row[3]))).toEqual(new Set(['c1', 'c2', 'c3', 'stable']));
  });

  it('prints JSON lines with --json', async () => {
    const result = await cli(['route', 'a', 'b', '--salt', 's', '--weight', '50', '--json']);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { accountId: string; bucket: number; arm: string; weightBps: number },
      );
    expect(rows.map((r) => r.accountId)).toEqual(['a', 'b']);
    for (const r of rows) {
      expect(r.bucket).toBe(bucketOf('s', r.accountId));
      expect(r.arm).toBe(r.bucket < 5000 ? 'canary' : 'stable');
      expect(r.weightBps).toBe(5000);
    }
  });
});

describe('generate-feed', () => {
  it('writes a seeded synthetic feed that replays, byte-identical for the same seed', async () => {
    const dir = tempDir();
    const [a, b, c] = ['a.csv.gz', 'b.csv.gz', 'c.csv.gz'].map((n) => join(dir, n));
    expect((await cli(['generate-feed', '--minutes', '3', '--seed', '5', '--out', a!])).code).toBe(
      0,
    );
    expect((await cli(['generate-feed', '--minutes', '3', '--seed', '5', '--out', b!])).code).toBe(
      0,
    );
    expect((await cli(['generate-feed', '--minutes', '3', '--seed', '6', '--out', c!])).code).toBe(
      0,
    );
    const sha = (p: string): string =>
      createHash('sha256')
        .update(gunzipSync(readFileSync(p)))
        .digest('hex');
    expect(sha(a!)).toBe(sha(b!));
    expect(sha(a!)).not.toBe(sha(c!));
    const lines = gunzipSync(readFileSync(a!)).toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(NORMALIZED_CSV_HEADER);

    const out = join(dir, 'run');
    const replay = await cli(['replay', a!, '--accounts', '100', '--out', out]);
    expect(replay.code).toBe(0);
    const report = readReport(out);
    expect(report.inputs.files[0]).toMatchObject({
      format: 'normalized',
      events: lines.length - 1,
    });
    expect(report.arms.stable.fills + report.arms.canary.fills).toBeGreaterThan(0);
  });

  it('writes exactly --events events', async () => {
    const out = join(tempDir(), 'n.csv');
    const result = await cli(['generate-feed', '--events', '1234', '--seed', '1', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote 1,234 events/);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(1235);
  });

  it('writes only trades with --trades-only', async () => {
    const dir = tempDir();
    const [full, trades] = [join(dir, 'full.csv'), join(dir, 'trades.csv')];
    expect(
      (await cli(['generate-feed', '--minutes', '1', '--seed', '2', '--out', full])).code,
    ).toBe(0);
    const result = await cli([
      'generate-feed',
      '--minutes',
      '1',
      '--seed',
      '2',
      '--trades-only',
      '--out',
      trades,
    ]);
    expect(result.code).toBe(0);
    const lines = readFileSync(trades, 'utf8').trimEnd().split('\n');
    expect(result.stdout).toContain(`wrote ${(lines.length - 1).toLocaleString('en-US')} trades`);
    const fullTrades = readFileSync(full, 'utf8')
      .split('\n')
      .filter((line) => line.includes(',trade,'));
    expect(lines.slice(1)).toEqual(fullTrades);
  });

  it('writes a wide-tick Binance trades CSV whose default name tells the symbol; it replays as is', async () => {
    const dir = tempDir();
    const args = [
      'generate-feed',
      '--minutes',
      '2',
      '--seed',
      '5',
      '--start-price',
      '0.50000',
      '--tick-size',
      '0.00005',
      '--format',
      'binance-csv-trades',
    ];
    // The real command in a fresh folder: the default output name lands there.
    const generated = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);
    const name = 'BTCUSDT-trades-2024-01-01-synthetic-s5-2m.csv.gz';
    expect(generated.stdout).toMatch(
      new RegExp(
        `^wrote [\\d,]+ trades \\(2\\.0 min of event time, binance-csv-trades\\) to ${name}\\n$`,
      ),
    );
    const lines = gunzipSync(readFileSync(join(dir, name)))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toMatch(
      /^1,0\.\d{4}[05],\d+\.\d{5},\d+\.\d{10},17040672\d{8},(True|False),True$/,
    );

    const out = join(dir, 'run');
    const replay = await cli(['replay', join(dir, name), '--accounts', '50', '--out', out]);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(readReport(out).inputs.files[0]).toMatchObject({
      format: 'binance-csv-trades',
      trades: lines.length,
      quotes: 0,
      events: lines.length,
      badLines: 0,
    });
  });

  it('tells how to replay a Binance trades CSV whose name does not tell the symbol', async () => {
    const out = join(tempDir(), 'trades.csv');
    const result = await cli([
      'generate-feed',
      '--events',
      '100',
      '--symbol',
      'ETHUSDT',
      '--format',
      'binance-csv-trades',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/note: .* replay it with --symbol ETHUSDT\n$/);
    const replay = await cli(['replay', out, '--symbol', 'ETHUSDT', '--accounts', '5', '--json']);
    expect(replay.code).toBe(0);
  });
});

describe('progress bar', () => {
  let savedCi: string | undefined;
  beforeEach(() => {
    savedCi = process.env['CI'];
    delete process.env['CI'];
  });
  afterEach(() => {
    if (savedCi === undefined) delete process.env['CI'];
    else process.env['CI'] = savedCi;
  });

  const args = ['replay', join('feeds', 'samples', 'spot_btcusdt_20240808.gz'), '--accounts', '20'];

  it('draws on stderr when stdout and stderr are terminals', async () => {
    const result = await cli(args, { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/replay \[/);
  });

  it('stays silent when stdout is not a terminal, or with --no-progress', async () => {
    expect((await cli(args, { tty: false })).stderr).toBe('');
    expect((await cli([...args, '--no-progress'], { tty: true })).stderr).toBe('');
  });
});
