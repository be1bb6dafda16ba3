import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/index.js';
import { bucketOf } from '../src/router/index.js';
import { cli, readReport, tempDir } from './cli-harness.js';

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
