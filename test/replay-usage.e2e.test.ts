import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, SAMPLES, tempDir } from './cli-harness.js';
import { until } from './wait-until.js';
import { expectOneLineError } from './expect-one-line-error.js';

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');

describe('replay: usage that would mean nothing, or something else, is refused', () => {
  it('an empty --out, which would write into the current directory', () => {
    const cwd = tempDir();
    const result = spawnSync(
      process.execPath,
      [BIN, 'replay', SAMPLE, '--accounts', '5', '--no-progress', '--out', ''],
      { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 },
    );
    expectOneLineError(
      { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr },
      /--out: empty.*\[E_USAGE\]$/,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('replay: a feed file given twice is refused, not replayed twice', () => {
  it.each([
    ['by the same path', (file: string) => [file, file]],
    ['by two paths', (file: string) => [file, `${dirname(file)}/x/../${basename(file)}`]],
    [
      'through a symbolic link',
      (file: string) => {
        const link = join(tempDir(), 'link.gz');
        symlinkSync(file, link);
        return [file, link];
      },
    ],
  ])('%s', async (_how, paths) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    const file = join(dir, 'feed.gz');
    copyFileSync(SAMPLE, file);
    const args = paths(file);
    expectOneLineError(
      await cli(['replay', ...args, '--accounts', '5', '--no-progress']),
      new RegExp(`feed\\.gz: this feed file is given twice .*${escape(args[1]!)}.*\\[E_USAGE\\]$`),
    );
  });
});

describe('replay: one symbol from two venues is refused, not merged into one market', () => {
  it('spot and USDⓈ-M futures BTCUSDT: E_USAGE naming both venues, nothing written', async () => {
    const out = join(tempDir(), 'run');
    const usdm = join(dirname(SAMPLE), 'usdm_btcusdt_20240808.gz');
    expectOneLineError(
      await cli(['replay', SAMPLE, usdm, '--accounts', '5', '--no-progress', '--out', out]),
      /BTCUSDT comes from two venues in these feed files, binance and binance-futures: .*\[E_USAGE\]$/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('replay: an option that means nothing without another is refused', () => {
  it.each([
    [['--mode', 'manual'], /--mode manual needs --plan \[E_USAGE\]$/],
    [['--no-fills'], /--no-fills needs --out: .*\[E_USAGE\]$/],
    [['--no-html'], /--no-html needs --out: .*\[E_USAGE\]$/],
  ])('%j', async (extra, message) => {
    expectOneLineError(
      await cli(['replay', SAMPLE, '--accounts', '5', '--no-progress', ...extra]),
      message,
    );
  });
});

describe('replay --out: a symbolic link to nothing', () => {
  it('fails with E_OUTPUT before the replay, leaving nothing beside it', async () => {
    const parent = tempDir();
    const out = join(parent, 'run');
    symlinkSync(join(parent, 'missing'), out);
    // A bad feed too: checked first, --out fails before the feed is read.
    const bad = join(parent, 'bad.csv');
    writeFileSync(bad, 'garbage\n');
    expectOneLineError(
      await cli(['replay', bad, '--accounts', '5', '--no-progress', '--out', out]),
      /cannot write .*run: it is a symbolic link to .*missing, which does not exist \[E_OUTPUT\]$/,
    );
    expect(readdirSync(parent).sort()).toEqual(['bad.csv', 'run']);
  });
});

describe('replay: a SIGTERM while the options are checked', () => {
  it('stops it as one during the replay does: exit 130, E_INTERRUPTED, nothing written', async () => {
    const dir = tempDir('sc-replay-early-term-');
    const loading = join(dir, 'loading');
    // A strategy module slow to load: the signal lands while the options are checked.
    const module = join(dir, 'slow-to-load.mjs');
    writeFileSync(
      module,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(loading)}, '');\nawait new Promise((resolve) => setTimeout(resolve, 1000));\n${readFileSync(join(ROOT, 'examples', 'strategies', 'always-long.mjs'), 'utf8')}`,
    );
    const out = join(dir, 'run');
    const child = spawn(
      process.execPath,
      [BIN, 'replay', SAMPLE, '--canary', module, '--accounts', '5', '--no-progress', '--out', out],
      { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until('the strategy module is loading', () => existsSync(loading));
      child.kill('SIGTERM');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toMatch(/stopped by SIGTERM .*run left as it was \[E_INTERRUPTED\]\n$/u);
    expect(readdirSync(dir).sort()).toEqual(['loading', 'slow-to-load.mjs']);
  }, 120_000);
});
