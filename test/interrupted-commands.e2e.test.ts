import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/run-cli.js';
import { BIN, cli, ROOT, SAMPLES, spawnCli, tempDir } from './cli-harness.js';
import { until } from './wait-until.js';

const SPOT_0808 = join(SAMPLES, 'spot_btcusdt_20240808.gz');
const ARGS = ['--accounts', '50', '--plan', 'aggressive', '--no-html'];

/** Every file of a run directory with its text. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'latin1')]),
  );
}

describe('strategy-canary replay, stopped by Ctrl-C', () => {
  it('stops at the next events, writes nothing, leaves --out as it was and exits 130', async () => {
    const dir = tempDir('sc-replay-stop-');
    const out = join(dir, 'run');
    const first = await cli(['replay', SPOT_0808, ...ARGS, '--salt', 'first', '--out', out]);
    expect(first.code).toBe(0);
    const before = contents(out);

    // The signal is raised in this process (its other listeners set aside meanwhile) as the
    // replay prints its first decision: mid-way through the file, at a known point.
    const others = process.rawListeners('SIGINT') as ((...args: unknown[]) => void)[];
    process.removeAllListeners('SIGINT');
    let stdout = '';
    let stderr = '';
    let raised = false;
    const io: CliIo = {
      stdout: {
        write: (text: string) => {
          stdout += text;
          if (!raised) {
            raised = true;
            process.emit('SIGINT', 'SIGINT');
          }
          return true;
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      cwd: ROOT,
    };
    let code: number;
    try {
      code = await runCli(['replay', SPOT_0808, ...ARGS, '--salt', 'second', '--out', out], io);
    } finally {
      for (const listener of others) process.on('SIGINT', listener);
    }
    expect(raised).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('replay: SIGINT: stopping at the next events');
    expect(stderr).toMatch(
      /replay: stopped by SIGINT before the end of the data; nothing written, .*run left as it was \[E_INTERRUPTED\]\n$/u,
    );
    // No summary was printed: only the decision lines before the stop.
    expect(stdout).not.toContain('report:');
    // The first run's files, untouched; nothing of the second, not even its temporary folder.
    expect(contents(out)).toEqual(before);
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['run']);
    // The command's own handlers are gone with it.
    expect(process.rawListeners('SIGINT')).toEqual(others);
  }, 120_000);
});

describe('strategy-canary generate-feed, stopped by Ctrl-C', () => {
  it('leaves no file, nor half of one, and the file that was there as it was; exits 130', async () => {
    const dir = tempDir('sc-generate-stop-');
    const out = join(dir, 'feed.csv');
    writeFileSync(out, 'the file before\n');
    // A billion events: hours of writing, so the signal lands while it writes.
    const child = spawn(
      process.execPath,
      [BIN, 'generate-feed', '--events', '1000000000', '--out', out, '--no-progress'],
      { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until('the feed is being written', () =>
        readdirSync(dir).some((name) => name.startsWith('.feed.csv.partial-')),
      );
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toMatch(
      /generate-feed: stopped by SIGINT; nothing written, .*feed\.csv left as it was \[E_INTERRUPTED\]\n$/u,
    );
    expect(readdirSync(dir)).toEqual(['feed.csv']);
    expect(readFileSync(out, 'utf8')).toBe('the file before\n');
  }, 120_000);
});

describe('strategy-canary replay, stopped by a strategy that throws outside its calls', () => {
  it('names the module (E_STRATEGY_INVALID), writes nothing and leaves no temporary folder (the built command)', () => {
    const dir = tempDir('sc-replay-timer-');
    const module = join(dir, 'timer-throws.mjs');
    const code = "setTimeout(() => { throw new Error('thrown from a timer'); }, 0);";
    const text = readFileSync(
      join(ROOT, 'examples', 'strategies', 'always-long.mjs'),
      'utf8',
    ).replace('seen.add(event.symbol);', `seen.add(event.symbol);\n      ${code}`);
    expect(text).toContain(code);
    writeFileSync(module, text);
    const out = join(dir, 'run');
    const result = spawnCli(['replay', SPOT_0808, '--canary', module, ...ARGS, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^strategy-canary: strategy .*timer-throws\.mjs threw outside its calls \(from a timer, a callback or a promise\): thrown from a timer; .*\[E_STRATEGY_INVALID\]\n$/u,
    );
    expect(readdirSync(dir)).toEqual(['timer-throws.mjs']);
  }, 120_000);
});
