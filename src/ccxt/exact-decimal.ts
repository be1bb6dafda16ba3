import { Decimal } from '../core/money.js';

/**
 * decimal.js with room for every digit of the adapter's sums and products (a quantity of 18
 * places times a price of 24, summed over an order's trades), so they are exact: the project's
 * {@link Decimal} keeps 40 significant digits and would round such a product.
 */
const Wide = Decimal.clone({ precision: 200 });
type Wide = InstanceType<typeof Wide>;

/** An exact sum of decimals. */
export function exactSum(values: readonly Decimal[]): Decimal {
  let sum: Wide = new Wide(0);
  for (const value of values) sum = sum.plus(value);
  return new Decimal(sum);
}

/** An exact product of decimals. */
export function exactProduct(...values: readonly Decimal[]): Decimal {
  let product: Wide = new Wide(1);
  for (const value of values) product = product.times(value);
  return new Decimal(product);
}

/**
 * `dividend / divisor` rounded half-even to `places` decimal places, exactly: the quotient is cut
 * to `places`, and the exact remainder decides the last digit (no double rounding).
 */
export function roundedQuotient(dividend: Decimal, divisor: Decimal, places: number): Decimal {
  const n = new Wide(dividend);
  const d = new Wide(divisor);
  if (d.isZero()) throw new RangeError('division by zero');
  const negative = n.isNegative() !== d.isNegative() && !n.isZero();
  const absN = n.abs();
  const absD = d.abs();
  let quotient = absN.dividedBy(absD).toDecimalPlaces(places, Wide.ROUND_DOWN);
  // The wide division rounded at its 200th digit: the cut may be a unit off; the remainder says.
  const unit = new Wide(1).dividedBy(new Wide(10).pow(places));
  const step = absD.times(unit); // what one unit of the quotient is worth in the dividend
  let remainder = absN.minus(quotient.times(absD));
  while (remainder.isNegative())
    [quotient, remainder] = [quotient.minus(unit), remainder.plus(step)];
  while (remainder.greaterThanOrEqualTo(step)) {
    [quotient, remainder] = [quotient.plus(unit), remainder.minus(step)];
  }
  const twice = remainder.times(2);
  const odd = quotient.dividedBy(unit).mod(2).equals(1);
  if (twice.greaterThan(step) || (twice.equals(step) && odd)) quotient = quotient.plus(unit);
  return new Decimal(negative ? quotient.negated() : quotient);
}
