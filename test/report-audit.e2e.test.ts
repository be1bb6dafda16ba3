import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './cli-harness.js';
import { auditRun } from './report-audit.js';

/**
 * The risk team's sign-off, as a regression test: small replays of one bundled sample, audited by
 * test/report-audit.ts (decimal.js and the run's own files, none of the project's computations):
 * every account and arm figure, the exposure, the decisions against the audit log, and
 * report.md and report.html against report.json.
 */
async function replay(args: string): Promise<string> {
  const out = join(tempDir('sc-audit-'), 'run');
  const feed = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
  const result = await cli([
    'replay',
    feed,
    ...args.split(' '),
    '--accounts',
    '200',
    '--seed',
    '7',
    '--no-progress',
    '--out',
    out,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}

describe('a replay audited from its own files', () => {
  // A rollout that takes real accounts to the canary (trades only: a short replay), and a fixed
  // weight with injected faults (rejects, slower and costlier canary fills).
  let rollout = '';
  let fixed = '';
  beforeAll(async () => {
    rollout = await replay('--trades-only --plan short');
    fixed = await replay(
      '--weight 50 --inject canary:latency=+20ms,slippage=+2bp,rejects=+5%,fees=+2bp',
    );
  }, 120_000);

  it('a rollout: every figure agrees with the files and across the reports', () => {
    expect(auditRun(rollout, { root: ROOT })).toEqual([]);
  });

  it('a fixed weight with injected faults: every figure agrees', () => {
    expect(auditRun(fixed, { root: ROOT })).toEqual([]);
  });
});
