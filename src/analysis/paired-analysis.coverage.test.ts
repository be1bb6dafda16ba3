import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import { Decimal } from '../core/money.js';
import { SeededRng } from '../core/seeded-rng.js';
import { normalQuantile } from './normal-distribution.js';
import { meanBounds, rateBounds, type Bounds } from './paired-bounds.js';
import { PairedOrderMetrics, type OrderMetric, type Pairing } from './paired-order-metrics.js';

/**
 * Coverage of the paired analysis under continuous monitoring, on data built to break it: skewed
 * (log-normal σ 1 latency, 3 canary fills a bucket), clustered (persistent per-account offsets,
 * 3 canary accounts), serially correlated (volatility regimes with arms deciding at different
 * moments) and bursty (1 % of batches fully rejected, arms out of step). Each scenario runs
 * seeded sequences of 30 buckets, looks after every bucket, and counts the sequences whose harm
 * bound (at α_harm) or safe bound (at α_safe) ever excludes the truth. Beside each, the same data
 * judged the naive way the issue found wrong (orders as independent units, no pairing, no
 * accounts, no episodes, a fixed-n z interval) fails: the scenarios do break rules.
 */

const ALPHA_HARM = 0.005;
const ALPHA_SAFE = 0.025;
const RUNS = 250;
const BUCKETS = 30;
const MINUTE_US = 60_000_000;
const QUANTITY = new Decimal(1);

interface Scenario {
  readonly metric: OrderMetric;
  readonly margin: number;
  /** True difference canary − stable. */
  readonly delta: number;
  readonly canaryOrders: number;
  readonly stableOrders: number;
  readonly canaryAccounts: number;
  /** Per-account persistent offset, sd. */
  readonly accountSd: number;
  /** The value of one order; `shock` is the arm's market moment (shared when in step). */
  readonly draw: (rng: SeededRng, shock: number) => number;
  /** The bucket's market moment; `outOfStep`: each arm gets its own. */
  readonly shock: (rng: SeededRng, bucket: number) => number;
  readonly outOfStep: boolean;
  /** Probability a batch is fully rejected (rates only). */
  readonly burst?: number;
  /** Bucket width, ms (default 60 s: one decision moment per arm and minute). */
  readonly bucketMs?: number;
  /** Out of step, how long after stable the canary decides, ms (default 5 s). */
  readonly canaryDelayMs?: number;
  /** Which sequence is judged (default `bucket`: same-bucket pairs only). */
  readonly pairing?: Pairing;
}

interface Outcome {
  readonly harm: number;
  readonly safe: number;
  /** The same with the naive analysis. */
  readonly naiveHarm: number;
  readonly naiveSafe: number;
  /** Shown worse than the margin (the harm bound above it) at some look. */
  readonly worse: number;
}

