import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import { fillOf, rejectOf } from './test-support/records.js';
import {
  BURST_MIN_REJECTS,
  decidedTogether,
  MIN_PAIRING_WINDOW_MS,
  PairedOrderMetrics,
  summarizeArms,
  WINSOR_BOUNDS,
  type OpenBucket,
} from './paired-order-metrics.js';

const S = 1_000_000; // µs per second
const T0 = 1_000 * 60 * S;

describe('PairedOrderMetrics', () => {
  it('pairs the arms bucket by bucket once every order has a report and time has passed the end', () => {
    const m = new PairedOrderMetrics(60_000);
    m.startStep(0, T0);
    const t = T0 + 10 * S;
    for (const arm of ['stable', 'stable', 'canary'] as const) m.order(arm, t);
    m.report(fillOf('stable', t, t + 20_000, 1, 20));
    m.report(fillOf('stable', t, t + 25_000, 3, 25));
    expect(m.advance(T0 + 61 * S)).toEqual({ closed: 0, paired: 0 }); // a report is missing
    m.report(fillOf('canary', t, t + 30_000, 4, 30));
    expect(m.advance(T0 + 59 * S)).toEqual({ closed: 0, paired: 0 }); // the bucket is not over
    expect(m.advance(T0 + 60 * S)).toEqual({ closed: 1, paired: 1 });
    const slippage = m.sequence('slippageBps', 'step').variance();
    expect(slippage.estimate).toBe(2); // 4 − mean(1, 3)
    expect(m.sequence('latencyMs', 'rollout').variance().estimate).toBe(7.5);
    expect(m.sequence('rejectRate', 'step').variance().estimate).toBe(0);
    // Both arms decided at the same instant: the market moment is shared.
    expect(m.sequence('slippageBps', 'step').synchronized).toBe(true);
  });

  it('tells arms that decided at different instants apart (their buckets are not synchronized)', () => {
    const m = new PairedOrderMetrics(60_000);
    m.order('stable', T0 + 10 * S);
    m.order('canary', T0 + 15 * S);
    m.report(fillOf('stable', T0 + 10 * S, T0 + 11 * S, 1));
    m.report(fillOf('canary', T0 + 15 * S, T0 + 16 * S, 1));
    m.advance(T0 + 60 * S);
    expect(m.sequence('slippageBps', 'rollout').buckets).toBe(1);
    expect(m.sequence('slippageBps', 'rollout').synchronized).toBe(false);
  });

  it('pairs arms that never share a bucket across a window of consecutive buckets, within the window only', () => {
    // 10 s buckets: stable decides at 2, 8 and 12 s, the canary at 25 s, then stable
    // again at 100 s and the canary only at 175 s (beyond the 60 s window: not paired).
    const m = new PairedOrderMetrics(10_000);
    expect(m.maxWindowUs).toBe(MIN_PAIRING_WINDOW_MS * 1000);
    const trade = (arm: 'stable' | 'canary', at: number, slippage: number[]) => {
      for (const value of slippage) {
        m.order(arm, T0 + at * S);
        m.report(fillOf(arm, T0 + at * S, T0 + at * S + 20_000, value));
      }
    };
    trade('stable', 2, [1, 3]);
    trade('stable', 8, [2]); // the same bucket
    trade('stable', 12, [4]); // a later stable-only bucket: the one that waits
    trade('canary', 25, [7, 7]);
    trade('stable', 100, [0]);
    trade('canary', 175, [9]);
    m.advance(T0 + 200 * S);
    const slippage = m.sequence('slippageBps', 'rollout', 'window');
    expect(slippage.buckets).toBe(1);
    expect(slippage.variance().estimate).toBe(3); // 7 − 4: neighbours, the older bucket dropped
    expect(slippage.synchronized).toBe(false);
    // The same-bucket sequence has none of it: its arms never met in one bucket.
    expect(m.sequence('slippageBps', 'rollout', 'bucket').buckets).toBe(0);
  });

  it('never pairs across a membership change or a step', () => {
    const m = new PairedOrderMetrics(10_000);
    const trade = (arm: 'stable' | 'canary', at: number) => {
      m.order(arm, T0 + at * S);
      m.report(fillOf(arm, T0 + at * S, T0 + at * S + 20_000, arm === 'canary' ? 5 : 1));
      m.advance(T0 + (Math.floor(at / 10) + 1) * 10 * S + S);
    };
    m.startStep(0, T0);
    trade('stable', 2);
    m.startStep(1, T0 + 12 * S);
    trade('canary', 15); // another step than the stable bucket it would pair with
    expect(m.sequence('slippageBps', 'rollout', 'window').buckets).toBe(0);
    trade('stable', 32); // the same step, within the window: paired with the canary at 15 s
    expect(m.sequence('slippageBps', 'rollout', 'window').buckets).toBe(1);
    trade('stable', 50);
    m.markMembershipChange(T0 + 55 * S);
    trade('canary', 75); // after the change: the stable bucket before it is not its pair
    expect(m.sequence('slippageBps', 'rollout', 'window').buckets).toBe(1);
  });

  it('closes a bucket whose reports never come, closeAfterMs after its end', () => {
    const m = new PairedOrderMetrics(10_000, 30_000);
    m.order('canary', T0 + S);
    m.order('stable', T0 + S);
    m.report(fillOf('stable', T0 + S, T0 + 2 * S, 1));
    expect(m.advance(T0 + 39 * S).closed).toBe(0);
    expect(m.advance(T0 + 40 * S)).toEqual({ closed: 1, paired: 0 });
    expect(m.openBuckets).toBe(0);
    m.report(fillOf('canary', T0 + S, T0 + 41 * S, 1));
    expect(m.lateReports).toBe(1);
  });

  it('restarts the step sequences at a new step; orders decided before it stay in the old step', () => {
    const m = new PairedOrderMetrics(60_000);
    m.startStep(0, T0);
    const before = T0 + 50 * S;
    m.order('stable', before);
    m.order('canary', before);
    m.startStep(1, T0 + 55 * S);
    m.report(fillOf('stable', before, before + S, 1));
    m.report(fillOf('canary', before, before + S, 2));
    const after = T0 + 56 * S;
    m.order('stable', after);
    m.order('canary', after);
    m.report(fillOf('stable', after, after + S, 1));
    m.report(fillOf('canary', after, after + S, 5));
    m.advance(T0 + 60 * S);
    // Both are in the rollout's sequence; only the later one is the new step's.
    expect(m.sequence('slippageBps', 'rollout').buckets).toBe(2);
    expect(m.sequence('slippageBps', 'step').buckets).toBe(1);
    expect(m.sequence('slippageBps', 'step').variance().estimate).toBe(4);
  });

  it('puts the orders decided at the very instant a step starts in the new step', () => {
    // The step starts at the time of the orders just decided: those decided after the start, at
    // the same instant (accounts joining an arm at a weight change), are the new step's.
    const m = new PairedOrderMetrics(60_000);
    m.startStep(0, T0);
    const at = T0 + 50 * S;
    m.order('stable', at);
    m.order('canary', at);
    m.report(fillOf('stable', at, at + S, 1));
    m.report(fillOf('canary', at, at + S, 2));
    m.startStep(1, at);
    m.order('stable', at);
    m.order('canary', at);
    expect(m.openBuckets).toBe(2);
    m.report(fillOf('stable', at, at + S, 1));
    m.report(fillOf('canary', at, at + S, 5));
    m.advance(T0 + 60 * S);
    expect(m.lateReports).toBe(0);
    expect(m.sequence('slippageBps', 'rollout').buckets).toBe(2);
    expect(m.sequence('slippageBps', 'step').buckets).toBe(1);
    expect(m.sequence('slippageBps', 'step').variance().estimate).toBe(4);
  });

  it('counts a burst (a batch mostly rejected) as one episode, out of the rate comparison', () => {
    const m = new PairedOrderMetrics(60_000);
    const t = T0 + S;
    for (let i = 0; i < 10; i++) {
      m.order('canary', t);
      m.report(rejectOf('canary', t, t + 1000, 'VENUE'));
    }
    for (let i = 0; i < 10; i++) {
      m.order('stable', t);
      m.report(fillOf('stable', t, t + 1000, 0));
    }
    m.advance(T0 + 60 * S);
    expect(m.bursts('canary')).toBe(1);
    expect(m.bursts('stable')).toBe(0);
    // The burst's orders are not reject-rate observations: no pair for the rate in that bucket.
    expect(m.sequence('rejectRate', 'rollout').buckets).toBe(0);
    expect(BURST_MIN_REJECTS).toBe(3);
  });

  it('keeps independent rejects (less than half a batch) as order-level observations', () => {
    const m = new PairedOrderMetrics(60_000);
    const t = T0 + S;
    for (let i = 0; i < 10; i++) {
      m.order('canary', t);
      m.report(i < 4 ? rejectOf('canary', t, t + 1000) : fillOf('canary', t, t + 1000, 0));
      m.order('stable', t);
      m.report(fillOf('stable', t, t + 1000, 0));
    }
    m.advance(T0 + 60 * S);
    expect(m.bursts('canary')).toBe(0);
    expect(m.sequence('rejectRate', 'rollout').variance().estimate).toBeCloseTo(0.4, 12);
  });

  it('clips absurd values so that one of them moves an estimate by a bounded amount', () => {
    const m = new PairedOrderMetrics(60_000);
    const t = T0 + S;
    m.order('canary', t);
    m.report(fillOf('canary', t, t + 1000, 1e308, Number.NaN));
    m.order('stable', t);
    m.report(fillOf('stable', t, t + 1000, 0, 20));
    m.advance(T0 + 60 * S);
    expect(m.winsorized).toBe(2);
    expect(m.sequence('slippageBps', 'rollout').variance().estimate).toBe(
      WINSOR_BOUNDS.slippageBps,
    );
  });

  it("estimates the accounts' own effects from their residuals", () => {
    const m = new PairedOrderMetrics(60_000);
    for (let b = 0; b < 20; b++) {
      const t = T0 + b * 60 * S + S;
      for (let j = 0; j < 50; j++) {
        // Account j is always j/10 bp worse: a between-account variance of about 2.1.
        m.order('stable', t);
        m.report({ ...fillOf('stable', t, t + 1000, j / 10 + (b % 2) * 0.01), accountId: `a${j}` });
      }
      m.order('canary', t);
      m.report({ ...fillOf('canary', t, t + 1000, 0), accountId: 'c1' });
      m.advance(t + 60 * S);
    }
    expect(m.tau2('slippageBps')).toBeGreaterThan(1.5);
    expect(m.tau2('latencyMs')).toBe(0);
    // One canary account: the account part of the step's variance is the full τ̂² (+ stable's share).
    expect(m.accountVariance('slippageBps', 'rollout')).toBeGreaterThan(m.tau2('slippageBps'));
  });

  it("judges non-inferiority by the canary's own accounts when a fault hits some of them", () => {
    // 200 alike stable accounts and 10 canary accounts, 2 of them 10 bp worse (a fault on a
    // fifth of the accounts): pooled over 210 accounts the spread is small, the canary's own
    // is that of {10, 10, 0 × 8}.
    const m = new PairedOrderMetrics(60_000);
    const rng = new SeededRng(5, 'canary-accounts');
    for (let b = 0; b < 30; b++) {
      const t = T0 + b * 60 * S + S;
      for (let j = 0; j < 200; j++) {
        m.order('stable', t);
        m.report({ ...fillOf('stable', t, t + 1000, rng.nextNormal()), accountId: `s${j}` });
      }
      for (let j = 0; j < 10; j++) {
        m.order('canary', t);
        const value = (j < 2 ? 10 : 0) + rng.nextNormal();
        m.report({ ...fillOf('canary', t, t + 1000, value), accountId: `c${j}` });
      }
      m.advance(t + 60 * S);
    }
    expect(m.canaryAccountsDiffer('slippageBps')).toBe(true);
    const pooled = m.accountVariance('slippageBps', 'rollout');
    const canary = m.accountVariance('slippageBps', 'rollout', 'bucket', 'canary');
    // {10, 10, 0 × 8}: a between-account variance of 17.8, a tenth of it on the canary's mean.
    expect(canary).toBeGreaterThan(1.4);
    expect(pooled).toBeLessThan(0.2);
    expect(m.accountDegreesOfFreedom('slippageBps', 'canary')).toBe(9);
    expect(m.accountDegreesOfFreedom('slippageBps')).toBe(209);
  });

  it("judges by the pooled accounts when the canary's are alike", () => {
    const m = new PairedOrderMetrics(60_000);
    const rng = new SeededRng(6, 'alike-accounts');
    for (let b = 0; b < 30; b++) {
      const t = T0 + b * 60 * S + S;
      for (let j = 0; j < 40; j++) {
        const arm = j < 30 ? 'stable' : 'canary';
        m.order(arm, t);
        // Every account persistently offset by j % 5 bp, on either arm.
        m.report({ ...fillOf(arm, t, t + 1000, (j % 5) + rng.nextNormal()), accountId: `a${j}` });
      }
      m.advance(t + 60 * S);
    }
    const pooled = m.accountVariance('slippageBps', 'rollout');
    const canary = m.accountVariance('slippageBps', 'rollout', 'bucket', 'canary');
    expect(pooled).toBeGreaterThan(0);
    expect(canary).toBeGreaterThanOrEqual(pooled);
    expect(canary).toBeLessThan(pooled * 1.5);
  });
});

