import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-harness.js';

/**
 * Node's recursive mkdir spins forever under /proc, deaf to signals, so the check runs in a child
 * process with a generous limit: a regression fails the test instead of hanging the suite.
 */
describe('createCanary with a state path under /proc', () => {
  it('throws E_OUTPUT naming the path instead of spinning', () => {
    const api = pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href;
    const script = `
      const { createCanary } = await import(${JSON.stringify(api)});
      const statePath = '/proc/self/strategy-canary/state.json';
      try {
        createCanary({ stable: 'bot@1.0.0', canary: 'bot@2.0.0', plan: 'aggressive', salt: 's',
          accounts: [{ id: 'a-1', capital: '1000' }], statePath, auditPath: '/proc/self/x/audit.jsonl' });
        console.log('created');
      } catch (error) {
        console.log(error.code, error.path);
      }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(child.signal).toBeNull(); // not killed by the limit
    expect(child.stdout.trim()).toBe('E_OUTPUT /proc/self/strategy-canary/state.json');
  });
});
