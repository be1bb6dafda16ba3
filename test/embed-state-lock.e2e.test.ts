import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCanary, type CanaryOptions } from '../src/index.js';
import { ROOT, tempDir } from './cli-harness.js';

const API = pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href;

function options(dir: string): CanaryOptions {
  return {
    stable: 'bot@1.0.0',
    canary: 'bot@2.0.0',
    plan: 'aggressive',
    salt: 'lock',
    accounts: [{ id: 'a-1', capital: '1000' }],
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
  };
}

/** A script that opens a canary on `dir`'s files, prints "ready", then runs `then`. */
const childScript = (dir: string, then: string): string => `
  const { createCanary } = await import(${JSON.stringify(API)});
  const canary = createCanary(${JSON.stringify(options(dir))});
  canary.clock.advance(1723161255000);
  console.log('ready');
  ${then}`;

/**
 * Two processes on one state folder: the second is refused while the first runs (their audit
 * records would interleave), and takes the folder over once the first is gone, even killed.
 */
describe('a persisted canary’s folder, between processes', () => {
  it('refuses a second process while the first holds it, and takes over once it is killed', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', childScript(dir, 'process.stdin.resume();')],
      { stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 },
    );
    let stderr = '';
    holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      holder.once('exit', () => reject(new Error(`the holder exited: ${stderr}`)));
    });

    expect(() => createCanary(options(dir))).toThrow(
      expect.objectContaining({
        code: 'E_STATE_LOCKED',
        message: expect.stringContaining(`in use by process ${holder.pid}`) as string,
      }),
    );
    const logBefore = readFileSync(join(dir, 'audit.jsonl'), 'utf8');

    holder.kill('SIGKILL'); // no exit hook runs: the lock file stays, naming a dead process
    await exited;
    expect(existsSync(join(dir, 'audit.jsonl.lock'))).toBe(true);
    const canary = createCanary(options(dir));
    expect(canary.state.resumedFrom).not.toBe('new');
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8').startsWith(logBefore)).toBe(true);
    canary.close();
    expect(existsSync(join(dir, 'audit.jsonl.lock'))).toBe(false);
  });

  it('leaves no lock file when a process exits without closing its canary', () => {
    const dir = tempDir();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', childScript(dir, '')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('ready');
    expect(existsSync(join(dir, 'audit.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'audit.jsonl.lock'))).toBe(false);
  });
});
