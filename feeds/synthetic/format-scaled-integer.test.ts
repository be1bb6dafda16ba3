import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/money.js';
import { formatScaledInteger } from './format-scaled-integer.js';

describe('formatScaledInteger', () => {
  it('places the point by counting digits, padding small values', () => {
    expect(formatScaledInteger(6_000_000, 2)).toBe('60000.00');
    expect(formatScaledInteger(6_000_001, 2)).toBe('60000.01');
    expect(formatScaledInteger(123, 5)).toBe('0.00123');
    expect(formatScaledInteger(100_000, 5)).toBe('1.00000');
    expect(formatScaledInteger(5, 1)).toBe('0.5');
    expect(formatScaledInteger(0, 2)).toBe('0.00');
    expect(formatScaledInteger(42, 0)).toBe('42');
  });

  it('is exact where float arithmetic is not', () => {
    // Floats cannot hold most decimal fractions: 35 ticks of 0.01 is 0.35000000000000003.
    expect(String(35 * 0.01)).toBe('0.35000000000000003');
    expect(formatScaledInteger(35, 2)).toBe('0.35');
  });

  it('writes value × 10^-decimals exactly, with exactly `decimals` fraction digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 16 }),
        (value, decimals) => {
          const text = formatScaledInteger(value, decimals);
          const expected = new Decimal(value).dividedBy(new Decimal(10).pow(decimals));
          expect(new Decimal(text).equals(expected)).toBe(true);
          expect(text).toMatch(decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${decimals}}$`));
          expect(text === '0' || !text.startsWith('0') || text.startsWith('0.')).toBe(true);
        },
      ),
    );
  });
});