describe('PairedOrderMetrics: accounts by accountSeq', () => {
  it('gives the same analysis whether reports carry accountSeq, some of them, or none', () => {
    const MINUTE = 60 * S;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        // Per account: which seqs its reports may carry (an account opened again gets a new one).
        fc.array(fc.constantFrom('none', 'one', 'two', 'mixed'), { minLength: 6, maxLength: 6 }),
        (seed, policies) => {
          const rng = new SeededRng(seed, 'account-seq');
          const plain = new PairedOrderMetrics(60_000);
          const numbered = new PairedOrderMetrics(60_000);
          const offsets = policies.map(() => 2 * rng.nextNormal());
          let nextSeq = 0;
          const seqs = policies.map(() => [nextSeq++, nextSeq++] as const);
          const both = (f: (m: PairedOrderMetrics) => void): void => {
            f(plain);
            f(numbered);
          };
          both((m) => m.startBaseline(0));
          for (let b = 0; b < 12; b++) {
            if (b === 4) both((m) => m.startStep(0, 4 * MINUTE));
            const t = b * MINUTE + S;
            const market = 3 * rng.nextNormal();
            for (let a = 0; a < policies.length; a++) {
              const arm = b >= 4 && a < 2 ? 'canary' : 'stable';
              const report = {
                ...fillOf(arm, t, t + 1000 * (20 + a), market + offsets[a]! + rng.nextNormal()),
                accountId: `a${a}`,
              };
              const policy = policies[a]!;
              const seq =
                policy === 'none'
                  ? undefined
                  : policy === 'one'
                    ? seqs[a]![0]
                    : policy === 'two'
                      ? seqs[a]![b % 2]
                      : b % 3 === 0
                        ? undefined
                        : seqs[a]![0];
              both((m) => m.order(arm, t));
              plain.report(report);
              numbered.report(seq === undefined ? report : { ...report, accountSeq: seq });
            }
            both((m) => m.advance((b + 1) * MINUTE + 1));
          }
          for (const metric of ['slippageBps', 'latencyMs'] as const) {
            expect(numbered.tau2(metric)).toBe(plain.tau2(metric));
            expect(numbered.accountVariance(metric, 'step')).toBe(
              plain.accountVariance(metric, 'step'),
            );
            expect(numbered.sequence(metric, 'step').variance()).toEqual(
              plain.sequence(metric, 'step').variance(),
            );
            for (let a = 0; a < policies.length; a++) {
              expect(numbered.baselineEffect(metric, `a${a}`)).toBe(
                plain.baselineEffect(metric, `a${a}`),
              );
            }
          }
          expect(numbered.adjustedAccounts).toBe(plain.adjustedAccounts);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("PairedOrderMetrics: the step sharing the rollout's sums", () => {
  const METRICS = ['slippageBps', 'latencyMs', 'rejectRate', 'feeBps'] as const;

  /** Every figure the analysis reads of each metric, scope and pairing. */
  function figures(m: PairedOrderMetrics): unknown[] {
    const out: unknown[] = [];
    for (const metric of METRICS) {
      for (const scope of ['rollout', 'step'] as const) {
        for (const pairing of ['bucket', 'window'] as const) {
          const sequence = m.sequence(metric, scope, pairing);
          out.push([
            metric,
            scope,
            pairing,
            sequence.variance(),
            sequence.buckets,
            sequence.canaryN,
            sequence.stableN,
            sequence.synchronized,
            sequence.canarySum,
            sequence.stableSum,
            sequence.withinVariance(),
            sequence.bernoulliWithin(0.01),
            m.accountVariance(metric, scope, pairing),
          ]);
        }
      }
    }
    return out;
  }

  it('gives every figure the separate sums give, through steps, late buckets and windows (property)', () => {
    const BUCKET = 10 * S;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        // A baseline (none, or from a bucket on: pairs before it stay in the step's sums).
        fc.option(fc.integer({ min: 0, max: 8 }), { nil: -1 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 17 }), { maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 17 }), { maxLength: 2 }),
        (seed, baselineAt, stepStarts, membershipChanges) => {
          const rng = new SeededRng(seed, 'step-shares-rollout');
          const shared = new PairedOrderMetrics(10_000);
          const apart = new PairedOrderMetrics(10_000, undefined, { stepSharesRollout: false });
          const both = (f: (m: PairedOrderMetrics) => void): void => {
            f(shared);
            f(apart);
          };
          let step = 0;
          // Reports held back: they arrive buckets later, after a step may have started.
          let held: ReturnType<typeof fillOf | typeof rejectOf>[] = [];
          for (let b = 0; b < 18; b++) {
            const start = b * BUCKET;
            // A baseline comes before the first step, or not at all.
            if (b === baselineAt && step === 0) both((m) => m.startBaseline(start));
            if (stepStarts.includes(b)) {
              const index = step++;
              both((m) => m.startStep(index, start));
            }
            if (membershipChanges.includes(b)) both((m) => m.markMembershipChange(start));
            for (const arm of ['stable', 'canary'] as const) {
              if (rng.nextFloat() < 0.35) continue; // one arm alone: carried to a window
              const t = start + Math.floor(rng.nextFloat() * BUCKET);
              const orders = 1 + Math.floor(rng.nextFloat() * 4);
              for (let o = 0; o < orders; o++) {
                both((m) => m.order(arm, t));
                const accountId = `a${Math.floor(rng.nextFloat() * 6)}`;
                const report =
                  rng.nextFloat() < 0.1
                    ? { ...rejectOf(arm, t, t + 20_000), accountId }
                    : {
                        ...fillOf(
                          arm,
                          t,
                          t + 1000 * (10 + Math.floor(40 * rng.nextFloat())),
                          3 * rng.nextNormal(),
                        ),
                        accountId,
                      };
                if (rng.nextFloat() < 0.2) held.push(report);
                else both((m) => m.report(report));
              }
            }
            if (rng.nextFloat() < 0.4) {
              for (const report of held) both((m) => m.report(report));
              held = [];
            }
            both((m) => m.advance(start + BUCKET + 1));
            expect(figures(shared)).toEqual(figures(apart));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** A bucket of `arms.length` reports (only what the bucket's summaries read is filled in). */
function bucketOf(arms: readonly number[], decisions: readonly number[]): OpenBucket {
  const size = arms.length;
  return {
    step: 0,
    endUs: 0,
    pending: 0,
    size,
    account: Int32Array.from(arms, (_, i) => i),
    arm: Uint8Array.from(arms),
    kind: new Uint8Array(size),
    slippage: new Float64Array(size),
    latency: new Float64Array(size),
    fee: new Float64Array(size),
    decision: Float64Array.from(decisions),
  };
}

describe('closing a bucket', () => {
  const report = fc.record({ arm: fc.integer({ min: 0, max: 1 }), decision: fc.nat(80) });

  it('tells decision batches taken together as a set comparison does, with few or many instants', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 300 }), fc.nat(5), (reports, spread) => {
        // A spread of 0 gives a handful of instants (the short lists), 5 up to 81 (the sets).
        const decisions = reports.map((r) => T0 + (spread === 0 ? r.decision % 4 : r.decision));
        const bucket = bucketOf(
          reports.map((r) => r.arm),
          decisions,
        );
        const times = [new Set<number>(), new Set<number>()];
        reports.forEach((r, i) => times[r.arm]!.add(decisions[i]!));
        const [stable, canary] = times as [Set<number>, Set<number>];
        const expected =
          stable.size > 0 && stable.size === canary.size && [...stable].every((t) => canary.has(t));
        expect(decidedTogether(bucket)).toBe(expected);
      }),
      { numRuns: 400 },
    );
    // Both arms at the same instants, few or many of them, in any order: taken together.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.nat(), (instants, seed) => {
        const rng = new SeededRng(seed, 'bucket');
        const reports = Array.from({ length: 3 * instants }, (_, i) => ({
          arm: i < 2 * instants ? i % 2 : rng.nextFloat() < 0.5 ? 0 : 1,
          decision: T0 + (i < 2 * instants ? i >> 1 : Math.floor(rng.nextFloat() * instants)),
        })).sort(() => rng.nextFloat() - 0.5);
        const bucket = bucketOf(
          reports.map((r) => r.arm),
          reports.map((r) => r.decision),
        );
        expect(decidedTogether(bucket)).toBe(true);
        bucket.decision[0] = T0 - 1; // one instant of one arm only
        expect(decidedTogether(bucket)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('summarizes both arms in one pass as each arm alone would', () => {
    const value = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constant(Number.NaN),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ arm: fc.integer({ min: 0, max: 1 }), value }), { maxLength: 60 }),
        (reports) => {
          const bucket = bucketOf(
            reports.map((r) => r.arm),
            reports.map(() => T0),
          );
          const observed = Float64Array.from(reports, (r) => r.value);
          const [stable, canary] = summarizeArms(bucket, observed, 0);
          for (const [arm, summary] of [
            [0, stable],
            [1, canary],
          ] as const) {
            const values = reports.filter((r) => r.arm === arm && !Number.isNaN(r.value));
            let sum = 0;
            for (const r of values) sum += r.value;
            const n = values.length;
            const mean = n === 0 ? Number.NaN : sum / n;
            let ss = 0;
            for (const r of values) ss += (r.value - mean) * (r.value - mean);
            expect(summary).toEqual({ n, mean, variance: n < 2 ? Number.NaN : ss / (n - 1) });
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
