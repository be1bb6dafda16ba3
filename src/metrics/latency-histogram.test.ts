import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('reports quantiles in ms and exact mean and max', () => {
    const h = new LatencyHistogram();
    for (const ms of [1, 2, 3, 4, 100.0004]) h.record(ms);
    // nearest rank: p50 → 3rd of 5, p99 → 5th
    expect(h.quantileMs(0.5)).toBeCloseTo(3, 2);
    expect(h.quantileMs(0.99)).toBeCloseTo(100, 2);
    expect(h.meanMs).toBeCloseTo(22.00008, 9);
    expect(h.maxMs).toBe(100.0004);
    expect(h.count).toBe(5);
  });

  it('counts negative latency as 0 and ignores non-finite values', () => {
    const h = new LatencyHistogram();
    expect(h.quantileMs(0.5)).toBeNull();
    expect(h.meanMs).toBeNull();
    expect(h.maxMs).toBeNull();
    h.record(-3);
    h.record(Number.NaN);
    expect(h.count).toBe(1);
    expect(h.quantileMs(0.5)).toBe(0);
    expect(h.maxMs).toBe(0);
  });

  it('matches exact sorted-array quantiles within the HDR precision (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
          const exact = sorted[rank - 1]!;
          expect(Math.abs(h.quantileMs(q)! - exact)).toBeLessThanOrEqual(exact * 1e-3 + 1e-3);
          expect(h.maxMs).toBe(sorted[sorted.length - 1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
