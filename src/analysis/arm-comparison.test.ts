import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { FillReport } from '../core/execution-report.js';
import { SeededRng } from '../core/seeded-rng.js';
import { ArmComparison, TEST_NAMES, WINDOW_TEST_NAMES } from './arm-comparison.js';
import { METRIC_NAMES } from './compared-metric.js';
import { DEFAULT_METRIC_POLICIES } from './metric-policy.js';
import { equityOf, fillOf, rejectOf } from './test-support/records.js';

const MINUTE_US = 60_000_000;
const T0 = 1_000 * MINUTE_US;

interface BucketSpec {
  readonly stable: number;
  readonly canary: number;
  /** Slippage of fill i on an arm, bps. */
  readonly slippage: (arm: Arm, i: number) => number;
  readonly latency?: (arm: Arm, i: number) => number;
  readonly rejected?: (arm: Arm, i: number) => boolean;
  /** Fee of fill i on an arm, bps of its notional (default 0). */
  readonly feeBps?: (arm: Arm, i: number) => number;
}

/** One decision per arm in minute `b` (both at the same moment), every order reported, then the boundary. */
function feedBucket(c: ArmComparison, b: number, spec: BucketSpec): boolean {
  const t = T0 + b * MINUTE_US + 5_000_000;
  for (const arm of ['stable', 'canary'] as const) {
    const n = spec[arm];
    for (let i = 0; i < n; i++) c.record({ type: 'order', tsUs: t, arm });
    for (let i = 0; i < n; i++) {
      const accountId = `${arm}-${i}`;
      const report =
        spec.rejected?.(arm, i) === true
          ? rejectOf(arm, t, t + 20_000)
          : withFee(
              fillOf(arm, t, t + 20_000, spec.slippage(arm, i), spec.latency?.(arm, i) ?? 20),
              spec.feeBps?.(arm, i) ?? 0,
            );
      c.record({ ...report, accountId });
    }
  }
  const end = T0 + (b + 1) * MINUTE_US;
  const closed = c.record(equityOf('stable', end, 10_000, 10_000));
  return c.record(equityOf('canary', end, 1_000, 1_000)) || closed;
}

/** The fill with a fee of `bps` of its notional (exact decimal, as the fill model computes it). */
function withFee(fill: FillReport, bps: number): FillReport {
  return { ...fill, fee: fill.price.times(fill.quantity).times(bps).div(10_000) };
}

const find = (c: ArmComparison, metric: string, scope: 'step' | 'rollout') =>
  c.evaluate().find((e) => e.metric === metric && e.scope === scope)!;

