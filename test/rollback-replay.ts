import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli, tempDir } from './cli-harness.js';

/**
 * A replay whose rollout rolls back with every canary account holding a position: 20 % from the
 * start, an always-long canary (one position per account, held) losing past a 20-quote
 * guardrail, momentum@1.0.0 deciding every few seconds on stable; 300 accounts. Resolves to its
 * `--out` directory (checked: the replay exited 0 and printed nothing on stderr).
 */
export async function replayRollingBack(
  feed: string,
  policy: 'flatten' | 'handoff',
): Promise<string> {
  const dir = tempDir();
  const plan = join(dir, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      name: 'two-step',
      steps: [
        { weightPct: 20, minDurationMs: 600_000 },
        { weightPct: 100, minDurationMs: 0 },
      ],
      guardrails: { maxLossQuote: 20 },
    }),
  );
  const out = join(dir, 'run');
  const args = `replay ${feed} --plan ${plan} --on-rollback ${policy} --canary examples/strategies/always-long.mjs --accounts 300 --out ${out}`;
  const result = await cli([
    ...args.split(' '),
    '--stable-params',
    '{"minHoldMs":3000,"warmupMs":10000}',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}