function run(s: Scenario, seed: number): Outcome {
  const rng = new SeededRng(seed, `coverage/${s.metric}/${s.delta}`);
  const m = new PairedOrderMetrics(s.bucketMs ?? 60_000);
  m.startStep(0, 0);
  const offsets = (n: number): number[] =>
    Array.from({ length: n }, () => s.accountSd * rng.nextNormal());
  const canaryOffsets = offsets(s.canaryAccounts);
  const stableOffsets = offsets(50);
  let harm = 0;
  let safe = 0;
  let naiveHarm = 0;
  let naiveSafe = 0;
  let worse = 0;
  // The naive analysis: every order an independent observation, arms unpaired (Welford sums).
  const naive = { c: { n: 0, s: 0, ss: 0 }, s: { n: 0, s: 0, ss: 0 } };
  const z = (alpha: number): number => -normalQuantile(alpha);
  let id = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const t = b * MINUTE_US + 1_000_000;
    const shockStable = s.shock(rng, b);
    const shockCanary = s.outOfStep ? s.shock(rng, b) : shockStable;
    const burstStable = s.burst !== undefined && rng.nextFloat() < s.burst;
    const burstCanary =
      s.burst !== undefined && (s.outOfStep ? rng.nextFloat() < s.burst : burstStable);
    for (const arm of ['stable', 'canary'] as const satisfies readonly Arm[]) {
      const canary = arm === 'canary';
      // Out of step, the canary decides 5 s after stable (another moment of the same minute).
      const decided = canary && s.outOfStep ? t + (s.canaryDelayMs ?? 5_000) * 1000 : t;
      const n = canary ? s.canaryOrders : s.stableOrders;
      const accounts = canary ? canaryOffsets : stableOffsets;
      for (let i = 0; i < n; i++) {
        const account = i % accounts.length;
        const value =
          s.draw(rng, canary ? shockCanary : shockStable) +
          accounts[account]! +
          (canary ? s.delta : 0);
        const common = {
          orderId: String(id++),
          accountId: `${arm}-${account}`,
          arm,
          symbol: 'X',
          side: 'buy' as const,
          quantity: QUANTITY,
          decisionTsUs: decided,
          tsUs: decided + 20_000,
        };
        m.order(arm, decided);
        let observed: number;
        if (s.metric === 'rejectRate') {
          const rejected = (canary ? burstCanary : burstStable) || rng.nextFloat() < value;
          observed = rejected ? 1 : 0;
          m.report(
            rejected
              ? { ...common, type: 'reject', reason: 'VENUE', message: '' }
              : {
                  ...common,
                  type: 'fill',
                  price: QUANTITY,
                  fee: QUANTITY,
                  latencyMs: 20,
                  slippageBps: 0,
                },
          );
        } else {
          observed = value;
          m.report({
            ...common,
            type: 'fill',
            price: QUANTITY,
            fee: QUANTITY,
            latencyMs: s.metric === 'latencyMs' ? value : 20,
            slippageBps: s.metric === 'slippageBps' ? value : 0,
          });
        }
        const acc = canary ? naive.c : naive.s;
        acc.n++;
        acc.s += observed;
        acc.ss += observed * observed;
      }
    }
    m.advance(t + MINUTE_US);
    const bounds: Bounds = (s.metric === 'rejectRate' ? rateBounds : meanBounds)(
      m.sequence(s.metric, 'step', s.pairing ?? 'bucket'),
      {
        variance: m.accountVariance(s.metric, 'step', s.pairing ?? 'bucket'),
        degreesOfFreedom: m.accountDegreesOfFreedom(s.metric),
      },
      s.margin,
      ALPHA_HARM,
      ALPHA_SAFE,
    );
    if (bounds.lower > s.delta) harm = 1;
    if (bounds.upper < s.delta) safe = 1;
    if (bounds.lower > s.margin) worse = 1;
    const mean = (a: { n: number; s: number }): number => a.s / a.n;
    const variance = (a: { n: number; s: number; ss: number }): number =>
      Math.max(1e-12, (a.ss - (a.s * a.s) / a.n) / (a.n - 1));
    const estimate = mean(naive.c) - mean(naive.s);
    const se = Math.sqrt(variance(naive.c) / naive.c.n + variance(naive.s) / naive.s.n);
    if (estimate - z(ALPHA_HARM) * se > s.delta) naiveHarm = 1;
    if (estimate + z(ALPHA_SAFE) * se < s.delta) naiveSafe = 1;
  }
  return { harm, safe, naiveHarm, naiveSafe, worse };
}

function rates(s: Scenario): Outcome {
  let harm = 0;
  let safe = 0;
  let naiveHarm = 0;
  let naiveSafe = 0;
  let worse = 0;
  for (let r = 0; r < RUNS; r++) {
    const o = run(s, r);
    harm += o.harm;
    safe += o.safe;
    naiveHarm += o.naiveHarm;
    naiveSafe += o.naiveSafe;
    worse += o.worse;
  }
  return {
    harm: harm / RUNS,
    safe: safe / RUNS,
    naiveHarm: naiveHarm / RUNS,
    naiveSafe: naiveSafe / RUNS,
    worse: worse / RUNS,
  };
}

// A rate that nominally is at most α, seen in RUNS sequences, is allowed binomial noise: α plus
// three standard errors (and at least 1.5 %).
const tolerance = (alpha: number): number =>
  Math.max(0.015, alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / RUNS));
const TIMEOUT = 120_000;

