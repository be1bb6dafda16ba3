import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import { AccountConcentration, AccountEffects } from './account-effects.js';

function simulate(
  tau: number,
  sigma: number,
  accounts: number,
  perAccount: number,
  seed: number,
): number {
  const rng = new SeededRng(seed, 'accounts');
  const effects = new AccountEffects();
  for (let j = 0; j < accounts; j++) {
    const offset = tau * rng.nextNormal();
    for (let k = 0; k < perAccount; k++) {
      const x = offset + sigma * rng.nextNormal();
      effects.add(j, 1, x, x * x);
    }
  }
  return effects.tau2;
}

describe('AccountEffects', () => {
  it('recovers the between-account variance from noisy residuals', () => {
    expect(simulate(1.5, 2, 800, 10, 1)).toBeCloseTo(2.25, 0);
    expect(Math.abs(simulate(1.5, 2, 800, 10, 1) - 2.25)).toBeLessThan(0.4);
  });

  it('is near 0 without account effects (the noise is subtracted), and never negative', () => {
    const tau2 = simulate(0, 2, 800, 10, 2);
    expect(tau2).toBeGreaterThanOrEqual(0);
    expect(tau2).toBeLessThan(0.1);
  });

  it('merges observations of the same account added in pieces', () => {
    const a = new AccountEffects();
    const b = new AccountEffects();
    for (const [j, xs] of [
      [0, [1, 2, 3]],
      [1, [5, 5, 6]],
      [2, [0, -1]],
    ] as const) {
      const values: readonly number[] = xs;
      for (const x of values) a.add(j, 1, x, x * x);
      const sum = values.reduce((s, x) => s + x, 0);
      b.add(
        j,
        values.length,
        sum,
        values.reduce((s, x) => s + x * x, 0),
      );
    }
    expect(a.tau2).toBeCloseTo(b.tau2, 12);
    expect(a.tau2).toBeGreaterThan(0);
  });
});

describe('AccountConcentration', () => {
  it('is Σn²/(Σn)² per arm: 1/k for k equal accounts, and resets', () => {
    const c = new AccountConcentration();
    for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) c.add(j, 1, 1);
    for (let j = 3; j < 103; j++) c.add(j, 0, 2);
    expect(c.factor).toBeCloseTo(1 / 3 + 1 / 100, 12);
    // The same account on both arms counts separately per arm.
    c.add(0, 0, 1);
    expect(c.sum).toEqual([201, 12]);
    c.reset();
    expect(c.factor).toBe(0);
    c.add(5, 0, 2); // a slot counted before the reset starts again from zero
    expect(c.factor).toBe(1);
  });

  it("takes a closing bucket's observations as add() once per observation would", () => {
    const observation = fc.record({
      account: fc.nat(300),
      arm: fc.integer({ min: 0, max: 1 }),
      value: fc.oneof(fc.double({ noNaN: true }), fc.constant(Number.NaN)),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(observation, { maxLength: 40 }), { maxLength: 12 }),
        fc.nat(5),
        (buckets, from) => {
          const fused = new AccountConcentration();
          const oneByOne = new AccountConcentration();
          for (const bucket of buckets) {
            const observed = new Float64Array(from + bucket.length);
            bucket.forEach((o, i) => (observed[from + i] = o.value));
            fused.addObserved(
              Int32Array.from(bucket, (o) => o.account),
              Uint8Array.from(bucket, (o) => o.arm),
              observed,
              from,
              bucket.length,
            );
            for (const o of bucket)
              if (!Number.isNaN(o.value)) oneByOne.add(o.account, o.arm === 1 ? 1 : 0, 1);
            expect(fused.sum).toEqual(oneByOne.sum);
            expect(fused.sumSq).toEqual(oneByOne.sumSq);
            expect(fused.factor).toBe(oneByOne.factor);
          }
          // After a reset, counts start again from zero (the touched slots were cleared).
          fused.reset();
          const fresh = new AccountConcentration();
          for (const bucket of buckets) {
            const observed = Float64Array.from(bucket, (o) => o.value);
            fused.addObserved(
              Int32Array.from(bucket, (o) => o.account),
              Uint8Array.from(bucket, (o) => o.arm),
              observed,
              0,
              bucket.length,
            );
            for (const o of bucket)
              if (!Number.isNaN(o.value)) fresh.add(o.account, o.arm === 1 ? 1 : 0, 1);
          }
          expect(fused.sumSq).toEqual(fresh.sumSq);
        },
      ),
    );
  });

  it("adds a closing bucket's residuals as add() once per report would", () => {
    const value = fc.oneof(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constant(Number.NaN),
    );
    const mean = fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.constant(Number.NaN));
    const report = fc.record({ account: fc.nat(150), arm: fc.integer({ min: 0, max: 1 }), value });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(report, { maxLength: 40 }), mean, mean), { maxLength: 12 }),
        (buckets) => {
          const fused = new AccountEffects();
          const oneByOne = new AccountEffects();
          for (const [reports, stableMean, canaryMean] of buckets) {
            fused.addResiduals(
              Int32Array.from(reports, (r) => r.account),
              Uint8Array.from(reports, (r) => r.arm),
              Float64Array.from(reports, (r) => r.value),
              0,
              reports.length,
              stableMean,
              canaryMean,
            );
            for (const r of reports) {
              const armMean = r.arm === 1 ? canaryMean : stableMean;
              if (Number.isNaN(r.value) || Number.isNaN(armMean)) continue;
              const residual = r.value - armMean;
              oneByOne.add(r.account, 1, residual, residual * residual);
            }
          }
          expect(fused.accounts).toBe(oneByOne.accounts);
          expect(fused.tau2).toBe(oneByOne.tau2);
          expect(fused.withinVariance).toBe(oneByOne.withinVariance);
          for (let j = 0; j <= 150; j++)
            expect(fused.shrunkEffect(j)).toBe(oneByOne.shrunkEffect(j));
        },
      ),
      { numRuns: 300 },
    );
  });
});
