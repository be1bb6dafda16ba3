import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './money.js';
import { decimalToFloat } from './decimal-to-float.js';

describe('decimalToFloat', () => {
  it('converts typical money values exactly where the float is exact', () => {
    expect(Object.is(decimalToFloat(new Decimal('-0')), 0)).toBe(true);
    for (const text of ['0', '1', '-1', '0.5', '60012.25', '-0.0025', '1e-30', '123456789']) {
      expect(decimalToFloat(new Decimal(text))).toBe(Number(text));
    }
  });

  it('stays within 1e-15 relative of toNumber() (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: -40, max: 20 }),
        (digits, exponent) => {
          const x = new Decimal(`${digits}e${exponent}`);
          const expected = x.toNumber();
          const got = decimalToFloat(x);
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-15);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
