import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToFloat } from './decimal-to-float.js';
import { Decimal } from './money.js';
import { venueFee, venueFeeFloat } from './venue-fee.js';

/** A decimal of `units × 10^-places`. */
const scaled = (units: bigint, places: number): Decimal =>
  new Decimal(units.toString()).dividedBy(new Decimal(10).pow(places));

describe('venue fee', () => {
  it('rounds the exact product half-even to 10⁻⁸', () => {
    expect(venueFee(new Decimal('0.06'), new Decimal('0.01234567')).toFixed()).toBe('0.00074074');
    expect(venueFee(new Decimal('0.5'), new Decimal('0.00000001')).toFixed()).toBe('0');
    expect(venueFee(new Decimal('0.5'), new Decimal('0.00000003')).toFixed()).toBe('0.00000002');
    expect(venueFee(new Decimal('6.0000001'), new Decimal('2')).toFixed()).toBe('12.0000002');
  });

  it("gives the float of the decimal fee from its factors' floats, ties included", () => {
    let undecided = 0;
    fc.assert(
      fc.property(
        // Fee per unit: a price × a rate, up to 24 places; quantities up to 8 places.
        fc.bigInt({ min: 0n, max: 10n ** 16n }),
        fc.integer({ min: 0, max: 24 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 8 }),
        (unitDigits, unitPlaces, quantityDigits, quantityPlaces) => {
          const feePerUnit = scaled(unitDigits, unitPlaces);
          const quantity = scaled(quantityDigits, quantityPlaces);
          const fee = venueFee(feePerUnit, quantity);
          const product = decimalToFloat(feePerUnit) * quantity.toNumber();
          const float = venueFeeFloat(product);
          // Exact, or NaN where only the decimal can tell (then the caller reads it): rarely.
          if (Number.isNaN(float)) {
            // Past 2⁵² units (4.5·10⁷ quote units) always; under a million, only at a tie.
            if (product < 1e6) undecided++;
          } else expect(float).toBe(fee.toNumber());
        },
      ),
      { numRuns: 3000 },
    );
    expect(undecided).toBeLessThan(300); // fast-check favours round values, so ties are common
    // Exact ties, where only the decimal can say which way (0.000000005 → 0, 0.000000015 →
    // 2e-8): NaN. Far from one, the float.
    expect(venueFeeFloat(0.5 * 0.00000001)).toBeNaN();
    expect(venueFeeFloat(0.5 * 0.00000003)).toBeNaN();
    expect(venueFeeFloat(0.06 * 0.01234567)).toBe(0.00074074);
  });
});
