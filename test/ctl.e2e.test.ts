import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, spawnCli } from './cli-harness.js';

const OPERATOR = 'ctl-e2e-operator-token-0123456789';

describe('ctl against the built serve, both as child processes', () => {
  it('reads the status, is refused before the rollout starts, and says so when the server is gone', async () => {
    const serve = spawn(
      process.execPath,
      [
        BIN,
        ...'serve --port 0 --stable bot@1.0.0 --canary bot@2.0.0 --salt ctl-e2e --accounts 10'.split(
          ' ',
        ),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, STRATEGY_CANARY_OPERATOR_TOKEN: OPERATOR },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      serve.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /health: (http:\/\/[^/\s]+)\/health/u.exec(stdout);
        if (match !== null) resolve(match[1]!);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
    });
    const env = { STRATEGY_CANARY_OPERATOR_TOKEN: OPERATOR };
    try {
      const status = spawnCli(['ctl', 'status', '--url', url], env);
      expect(status).toMatchObject({ code: 0, stderr: '' });
      expect(status.stdout).toMatch(
        /^rollout: not started \(baseline\)\nlast decision: none yet\n/u,
      );
      const halt = spawnCli(['ctl', 'halt', '--url', url.replace('http://', 'ws://') + '/ws'], env);
      expect(halt.code).toBe(3);
      expect(halt.stdout).toMatch(
        /^halt: refused, NOT_STARTED: the rollout has no event time yet/u,
      );
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
    const gone = spawnCli(['ctl', 'status', '--url', url], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(
      /^strategy-canary: cannot reach the rollout's server at http:\/\/127\.0\.0\.1:\d+: .*\[E_SERVER\]\n$/u,
    );
  }, 60_000);
});
