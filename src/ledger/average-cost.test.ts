import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { averageCost } from './average-cost.js';

/** round-half-even(n / d) to `places`, in exact integer arithmetic (independent of decimal.js). */
function bigintAverage(n: string, d: string, places: number): string {
  const scale = (s: string): [bigint, number] => {
    const [int, frac = ''] = s.replace('-', '').split('.');
    const value = BigInt(int! + frac) * (s.startsWith('-') ? -1n : 1n);
    return [value, frac.length];
  };
  const [nv, nd] = scale(n);
  const [dv, dd] = scale(d);
  // n/d × 10^places = nv × 10^(places + dd − nd) / dv
  const shift = places + dd - nd;
  let num = shift >= 0 ? nv * 10n ** BigInt(shift) : nv;
  let den = shift >= 0 ? dv : dv * 10n ** BigInt(-shift);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  const twice = (abs - q * den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  return new Decimal((negative ? -q : q).toString())
    .dividedBy(new Decimal(10).pow(places))
    .toFixed();
}

describe('averageCost', () => {
  it('rounds to the given places (the tick), half-even', () => {
    expect(averageCost(new Decimal('302'), new Decimal('3'), 12).toFixed()).toBe(
      '100.666666666667',
    );
    expect(averageCost(new Decimal('-302'), new Decimal('-3'), 2).toFixed()).toBe('100.67');
    expect(averageCost(new Decimal('302'), new Decimal('3'), 0).toFixed()).toBe('101');
    // exact ties: 0.0000000000005 → 0, 0.0000000000015 → 0.000000000002; 100.5 → 100, 101.5 → 102
    expect(averageCost(new Decimal('0.000000000001'), new Decimal('2'), 12).toFixed()).toBe('0');
    expect(averageCost(new Decimal('0.000000000003'), new Decimal('2'), 12).toFixed()).toBe(
      '0.000000000002',
    );
    expect(averageCost(new Decimal('201'), new Decimal('2'), 0).toFixed()).toBe('100');
    expect(averageCost(new Decimal('203'), new Decimal('2'), 0).toFixed()).toBe('102');
  });

  it('does not round twice when the 40-digit quotient lands on a tie', () => {
    // n / 3 = 1.0000000000014999…99(6) just below the tie 1.0000000000015; its 40-digit rounding is
    // the tie itself, which half-even would take up to …002. The right answer is …001.
    const n = '3.0000000000044999999999999999999999999999';
    expect(new Decimal(n).dividedBy(3).toFixed()).toBe('1.0000000000015');
    expect(averageCost(new Decimal(n), new Decimal('3'), 12).toFixed()).toBe('1.000000000001');
    // and just above a tie that half-even would take down
    const m = '3.0000000000015000000000000000000000000001';
    expect(new Decimal(m).dividedBy(3).toFixed()).toBe('1.0000000000005');
    expect(averageCost(new Decimal(m), new Decimal('3'), 12).toFixed()).toBe('1.000000000001');
    expect(averageCost(new Decimal(m).negated(), new Decimal('3'), 12).toFixed()).toBe(
      '-1.000000000001',
    );
  });

  it('matches exact integer arithmetic on random costs and quantities', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.boolean(),
        fc.integer({ min: 0, max: 12 }),
        (costUnits, qtyUnits, negative, places) => {
          const cost = new Decimal(costUnits.toString())
            .dividedBy(new Decimal(10).pow(12))
            .toFixed();
          const qty = new Decimal((negative ? -qtyUnits : qtyUnits).toString())
            .dividedBy(new Decimal(10).pow(8))
            .toFixed();
          expect(averageCost(new Decimal(cost), new Decimal(qty), places).toFixed()).toBe(
            bigintAverage(cost, qty, places),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
