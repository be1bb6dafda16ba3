import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atMost, fixed } from '../bench/target-verdict.js';

describe('atMost (the bench’s figures against their targets)', () => {
  it('prints more decimals only where fewer would round a figure onto the other side', () => {
    expect(atMost(2.504, 2.5, 2)).toEqual({ text: '2.504', verdict: 'MISSED' });
    expect(atMost(2.4996, 2.5, 2)).toEqual({ text: '2.50', verdict: 'OK' });
    expect(atMost(2.53, 2.5, 2)).toEqual({ text: '2.53', verdict: 'MISSED' });
    expect(atMost(0.6004, 0.6, 2)).toEqual({ text: '0.6004', verdict: 'MISSED' });
    expect(atMost(0.6, 0.6, 2)).toEqual({ text: '0.60', verdict: 'OK' });
    expect(atMost(1.0049, 1, 2)).toEqual({ text: '1.005', verdict: 'MISSED' });
    expect(atMost(12_345.6, 10_000, 0)).toEqual({ text: '12,346', verdict: 'MISSED' });
  });

  it('reads the same verdict off the printed text as from the figure', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        (value, limit, digits) => {
          const { text, verdict } = atMost(value, limit, digits);
          expect(verdict).toBe(value <= limit ? 'OK' : 'MISSED');
          const printed = Number(text.replaceAll(',', ''));
          // Within 4 more decimals the text agrees with the verdict unless the figure is that
          // close to the limit; it never strays from the figure by more than its rounding.
          if (Math.abs(value - limit) >= 10 ** -(digits + 4))
            expect(printed <= limit).toBe(value <= limit);
          expect(Math.abs(printed - value)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-12);
        },
      ),
    );
  });

  it('formats as the bench prints figures', () => {
    expect(fixed(1234567.891, 1)).toBe('1,234,567.9');
    expect(fixed(0.5)).toBe('1');
  });
});