describe('ArmComparison', () => {
  it('starts with one inconclusive record per metric and scope, JSON-safe, with test names and units', () => {
    const evidence = new ArmComparison().evaluate();
    expect(evidence.map((e) => `${e.metric}/${e.scope}`)).toEqual(
      METRIC_NAMES.flatMap((m) => [`${m}/step`, `${m}/rollout`]),
    );
    for (const e of evidence) {
      expect(e.code).toBe('METRIC_TOO_FEW');
      expect(e.verdict).toBe('inconclusive');
      expect(e.test).toBe(TEST_NAMES[e.metric]);
      expect(e.unit.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
    expect(evidence.find((e) => e.metric === 'edgeBps')!.unit).toBe('bps of traded notional');
  });

  it('compares fees per fill in bps of notional: worse, exactly at the margin, equal', () => {
    // Every fill pays the venue's 10 or 10.5 bps (two fee tiers); the canary k bps more.
    const run = (extraBps: number) => {
      const c = new ArmComparison();
      for (let b = 0; b < 12; b++)
        feedBucket(c, b, {
          stable: 6,
          canary: 3,
          slippage: (_arm, i) => (i % 3) - 1,
          feeBps: (arm, i) => 10 + (i % 2) * 0.5 + (arm === 'canary' ? extraBps : 0),
        });
      return find(c, 'feeBps', 'rollout');
    };
    const worse = run(3);
    expect(worse.verdict).toBe('worse');
    expect(worse.estimate).toBeCloseTo(3 + 0.5 / 3 - 0.25, 9);
    expect(worse.unit).toBe('bps of notional');
    expect(worse.test).toBe(TEST_NAMES.feeBps);
    // Exactly the margin (1 bp) more, on average: never non-inferior.
    const atMargin = run(1 - 0.5 / 3 + 0.25);
    expect(atMargin.verdict).not.toBe('non_inferior');
    expect(atMargin.verdict).not.toBe('better');
    expect(run(0).verdict).toBe('non_inferior');
  });

  it('shows a canary worse from the pairing windows when the arms never trade in one bucket', () => {
    // 10 s buckets; stable decides at second 1 of each minute, the canary at second 31, every
    // canary fill 5 bps worse: no bucket holds both arms.
    const c = new ArmComparison({ intervalMs: 10_000 });
    const rng = new SeededRng(3);
    for (let b = 0; b < 8; b++) {
      for (const [arm, second] of [
        ['stable', 1],
        ['canary', 31],
      ] as const) {
        const t = T0 + b * MINUTE_US + second * 1_000_000;
        for (let i = 0; i < 20; i++) c.record({ type: 'order', tsUs: t, arm });
        for (let i = 0; i < 20; i++) {
          const slippage = 0.5 * rng.nextNormal() + (arm === 'canary' ? 5 : 0);
          c.record({ ...fillOf(arm, t, t + 20_000, slippage), accountId: `${arm}-${i}` });
        }
      }
      c.record(equityOf('stable', T0 + (b + 1) * MINUTE_US, 10_000, 10_000));
      c.record(equityOf('canary', T0 + (b + 1) * MINUTE_US, 1_000, 1_000));
    }
    const slippage = find(c, 'slippageBps', 'rollout');
    expect(slippage).toMatchObject({
      verdict: 'worse',
      code: 'METRIC_WORSE',
      test: WINDOW_TEST_NAMES.slippageBps,
    });
    expect(slippage.estimate).toBeCloseTo(5, 0);
    expect(slippage.message).toContain('pairing windows');
    // Latency is the same on both arms: not worse, and never non-inferior from windows alone.
    expect(find(c, 'latencyMs', 'rollout').verdict).toBe('inconclusive');
  });

  it('marks the records of the required metrics and scopes as required', () => {
    const evidence = new ArmComparison().evaluate(undefined, [
      { metric: 'slippageBps', scope: 'step' },
      { metric: 'edgeBps', scope: 'rollout' },
    ]);
    expect(evidence.filter((e) => e.required).map((e) => `${e.metric}/${e.scope}`)).toEqual([
      'slippageBps/step',
      'edgeBps/rollout',
    ]);
  });

  it('rolls back a gross fault after three buckets: every canary fill 5 bps worse', () => {
    const c = new ArmComparison();
    c.startStep(0, T0);
    const rng = new SeededRng(3, 'gross');
    // The market moves every bucket; within it both arms fill alike, the canary 5 bps worse.
    for (let b = 0; b < 3; b++) {
      const market = 2 * rng.nextNormal();
      const paired = feedBucket(c, b, {
        stable: 60,
        canary: 5,
        slippage: (arm) => market + 0.2 * rng.nextNormal() + (arm === 'canary' ? 5 : 0),
      });
      expect(paired).toBe(true);
    }
    const step = find(c, 'slippageBps', 'step');
    expect(step.verdict).toBe('worse');
    expect(step.estimate).toBeCloseTo(5, 0);
    expect(step.message).toMatch(/^slippageBps \(step\) canary − stable [45]\.\d+ bps, bounds \[/);
    expect(find(c, 'latencyMs', 'step').verdict).not.toBe('worse');
  });

  it("pairs away the market's moves: an A/A canary is shown non-inferior, not worse", () => {
    const c = new ArmComparison();
    c.startStep(0, T0);
    const rng = new SeededRng(4, 'aa');
    for (let b = 0; b < 45; b++) {
      const market = 3 * rng.nextNormal(); // far larger than the 1 bp margin
      feedBucket(c, b, {
        stable: 100,
        canary: 10,
        slippage: () => market + 0.3 * rng.nextNormal(),
        latency: () => 20 + 3 * rng.nextNormal(),
      });
    }
    // The 1 % step's reject margin: 3 percentage points (450 canary orders without a reject).
    const policies = {
      ...DEFAULT_METRIC_POLICIES,
      rejectRate: { ...DEFAULT_METRIC_POLICIES.rejectRate, margin: 0.03 },
    };
    const evidence = c.evaluate({ step: policies, rollout: policies });
    for (const metric of ['slippageBps', 'latencyMs', 'rejectRate'] as const) {
      const e = evidence.find((x) => x.metric === metric && x.scope === 'step')!;
      expect(
        e.verdict === 'non_inferior' || e.verdict === 'better',
        `${metric}: ${e.message}`,
      ).toBe(true);
    }
  });

  it('restarts the step records at a new step and keeps the rollout ones', () => {
    const c = new ArmComparison();
    c.startStep(0, T0);
    for (let b = 0; b < 3; b++) feedBucket(c, b, { stable: 10, canary: 5, slippage: () => b });
    c.startStep(1, T0 + 3 * MINUTE_US);
    feedBucket(c, 3, { stable: 10, canary: 5, slippage: () => 1 });
    expect(find(c, 'slippageBps', 'step').clusters).toBe(1);
    expect(find(c, 'slippageBps', 'rollout').clusters).toBe(4);
  });

  it('counts what each arm did, EXPIRED rejects apart', () => {
    const c = new ArmComparison();
    feedBucket(c, 0, {
      stable: 3,
      canary: 2,
      slippage: () => 0,
      rejected: (arm, i) => arm === 'canary' && i === 0,
    });
    c.record(rejectOf('canary', T0 + 2 * MINUTE_US, T0 + 2 * MINUTE_US, 'EXPIRED'));
    expect(c.counts('canary')).toEqual({
      orders: 2,
      fills: 1,
      rejects: 2,
      resolvedOrders: 2,
      strategyErrors: 0,
    });
    expect(c.counts('stable')).toMatchObject({ orders: 3, fills: 3, rejects: 0 });
  });
});
