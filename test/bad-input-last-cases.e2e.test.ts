import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/index.js';
import { cli, SAMPLES, tempDir } from './cli-harness.js';

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');

/** Exit code 2 and exactly one line on stderr that matches, with no stack trace. */
function expectOneLineError(
  result: { code: number; stderr: string; stdout: string },
  line: RegExp,
): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^strategy-canary: /);
  expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

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
      'notes.txt',
      'report.html',
      'report.json',
      'report.md',
    ]);
  });
});
