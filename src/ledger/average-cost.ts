import { Decimal } from '../core/money.js';

/** Wide enough for the exact product of two 40-digit values (tie check only). */
const Exact = Decimal.clone({ precision: 100 });

/**
 * The average cost `cost / quantity` rounded to `places` decimal places, half-even: the only
 * division in the ledger, which rounds it to the symbol's price tick (the finest increment among
 * its fill prices so far, docs/accounting.md). Signs cancel (a short's cost and quantity are both
 * negative), so the result is the positive price per unit.
 *
 * decimal.js divides to 40 significant digits and rounding that again to `places` could round
 * twice; when the 40-digit quotient lands exactly on a tie one place further that the true
 * quotient is not on, the tie is broken by the sign of the exact remainder instead.
 *
 * @example
 * averageCost(new Decimal('302'), new Decimal('3'), 2).toFixed(); // '100.67'
 */
export function averageCost(cost: Decimal, quantity: Decimal, places: number): Decimal {
  const quotient = cost.dividedBy(quantity);
  if (quotient.decimalPlaces() !== places + 1) {
    return quotient.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  }
  // Rare path: the quotient ends one place past the tick, a tie only when that digit is 5. The
  // remainder is computed exactly (a 40-digit product needs up to 80 digits).
  const remainder = new Exact(cost).minus(new Exact(quantity).times(quotient));
  if (remainder.isZero() || !quotient.toFixed().endsWith('5')) {
    return quotient.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  }
  // cost / quantity - quotient = remainder / quantity: the true |quotient| is above the tie when
  // that difference has the quotient's sign.
  const differencePositive = remainder.isPositive() === quantity.isPositive();
  const above = differencePositive === quotient.isPositive();
  return quotient.toDecimalPlaces(places, above ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
}
