import { Decimal } from './money.js';

/**
 * Decimal places of a fee the simulated venue charges: each fill's fee, its rate times its
 * notional, is rounded half-even to 10⁻⁸ of the quote currency, the precision Binance reports
 * commissions in (docs/accounting.md, "Fees"). A fee a broker reports is booked as reported.
 */
export const VENUE_FEE_DECIMALS = 8;

/** Wide enough for the exact product of two 40-digit decimals: the fee is rounded once. */
const Exact = Decimal.clone({ precision: 100 });

/** The simulated venue's fee of a fill: `feePerUnit × quantity` to {@link VENUE_FEE_DECIMALS}. */
export function venueFee(feePerUnit: Decimal, quantity: Decimal): Decimal {
  const exact = new Exact(feePerUnit).times(quantity);
  return new Decimal(exact.toDecimalPlaces(VENUE_FEE_DECIMALS, Decimal.ROUND_HALF_EVEN).toFixed());
}

/** Units of the venue fee's last place in one quote unit. */
const FEE_UNITS = 10 ** VENUE_FEE_DECIMALS;

/**
 * The venue's fee as a float, from the float product of its fee per unit and quantity (`product`,
 * within a few ulps of the exact one): that product rounded to 10⁻⁸, which is the float of
 * {@link venueFee}'s decimal, at float cost. NaN near a tie, or past 2⁵² units, where the float
 * cannot tell which way the exact product rounds: the caller then reads the decimal fee's float.
 */
export function venueFeeFloat(product: number): number {
  const units = product * FEE_UNITS;
  const magnitude = Math.abs(units);
  const whole = Math.floor(magnitude);
  const fraction = magnitude - whole;
  // The product's error, a few ulps of it, plus the scaling's: well inside this band.
  if (magnitude >= 2 ** 52 || Math.abs(fraction - 0.5) <= magnitude * 1e-14 + 1e-9) {
    return Number.NaN;
  }
  const rounded = fraction > 0.5 ? whole + 1 : whole;
  return (units < 0 ? -rounded : rounded) / FEE_UNITS;
}
