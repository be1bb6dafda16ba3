import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import { SeededRng } from '../core/seeded-rng.js';
import { METRIC_ALPHA } from './analysis-defaults.js';
import { ArmComparison, TEST_NAMES } from './arm-comparison.js';
import { DEFAULT_METRIC_POLICIES } from './metric-policy.js';
import { normalMixtureMargin, rho2ForOptimalN } from './normal-mixture-cs.js';
import { equityOf, fillOf, orderSent, rejectOf, strategyErrorOf } from './test-support/records.js';

const MINUTE_US = 60_000_000;
const T0 = 1_000 * MINUTE_US;

/** One single-order batch per call, decided at an increasing time, filled 1 ms later. */
function feedBatches(
  c: ArmComparison,
  arm: Arm,
  count: number,
  draw: () => { latencyMs: number; slippageBps: number },
  clock: { tsUs: number },
): void {
  for (let i = 0; i < count; i++) {
    const t = (clock.tsUs += 10);
    const { latencyMs, slippageBps } = draw();
    c.record(orderSent(arm, t));
    c.record(fillOf(arm, t, t + 1, slippageBps, latencyMs));
  }
}

describe('ArmComparison: paired interval returns', () => {
  it('computes flow-adjusted paired returns in bps, hand-computed, and reports them per hour', () => {
    const c = new ArmComparison();
    expect(c.record(equityOf('stable', T0, 1000, 1000))).toBe(false);
    expect(c.record(equityOf('canary', T0, 100, 100))).toBe(false);
    // Interval 1: stable +0.1 %, canary +0.2 % → +10 bps.
    c.record(equityOf('canary', T0 + MINUTE_US, 100.2, 100));
    expect(c.record(equityOf('stable', T0 + MINUTE_US, 1001, 1000))).toBe(true);
    // Interval 2: 50 of capital moves from stable to canary (a flow, not a return).
    c.record(equityOf('stable', T0 + 2 * MINUTE_US, 951.5, 950));
    expect(c.record(equityOf('canary', T0 + 2 * MINUTE_US, 150.3, 150))).toBe(true);
    const rCanary = 150.3 / (100.2 + 50) - 1;
    const rStable = 951.5 / (1001 - 50) - 1;
    const second = (rCanary - rStable) * 1e4; // 1.40017 bps
    expect(second).toBeCloseTo(1.40017, 4);
    expect(c.pairedIntervals).toBe(2);
    const returns = new ArmComparison({ minObservations: 2 });
    for (const input of [
      equityOf('stable', T0, 1000, 1000),
      equityOf('canary', T0, 100, 100),
      equityOf('canary', T0 + MINUTE_US, 100.2, 100),
      equityOf('stable', T0 + MINUTE_US, 1001, 1000),
      equityOf('stable', T0 + 2 * MINUTE_US, 951.5, 950),
      equityOf('canary', T0 + 2 * MINUTE_US, 150.3, 150),
    ]) {
      returns.record(input);
    }
    const evidence = returns.evaluate().find((e) => e.metric === 'returnBps')!;
    // Mean of 10 and 1.40017 bps per minute, × 60 minutes per hour.
    expect(evidence.estimate).toBeCloseTo(((10 + second) / 2) * 60, 6);
    expect(evidence.n).toBe(2);
    expect(evidence.nStable).toBe(2);
    expect(evidence.test).toBe(TEST_NAMES.pairedIntervals);
  });

  it('scales the interval to per hour: 1 and 3 bps per minute alternating → 120 bps/h ± 60·σ̂·margin', () => {
    const c = new ArmComparison();
    let canaryEquity = 1000;
    const stableEquity = 1000; // flat stable: the difference is the canary's return
    for (let k = 0; k <= 20; k++) {
      if (k > 0) canaryEquity *= 1 + (k % 2 === 1 ? 1 : 3) / 1e4;
      c.record(equityOf('stable', T0 + k * MINUTE_US, stableEquity, 1000));
      c.record(equityOf('canary', T0 + k * MINUTE_US, canaryEquity, 1000));
    }
    expect(c.pairedIntervals).toBe(20);
    const e = c.evaluate().find((x) => x.metric === 'returnBps')!;
    expect(e.estimate).toBeCloseTo(120, 6);
    // Sample variance of ten 1s and ten 3s: 20/19.
    const half =
      60 *
      Math.sqrt(20 / 19) *
      normalMixtureMargin(20, rho2ForOptimalN(60, METRIC_ALPHA), METRIC_ALPHA);
    expect(e.ci![0]).toBeCloseTo(120 - half, 6);
    expect(e.ci![1]).toBeCloseTo(120 + half, 6);
    expect(e.verdict).toBe('better');
    expect(e.code).toBe('METRIC_BETTER');
  });

  it('skips intervals without canary capital, off-grid samples and gaps', () => {
    const c = new ArmComparison();
    c.record(equityOf('stable', T0, 1000, 1000));
    c.record(equityOf('canary', T0, 0, 0)); // no canary accounts yet
    c.record(equityOf('stable', T0 + MINUTE_US, 1000, 1000));
    expect(c.record(equityOf('canary', T0 + MINUTE_US, 100, 100))).toBe(false);
    // Off the 60 s grid: ignored.
    c.record(equityOf('stable', T0 + MINUTE_US + 1_000_000, 1, 1));
    expect(c.record(equityOf('canary', T0 + MINUTE_US + 1_000_000, 1, 1))).toBe(false);
    // A gap of two intervals: no pair; the next consecutive boundary pairs again.
    c.record(equityOf('stable', T0 + 3 * MINUTE_US, 1000, 1000));
    expect(c.record(equityOf('canary', T0 + 3 * MINUTE_US, 100, 100))).toBe(false);
    c.record(equityOf('stable', T0 + 4 * MINUTE_US, 1000, 1000));
    expect(c.record(equityOf('canary', T0 + 4 * MINUTE_US, 100, 100))).toBe(true);
    expect(c.pairedIntervals).toBe(1);
  });

  it('uses capital when contributed is absent', () => {
    const c = new ArmComparison({ minObservations: 2 });
    for (let k = 0; k <= 2; k++) {
      const tsUs = T0 + k * MINUTE_US;
      c.record({ type: 'equity', tsUs, arm: 'stable', equity: 100, capital: 100 });
      c.record({ type: 'equity', tsUs, arm: 'canary', equity: 100 * 1.01 ** k, capital: 100 });
    }
    expect(c.pairedIntervals).toBe(2);
    // Base = previous equity (no flow): +1 % a minute against flat stable = 100 bps/min = 6,000 bps/h.
    expect(c.evaluate()[3]!.estimate).toBeCloseTo(6_000, 6);
  });
});

