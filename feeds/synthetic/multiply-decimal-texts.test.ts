import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/money.js';
import { multiplyDecimalTexts } from './multiply-decimal-texts.js';

describe('multiplyDecimalTexts', () => {
  it('multiplies exactly, keeping the decimals of both factors', () => {
    expect(multiplyDecimalTexts('60000.00', '0.00150')).toBe('90.0000000');
    expect(multiplyDecimalTexts('0.50005', '0.00115')).toBe('0.0005750575');
    expect(multiplyDecimalTexts('0.1', '0.2')).toBe('0.02'); // 0.1 × 0.2 is 0.020000000000000004 in floats
    expect(multiplyDecimalTexts('2500', '3')).toBe('7500');
    expect(multiplyDecimalTexts('0', '1.5')).toBe('0.0');
  });

  it('stays exact past 2^53 (bigints)', () => {
    // 10^13 scaled price units × 5·10^9 lots: far beyond a float's 53 bits.
    expect(multiplyDecimalTexts('99999999999.99', '50.00000001')).toBe('5000000000999.4999999999');
  });

  it('equals the decimal product for any plain decimals', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, decimals]) =>
        decimals === 0
          ? `${digits}`
          : new Decimal(`${digits}`).dividedBy(new Decimal(10).pow(decimals)).toFixed(decimals),
      );
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const product = multiplyDecimalTexts(a, b);
        expect(new Decimal(product).equals(new Decimal(a).times(b))).toBe(true);
        const decimals = (t: string): number => (t.includes('.') ? t.split('.')[1]!.length : 0);
        expect(decimals(product)).toBe(decimals(a) + decimals(b));
      }),
    );
  });

  it('refuses anything but plain non-negative decimals', () => {
    for (const bad of ['-1', '1e5', ' 1', '1.', '.5', ''])
      expect(() => multiplyDecimalTexts(bad, '1')).toThrow(TypeError);
  });
});
