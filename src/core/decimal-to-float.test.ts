import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './money.js';
import { decimalToFloat, LastDecimalFloat } from './decimal-to-float.js';

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

describe('LastDecimalFloat', () => {
  it('gives decimalToFloat of each decimal asked, converting again only for another object', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 20 }),
        (values) => {
          const memo = new LastDecimalFloat();
          for (const value of values) {
            const x = new Decimal(value);
            expect(memo.of(x)).toBe(decimalToFloat(x));
            expect(memo.of(x)).toBe(decimalToFloat(x)); // asked again: the same
          }
        },
      ),
    );
    // Equal decimals that are different objects each get their own conversion.
    const memo = new LastDecimalFloat();
    expect(memo.of(new Decimal('1.5'))).toBe(1.5);
    expect(memo.of(new Decimal('2.25'))).toBe(2.25);
  });
});
