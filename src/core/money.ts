import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The decimal type for all money and quantities: prices, sizes, fees, P&L.
 *
 * A private clone of decimal.js (so embedding applications keep their own global settings) with
 * 40 significant digits and banker's rounding. Values are built from the feed's raw strings, never
 * from floats; the only inexact operation is division (average cost), carried to 40 digits.
 *
 * @example
 * const notional = new Decimal('61837.63').times('0.0015'); // 92.756445
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
/** An instance of {@link Decimal}. */
export type Decimal = InstanceType<typeof Decimal>;

/** Zero, shared (decimal.js values are immutable). */
export const ZERO = new Decimal(0);

/** A plain decimal number as found in feeds: optional sign, digits, optional fraction, optional exponent. */
const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** True when `text` is a finite decimal number written without spaces, e.g. `"61837.63000000"`. */
export function isDecimalString(text: string): boolean {
  return DECIMAL_STRING.test(text);
}

/**
 * Money as it goes into JSON: a plain decimal string without exponent and without trailing zeros
 * beyond what the value needs (`"-12.5"`, `"0"`).
 */
export function moneyToString(value: Decimal): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}