describe('the paired analysis keeps its error rates on data that breaks naive rules', () => {
  it(
    'skewed: log-normal (σ 1) latency, 3 canary fills a bucket, canary at the margin',
    { timeout: TIMEOUT },
    () => {
      const o = rates({
        metric: 'latencyMs',
        margin: 5,
        delta: 5,
        canaryOrders: 3,
        stableOrders: 60,
        canaryAccounts: 3,
        accountSd: 0,
        draw: (rng) => 15 + 5 * Math.exp(rng.nextNormal() - 0.5),
        shock: () => 0,
        outOfStep: false,
      });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
      // Looking every bucket at a fixed-n interval is what fails here.
      expect(o.naiveSafe + o.naiveHarm).toBeGreaterThan(2 * ALPHA_SAFE);
    },
  );

  it(
    'clustered: persistent per-account offsets of 1.5 bp with 3 canary accounts (A/A)',
    { timeout: TIMEOUT },
    () => {
      const o = rates({
        metric: 'slippageBps',
        margin: 2,
        delta: 0,
        canaryOrders: 3,
        stableOrders: 100,
        canaryAccounts: 3,
        accountSd: 1.5,
        draw: (rng, shock) => shock + 0.3 * rng.nextNormal(),
        shock: (rng) => rng.nextNormal(),
        outOfStep: false,
      });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
      // Orders as units, accounts ignored: the A/A interval excludes 0 most of the time.
      expect(o.naiveSafe + o.naiveHarm).toBeGreaterThan(0.3);
    },
  );

  it(
    'serially correlated: volatility regimes, arms deciding at different moments, canary at the margin',
    { timeout: TIMEOUT },
    () => {
      const o = rates({
        metric: 'slippageBps',
        margin: 1,
        delta: 1,
        canaryOrders: 10,
        stableOrders: 100,
        canaryAccounts: 10,
        accountSd: 0,
        draw: (rng, shock) => shock + 0.3 * rng.nextNormal(),
        // Calm and volatile spells of ten minutes: the arms' moments differ, their moves do not cancel.
        shock: (rng, bucket) => (Math.floor(bucket / 10) % 2 === 0 ? 0.5 : 2.5) * rng.nextNormal(),
        outOfStep: true,
      });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
      expect(o.naiveSafe + o.naiveHarm).toBeGreaterThan(0.3);
    },
  );

  // Arms that never share a 10 s bucket (the canary decides 30 s after stable, every minute), in
  // volatility regimes: only the pairing windows (a one-armed bucket carried to the other arm's
  // next one) compare them at all.
  const apart = {
    metric: 'slippageBps',
    margin: 1,
    canaryOrders: 10,
    stableOrders: 100,
    canaryAccounts: 10,
    accountSd: 0,
    draw: (rng: SeededRng, shock: number) => shock + 0.3 * rng.nextNormal(),
    shock: (rng: SeededRng, bucket: number) =>
      (Math.floor(bucket / 10) % 2 === 0 ? 0.5 : 2.5) * rng.nextNormal(),
    outOfStep: true,
    bucketMs: 10_000,
    canaryDelayMs: 30_000,
    pairing: 'window',
  } as const;

  it(
    'arms that never share a bucket, paired across windows: at the margin, both bounds keep their rates',
    { timeout: TIMEOUT },
    () => {
      const o = rates({ ...apart, delta: 1 });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
    },
  );

  it(
    'arms that never share a bucket, paired across windows: every fill 5 bps worse is shown worse',
    { timeout: TIMEOUT },
    () => {
      const o = rates({ ...apart, delta: 5 });
      expect(o.worse).toBeGreaterThanOrEqual(0.95);
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
    },
  );

  it(
    'bursty: 1 % of batches fully rejected, arms out of step, equal rates',
    { timeout: TIMEOUT },
    () => {
      const o = rates({
        metric: 'rejectRate',
        margin: 0.03,
        delta: 0,
        canaryOrders: 10,
        stableOrders: 100,
        canaryAccounts: 10,
        accountSd: 0,
        draw: () => 0.005,
        shock: () => 0,
        outOfStep: true,
        burst: 0.01,
      });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
      expect(o.harm).toBeLessThanOrEqual(tolerance(ALPHA_HARM));
      // Rejects counted per order, a burst as n independent rejects: false "worse" or "better".
      expect(o.naiveSafe + o.naiveHarm).toBeGreaterThan(2 * ALPHA_SAFE);
    },
  );

  it(
    'bursty and at the margin: 3 percentage points worse, never shown non-inferior',
    { timeout: TIMEOUT },
    () => {
      const o = rates({
        metric: 'rejectRate',
        margin: 0.03,
        delta: 0.03,
        canaryOrders: 10,
        stableOrders: 100,
        canaryAccounts: 10,
        accountSd: 0,
        draw: () => 0.005,
        shock: () => 0,
        outOfStep: true,
        burst: 0.01,
      });
      expect(o.safe).toBeLessThanOrEqual(tolerance(ALPHA_SAFE));
    },
  );
});
