import { Decimal } from '../core/money.js';

/** Decimal places of an average cost: the ledger's one rounding point. */
export const AVG_PRICE_DECIMALS = 12;

/** Wide enough for the exact product of two 40-digit values (tie check only). */
const Exact = Decimal.clone({ precision: 100 });

/**
 * The average cost `cost / quantity` rounded to {@link AVG_PRICE_DECIMALS} places, half-even: the
 * only division in the ledger. Signs cancel (a short's cost and quantity are both negative), so the
 * result is the positive price per unit.
 *
 * decimal.js divides to 40 significant digits and rounding that again to 12 places could round
 * twice; when the 40-digit quotient lands exactly on a 13th-place tie that the true quotient is not
 * on, the tie is broken by the sign of the exact remainder instead.
 *
 * @example
 * averageCost(new Decimal('302'), new Decimal('3')).toFixed(); // '100.666666666667'
 */
export function averageCost(cost: Decimal, quantity: Decimal): Decimal {
  const quotient = cost.dividedBy(quantity);
  if (quotient.decimalPlaces() !== AVG_PRICE_DECIMALS + 1) {
    return quotient.toDecimalPlaces(AVG_PRICE_DECIMALS, Decimal.ROUND_HALF_EVEN);
  }
  // Rare path: the quotient ends at the 13th place, a tie only when that digit is 5. The
  // remainder is computed exactly (a 40-digit product needs up to 80 digits).
  const remainder = new Exact(cost).minus(new Exact(quantity).times(quotient));
  if (remainder.isZero() || !quotient.toFixed().endsWith('5')) {
    return quotient.toDecimalPlaces(AVG_PRICE_DECIMALS, Decimal.ROUND_HALF_EVEN);
  }
  // cost / quantity - quotient = remainder / quantity: the true |quotient| is above the tie when
  // that difference has the quotient's sign.
  const differencePositive = remainder.isPositive() === quantity.isPositive();
  const above = differencePositive === quotient.isPositive();
  return quotient.toDecimalPlaces(
    AVG_PRICE_DECIMALS,
    above ? Decimal.ROUND_UP : Decimal.ROUND_DOWN,
  );
}
