import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { assertValidWeightBps, weightBpsToPct, weightPctToBps } from './weight-pct-to-bps.js';

describe('weightPctToBps', () => {
  it('converts percentages with up to 2 decimals to basis points', () => {
    expect(weightPctToBps(12.5)).toBe(1250);
    expect(weightPctToBps(0.01)).toBe(1);
    expect(weightPctToBps(10)).toBe(1000);
    expect(weightPctToBps(0.29)).toBe(29); // 0.29 * 100 = 28.999999999999996 in floats
    expect(weightPctToBps(33.33)).toBe(3333);
    expect(weightPctToBps(100)).toBe(10000);
    expect(Object.is(weightPctToBps(-0), 0)).toBe(true);
  });

  it('accepts every 0.01 % step from 0 to 100 as parsed from its decimal text', () => {
    for (let bps = 0; bps <= 10000; bps++) {
      const text = `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}`;
      expect(weightPctToBps(Number(text))).toBe(bps);
      expect(weightBpsToPct(bps)).toBe(Number(text));
    }
  });

  it.each([-1, 100.5, 0.001, 12.345, 1e-12, 100.01, -0.01, NaN, Infinity, -Infinity])(
    'rejects %d with a UsageError',
    (weightPct) => {
      expect(() => weightPctToBps(weightPct)).toThrow(UsageError);
    },
  );

  it('rejects a non-number (from untyped callers)', () => {
    expect(() => weightPctToBps('10' as unknown as number)).toThrow(UsageError);
  });
});

describe('assertValidWeightBps', () => {
  it('accepts integers 0..10000 only', () => {
    for (const ok of [0, 1, 1000, 10000]) expect(() => assertValidWeightBps(ok)).not.toThrow();
    for (const bad of [-1, 10001, 1.5, NaN, Infinity])
      expect(() => assertValidWeightBps(bad)).toThrow(UsageError);
  });
});