describe('ArmComparison: evidence', () => {
  it('starts with four inconclusive records (too few), JSON-safe, with test names and defaults', () => {
    const evidence = new ArmComparison().evaluate();
    expect(evidence.map((e) => e.metric)).toEqual([
      'slippageBps',
      'latencyMs',
      'rejectRate',
      'returnBps',
    ]);
    expect(evidence.map((e) => e.test)).toEqual([
      'normal-mixture-cs/two-sample/batch-means',
      'normal-mixture-cs/two-sample/batch-means',
      'normal-mixture-cs/two-sample/bernoulli',
      'normal-mixture-cs/paired-intervals',
    ]);
    for (const e of evidence) {
      expect(e.code).toBe('METRIC_TOO_FEW');
      expect(e.verdict).toBe('inconclusive');
      expect(e.alpha).toBe(0.0125);
      expect(e.n).toBe(0);
      expect(e.estimate).toBeNull();
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
    expect(evidence.map((e) => e.margin)).toEqual([1, 5, 0.01, 5]);
  });

  it('rolls a planted latency regression to `worse` and keeps equal slippage non-inferior', () => {
    const rng = new SeededRng(3, 'test/latency');
    const c = new ArmComparison();
    const clock = { tsUs: T0 };
    const draw = (latencyMeanMs: number) => () => ({
      latencyMs: latencyMeanMs + 4 * rng.nextNormal(),
      slippageBps: 0.3 * rng.nextNormal(),
    });
    feedBatches(c, 'stable', 400, draw(20), clock);
    feedBatches(c, 'canary', 100, draw(40), clock);
    c.record(equityOf('stable', clock.tsUs + 10, 1, 1)); // closes the last batches
    const [slippage, latency] = c.evaluate();
    expect(latency!.verdict).toBe('worse');
    expect(latency!.code).toBe('METRIC_WORSE');
    expect(latency!.estimate).toBeGreaterThan(15);
    expect(latency!.n).toBe(100);
    expect(latency!.nStable).toBe(400);
    expect(latency!.ci![0]).toBeGreaterThan(5);
    expect(slippage!.verdict === 'non_inferior' || slippage!.verdict === 'better').toBe(true);
  });

  it('holds back `worse` and `non_inferior` until minObservations per arm', () => {
    const c = new ArmComparison({ minObservations: 20 });
    const clock = { tsUs: T0 };
    feedBatches(c, 'stable', 100, () => ({ latencyMs: 10, slippageBps: 0 }), clock);
    feedBatches(c, 'canary', 19, () => ({ latencyMs: 90, slippageBps: 0 }), clock);
    c.record(equityOf('stable', clock.tsUs + 10, 1, 1));
    expect(c.evaluate()[1]!.code).toBe('METRIC_TOO_FEW');
    feedBatches(c, 'canary', 1, () => ({ latencyMs: 90, slippageBps: 0 }), clock);
    c.record(equityOf('stable', clock.tsUs + 10, 1, 1));
    expect(c.evaluate()[1]!.verdict).toBe('worse');
  });

  it('gives a reject rate with no rejects on either arm a finite interval (pseudo-counts)', () => {
    const c = new ArmComparison();
    const clock = { tsUs: T0 };
    feedBatches(c, 'stable', 500, () => ({ latencyMs: 1, slippageBps: 0 }), clock);
    feedBatches(c, 'canary', 500, () => ({ latencyMs: 1, slippageBps: 0 }), clock);
    const reject = c.evaluate()[2]!;
    expect(reject.estimate).toBe(0);
    expect(reject.ci).not.toBeNull();
    expect(reject.ci![0]).toBeLessThan(0);
    expect(reject.ci![1]).toBeGreaterThan(0);
    expect(reject.n).toBe(500);
  });

  it('counts rejects per order: a canary rejecting 10 % against 0 % is worse at a 1 pp margin', () => {
    const c = new ArmComparison();
    let t = T0;
    for (let i = 0; i < 3_000; i++) {
      t += 10;
      const arm: Arm = i % 3 === 0 ? 'canary' : 'stable';
      c.record(orderSent(arm, t));
      const rejected = arm === 'canary' && i % 30 === 0; // every 10th canary order
      c.record(rejected ? rejectOf(arm, t, t + 1) : fillOf(arm, t, t + 1, 0, 1));
    }
    const reject = c.evaluate()[2]!;
    expect(reject.estimate).toBeCloseTo(0.1, 10);
    expect(reject.verdict).toBe('worse');
    expect(c.counts('canary')).toMatchObject({ orders: 1000, rejects: 100, fills: 900 });
  });

  it('passes each policy margin and α through to its evidence', () => {
    const c = new ArmComparison();
    const policies = {
      ...DEFAULT_METRIC_POLICIES,
      latencyMs: { margin: 2, alpha: 0.001 },
    };
    const latency = c.evaluate(policies)[1]!;
    expect(latency.margin).toBe(2);
    expect(latency.alpha).toBe(0.001);
  });

  it('counts strategy errors per arm', () => {
    const c = new ArmComparison();
    c.record(strategyErrorOf('canary', 1));
    c.record(strategyErrorOf('canary', 2));
    expect(c.counts('canary').strategyErrors).toBe(2);
    expect(c.counts('stable').strategyErrors).toBe(0);
  });

  it('refuses bad options', () => {
    expect(() => new ArmComparison({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => new ArmComparison({ intervalMs: 1.5 })).toThrow(RangeError);
    expect(() => new ArmComparison({ minObservations: 1 })).toThrow(RangeError);
    expect(() => new ArmComparison({ nStarOrders: 0 })).toThrow(RangeError);
  });
});
