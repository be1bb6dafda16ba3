import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityCurve } from './equity-curve.js';

describe('EquityCurve', () => {
  it('tracks return, max drawdown with its peak and trough times, and interval returns', () => {
    const curve = new EquityCurve();
    const equities = [100, 120, 90, 130, 104];
    const returns = equities.map((e, i) => curve.add((i + 1) * 1000, e, 100));
    // 100→100 0 %, →120 +20 %, →90 −25 %, →130 +44.4 %, →104 −20 %
    expect(returns.map((r) => Number(r.toFixed(6)))).toEqual([0, 0.2, -0.25, 0.444444, -0.2]);
    expect(curve.returnPct).toBeCloseTo(4, 10);
    // 120 → 90 is −25 %; 130 → 104 only −20 %
    expect(curve.maxDrawdown).toBeCloseTo(0.25, 12);
    expect(curve.maxDrawdownPct).toBeCloseTo(25, 10);
    expect(curve.maxDrawdownPeakTsUs).toBe(2000);
    expect(curve.maxDrawdownTroughTsUs).toBe(3000);
    expect(curve.equity).toBe(104);
    expect(curve.samples).toBe(5);
    const mean = (0 + 0.2 - 0.25 + 4 / 9 - 0.2) / 5;
    expect(curve.intervalReturnMean).toBeCloseTo(mean, 12);
    const variance =
      [0, 0.2, -0.25, 4 / 9, -0.2].reduce((acc, r) => acc + (r - mean) ** 2, 0) / (5 - 1);
    expect(curve.intervalReturnStdDev).toBeCloseTo(Math.sqrt(variance), 12);
    expect(curve.intervalReturnDownsideDev).toBeCloseTo(Math.sqrt((0.25 ** 2 + 0.2 ** 2) / 5), 12);
    expect(curve.riskIntervals).toBe(5);
    expect(curve.lastIntervalReturn).toBeCloseTo(-0.2, 12);
  });

  it('leaves intervals without capital at risk out of the interval-return statistics', () => {
    const curve = new EquityCurve();
    curve.add(1000, 0, 0); // an arm with no accounts yet
    curve.add(2000, 0, 0);
    curve.add(3000, 100, 100); // accounts join: base 100, return 0
    curve.add(4000, 110, 100); // +10 %
    curve.add(5000, 0, -10); // every account leaves with 110: base 0, no interval
    expect(curve.samples).toBe(5);
    expect(curve.riskIntervals).toBe(2);
    expect(curve.intervalReturnMean).toBeCloseTo(0.05, 12);
    expect(curve.intervalReturnDownsideDev).toBe(0);
  });

  it('has no drawdown and no return before any sample or while equity only rises', () => {
    const curve = new EquityCurve();
    expect(curve.equity).toBeNull();
    expect(curve.returnPct).toBe(0);
    expect(curve.series()).toEqual([]);
    curve.add(1, 100, 100);
    curve.add(2, 101, 100);
    expect(curve.maxDrawdown).toBe(0);
    expect(curve.maxDrawdownPeakTsUs).toBeNull();
    expect(curve.maxDrawdownTroughTsUs).toBeNull();
  });

  it('takes a first sample below capital as a drawdown from the start', () => {
    const curve = new EquityCurve({ startTsUs: 0 });
    curve.add(10, 95, 100);
    expect(curve.maxDrawdownPct).toBeCloseTo(5, 10);
    expect(curve.maxDrawdownPeakTsUs).toBe(0);
    expect(curve.maxDrawdownTroughTsUs).toBe(10);
  });

  it('treats accounts moving in or out as flows, not returns', () => {
    const curve = new EquityCurve();
    curve.add(1, 110, 100); // +10 %
    // an account worth 55 leaves; the other half grows 10 % more: 55 → 60.5
    const r = curve.add(2, 60.5, 45);
    expect(r).toBeCloseTo(0.1, 12);
    expect(curve.returnPct).toBeCloseTo(21, 10);
    expect(curve.maxDrawdown).toBe(0);
  });

  it('does not read a rollback that empties the arm as a 100 % drawdown', () => {
    const curve = new EquityCurve();
    curve.add(1, 90, 100); // −10 %
    curve.add(2, 0, 10); // all accounts (worth 90) moved out
    expect(curve.maxDrawdownPct).toBeCloseTo(10, 10);
    curve.add(3, 0, 10); // empty arm: no return
    curve.add(4, 95, 105); // an account worth 95 moved in
    curve.add(5, 104.5, 105); // +10 %
    expect(curve.maxDrawdownPct).toBeCloseTo(10, 10);
    expect(curve.returnPct).toBeCloseTo(-1, 10); // 0.9 × 1.1
  });

  it('halves its chart series deterministically when full', () => {
    const curve = new EquityCurve({ capacity: 4 });
    for (let i = 0; i < 10; i++) curve.add(i, 100 + i, 100);
    // stride 1: 0 1 2 3 | full at 4: keep 0 2, stride 2: 0 2 4 6 | full at 8: keep 0 4, stride 4: 0 4 8
    expect(curve.stride).toBe(4);
    expect(curve.series().map((p) => p.tsUs)).toEqual([0, 4, 8, 9]);
    expect(curve.series().map((p) => p.equity)).toEqual([100, 104, 108, 109]);
    expect(curve.series()[3]!.returnPct).toBeCloseTo(9, 10);
  });

  it('keeps a bounded, evenly strided series for any run length (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 16 }), (n, half) => {
        const capacity = half * 2;
        const curve = new EquityCurve({ capacity });
        for (let i = 0; i < n; i++) curve.add(i, 1000 + (i % 7), 1000);
        const ts = curve.series().map((p) => p.tsUs);
        expect(ts.length).toBeLessThanOrEqual(capacity + 1);
        expect(ts[0]).toBe(0);
        expect(ts[ts.length - 1]).toBe(n - 1);
        const kept = ts[ts.length - 1]! % curve.stride === 0 ? ts : ts.slice(0, -1);
        kept.forEach((t, i) => expect(t).toBe(i * curve.stride));
      }),
      { numRuns: 200 },
    );
  });

  it('computes the same max drawdown as a brute-force scan (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (equities) => {
          const curve = new EquityCurve();
          equities.forEach((e, i) => curve.add(i, e, 500));
          // without flows the unit value is equity / capital; drawdown over all pairs i ≤ j
          const values = [1, ...equities.map((e) => e / 500)];
          let worst = 0;
          for (let j = 0; j < values.length; j++) {
            for (let i = 0; i <= j; i++) worst = Math.max(worst, 1 - values[j]! / values[i]!);
          }
          expect(curve.maxDrawdown).toBeCloseTo(worst, 9);
          expect(curve.return).toBeCloseTo(equities[equities.length - 1]! / 500 - 1, 9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a capacity that cannot be halved', () => {
    expect(() => new EquityCurve({ capacity: 3 })).toThrow(RangeError);
    expect(() => new EquityCurve({ capacity: 0 })).toThrow(RangeError);
  });
});
