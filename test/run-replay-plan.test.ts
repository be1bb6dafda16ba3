import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../src/execution/index.js';
import { loadArmStrategies } from '../src/live/index.js';
import { PLAN_PRESETS, PlanError, type RolloutPlan } from '../src/rollout/index.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import type { ReplayConfig } from '../src/engine/replay-config.js';
import { runReplay } from '../src/engine/run-replay.js';
import { SAMPLES } from './cli-harness.js';

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');

async function configWith(plan: RolloutPlan): Promise<ReplayConfig> {
  return {
    files: [SAMPLE],
    feed: { onBadLine: 'fail' },
    accountsSource: 'generated',
    accounts: generateAccounts(10, 7),
    salt: 'strategy-canary',
    weightBps: 0,
    seed: 7,
    strategies: await loadArmStrategies({ stable: 'momentum@1.0.0', canary: 'momentum@1.0.0' }),
    execution: DEFAULT_EXECUTION_CONFIG,
    injections: NO_INJECTIONS,
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
    rollout: { plan, mode: 'auto', auditPath: null },
  };
}

describe('runReplay with a plan built in code', () => {
  it('refuses a guardrail out of range as E_PLAN naming the field, before reading the feed', async () => {
    const plan: RolloutPlan = {
      ...PLAN_PRESETS.short,
      guardrails: { ...PLAN_PRESETS.short.guardrails, maxLossQuote: -5 },
    };
    const replay = runReplay(await configWith(plan), {}, { parseInWorker: true });
    await expect(replay).rejects.toBeInstanceOf(PlanError);
    await expect(replay).rejects.toMatchObject({ code: 'E_PLAN' });
    await expect(replay).rejects.toThrow('plan:short: guardrails.maxLossQuote');
  });

  it("refuses equity samples that do not divide the plan's analysis interval (E_USAGE)", async () => {
    const config = { ...(await configWith(PLAN_PRESETS.short)), sampleIntervalMs: 3000 };
    const replay = runReplay(config, {}, { parseInWorker: true });
    await expect(replay).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(replay).rejects.toThrow(
      "--interval: equity samples every 3000 ms do not divide plan short's analysis interval (5000 ms)",
    );
    // A divisor is fine: the replay runs its rollout.
    const fine = { ...(await configWith(PLAN_PRESETS.short)), sampleIntervalMs: 2500 };
    const { report } = await runReplay(fine);
    expect(report.decisions.length).toBeGreaterThan(0);
  });
});
