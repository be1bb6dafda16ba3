import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_PRESETS } from '../src/rollout/plan-presets.js';
import { aaReplayArgs } from './aa-replay.js';
import { cli, readReport, tempDir } from './cli-harness.js';

/** An A/A replay of the samples with the canary's latency 20 ms worse, under `plan`. */
async function replayWithSlowCanary(plan: object): Promise<string> {
  const dir = tempDir();
  const planPath = join(dir, 'plan.json');
  writeFileSync(planPath, JSON.stringify(plan));
  const out = join(dir, 'run');
  const result = await cli(
    aaReplayArgs(planPath, out, '--inject', 'canary:latency=+20ms', '--no-fills'),
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}

describe('a dry-run metric (plan metrics.latencyMs.dryRun)', () => {
  it('is computed, reported and audited as worse, and never rolls back; without the flag it does', async () => {
    const short = PLAN_PRESETS.short;
    // latencyMs is required by default: a dry-run plan drops it from the requirements.
    const dryRunPlan = {
      ...short,
      name: 'short-latency-dry-run',
      metrics: { ...short.metrics, latencyMs: { ...short.metrics.latencyMs, dryRun: true } },
      steps: short.steps.map((step) => ({
        ...step,
        requireNonInferior: step.requireNonInferior.filter((r) => r.metric !== 'latencyMs'),
      })),
    };
    const dry = await replayWithSlowCanary(dryRunPlan);
    const report = readReport(dry);
    expect(report.outcome).toBe('promoted');
    const latency = report.decisions.flatMap((d) =>
      d.reasons.filter((r) => r.metric === 'latencyMs'),
    );
    expect(latency.length).toBeGreaterThan(0);
    expect(latency.every((r) => r.dryRun === true)).toBe(true);
    expect(latency.some((r) => r.verdict === 'worse')).toBe(true);
    const audit = readFileSync(join(dry, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"dryRun":true');
    expect(audit).toContain('worse (dry run: never acts)');
    expect(readFileSync(join(dry, 'report.md'), 'utf8')).toContain('dry run (never acts)');

    const acting = await replayWithSlowCanary({ ...short, name: 'short' });
    expect(readReport(acting).outcome).toBe('rolled_back');
  });
});
