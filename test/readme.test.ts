import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderVectorTable } from '../src/router/test-support/bucketing-vectors.js';
import { cli, ROOT, spawnCli, tempDir } from './cli-harness.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function between(begin: string, end: string): string {
  const start = README.indexOf(begin);
  const stop = README.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) throw new Error(`README.md: no section between ${begin} and ${end}`);
  return README.slice(start + begin.length, stop);
}

/** Table cells, trimmed (the formatter's padding does not matter). */
function cells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('README.md', () => {
  it('has the quick start of the issue, word for word', () => {
    expect(README).toContain('npm ci && npm start');
    expect(README).toContain('npm test                   # the whole suite');
    expect(README).toContain(
      'npx strategy-canary replay feeds/samples/spot_btcusdt_20240808.gz --stable momentum@1.0.0 --canary momentum@2.0.0 \\\n    --weight 10 --accounts 1000 --seed 7 --out runs/demo',
    );
  });

  it('runs its own-strategy, own-accounts example with files the repository ships', () => {
    const line = README.split('\n').find((l) =>
      l.includes('--canary examples/strategies/breakout.ts'),
    );
    expect(line).toBeDefined();
    const args = line!.trim().split(/\s+/);
    expect(args.slice(0, 2)).toEqual(['npx', 'strategy-canary']);
    const accounts = args[args.indexOf('--accounts') + 1]!;
    expect(accounts).toMatch(/\.csv$/);
    const result = spawnCli(args.slice(2));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Every account of the file is in the run (`exclude` only keeps one off the canary).
    const rows = readFileSync(join(ROOT, accounts), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(10);
    expect(result.stdout).toContain(` of ${rows.length} accounts`);
  });

  it('shows exactly what the quick-start replay prints', async () => {
    const shown = between(
      '`runs/demo/report.json` (schema: [docs/report-json.md](docs/report-json.md)):\n\n```\n',
      '```',
    );
    const out = join(tempDir(), 'demo');
    const result = await cli([
      'replay',
      'feeds/samples/spot_btcusdt_20240808.gz',
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@2.0.0',
      '--weight',
      '10',
      '--accounts',
      '1000',
      '--seed',
      '7',
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    // The decision-time row is wall clock (this machine's speed): its figures are not compared.
    const wallClock = (text: string): string =>
      text.replace(/^( {2}decision time \/ event \(wall\)).*$/m, '$1 …');
    expect(result.stdout).toMatch(/decision time \/ event \(wall\) +[\d.]+ [µm]s +[\d.]+ [µm]s/);
    expect(wallClock(result.stdout.replaceAll(out, 'runs/demo'))).toBe(wallClock(shown));
  });

  it('publishes the bucketing vectors the code computes', () => {
    const published = cells(between('<!-- vectors:begin', '<!-- vectors:end -->'));
    const computed = cells(renderVectorTable());
    expect(published[0]).toEqual(computed[0]); // header (row 1 is the alignment row)
    expect(published.slice(2)).toEqual(computed.slice(2));
    expect(published.length).toBeGreaterThan(10);
  });

  it('says what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toContain(
      'replay feeds/samples/spot_btcusdt_20240808.gz --stable momentum@1.0.0 --canary momentum@2.0.0 --plan short',
    );
    expect(README).toContain(
      '`npm start` runs a rollout of momentum@2.0.0 over momentum@1.0.0 with',
    );
  });
});

describe('README.md, Rollouts', () => {
  it('shows lines the two rollout examples really print', async () => {
    const block = between('## Rollouts', '```\n\n').split('```\n')[1]!;
    const shown = block.split('\n').filter((line) => /^(\d{4}-|plan |canary exposure)/.test(line));
    expect(shown.length).toBeGreaterThanOrEqual(8);
    const fast = '{"minHoldMs":3000,"warmupMs":10000}';
    const aa = [
      'replay',
      'feeds/samples/spot_btcusdt_20240808.gz',
      'feeds/samples/spot_btcusdt_20240809.gz',
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@1.0.0',
      '--stable-params',
      fast,
      '--canary-params',
      fast,
      '--plan',
      'short',
    ];
    const printed = [
      ...(await cli(aa)).stdout.split('\n'),
      ...(await cli([...aa, '--inject', 'canary:slippage=+3bp'])).stdout.split('\n'),
    ];
    for (const line of shown) expect(printed).toContain(line);
  });
});
