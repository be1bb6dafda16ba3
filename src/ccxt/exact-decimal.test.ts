import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { exactProduct, exactSum, roundedQuotient } from './exact-decimal.js';

const d = (text: string) => new Decimal(text);

describe('exact decimal arithmetic of the adapter', () => {
  it('rounds a quotient half-even at the given place, from the exact remainder', () => {
    expect(roundedQuotient(d('1'), d('3'), 2).toFixed()).toBe('0.33');
    expect(roundedQuotient(d('2'), d('3'), 2).toFixed()).toBe('0.67');
    expect(roundedQuotient(d('0.125'), d('1'), 2).toFixed()).toBe('0.12'); // tie: to even
    expect(roundedQuotient(d('0.135'), d('1'), 2).toFixed()).toBe('0.14'); // tie: to even
    expect(roundedQuotient(d('-1'), d('3'), 2).toFixed()).toBe('-0.33');
    expect(roundedQuotient(d('90.01975'), d('0.0015'), 24).toFixed()).toBe(
      '60013.166666666666666666666667',
    );
  });

  it('keeps every digit of sums and products the project’s 40-digit Decimal would round', () => {
    const quantity = d('123456789.123456789123456789'); // 27 digits
    const price = d('98765.432109876543210987654321'); // 29 digits
    const product = exactProduct(quantity, price);
    expect(product.toFixed()).toBe(
      // by hand: the product of the two integers, with 18 + 24 = 42 places
      (BigInt('123456789123456789123456789') * BigInt('98765432109876543210987654321'))
        .toString()
        .replace(/^(\d+)(\d{42})$/u, '$1.$2')
        .replace(/\.?0+$/u, ''),
    );
    expect(exactSum([d('1e20'), d('1e-30'), d('-1e20')]).equals(d('1e-30'))).toBe(true);
    expect(d('1e20').plus('1e-30').minus('1e20').isZero()).toBe(true); // what 40 digits give
  });

  it('rounds like integer division with a half-even remainder, for random decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 24 }),
        (n, m, places) => {
          // n·10⁻¹⁰ / m·10⁻⁸ at `places`: compare with bigint division of scaled integers.
          const got = roundedQuotient(new Decimal(`${n}e-10`), new Decimal(`${m}e-8`), places);
          const scale = 10n ** BigInt(places);
          const num = n * scale; // (n / m) · 10⁻² · 10^places, in units of 10^-places
          const den = m * 100n;
          const negative = num < 0n;
          const abs = negative ? -num : num;
          let q = abs / den;
          const r2 = (abs - q * den) * 2n;
          if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
          const expected = new Decimal(`${negative ? -q : q}e-${places}`);
          expect(got.equals(expected)).toBe(true);
        },
      ),
    );
  });
});
