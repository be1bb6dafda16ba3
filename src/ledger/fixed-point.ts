import { ConfigError } from '../core/errors.js';
import { PRICE_DIGITS, QTY_DIGITS } from '../core/exact-scales.js';
import { Decimal } from '../core/money.js';

/**
 * The ledger's exact hot-path numbers: scaled integers (`bigint`), as NautilusTrader keeps raw
 * fixed-point values. Three fixed scales, chosen so that the ledger's products need no division:
 *
 * - quantities in units of 10⁻¹⁸ ({@link QTY_DIGITS});
 * - prices in units of 10⁻²⁴ ({@link PRICE_DIGITS}): a feed's price (8 to 16 places) times the
 *   broker's slippage factor (up to 10 more) fits;
 * - money (notional, cost basis, P&L, fees, capital) in units of 10⁻⁴² ({@link MONEY_DIGITS}):
 *   a quantity times a price is money with no rounding at all.
 *
 * `bigint` cannot overflow, so no bound needs proving; the one way to lose exactness is an input
 * with more decimal places than its scale, which {@link toRaw} refuses with `E_PRECISION` (a
 * price of 25 places, a fee of 43). The one rounding point of the books, the average cost, is
 * {@link averageCostRaw}. decimal.js stays the money type at the edges: {@link fromRaw} turns a
 * raw value back into one for reports and snapshots.
 */
export { PRICE_DIGITS, QTY_DIGITS };
/** Decimal places of raw money: {@link QTY_DIGITS} + {@link PRICE_DIGITS}. */
export const MONEY_DIGITS = QTY_DIGITS + PRICE_DIGITS;

const POW10: readonly bigint[] = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));

/** 10ⁿ as a bigint (n ≥ 0). */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/**
 * `value` × 10^digits as an exact bigint. Reads decimal.js's digit words (base 10⁷, most
 * significant first) rather than formatting a string.
 * @throws ConfigError `E_PRECISION` when `value` has more than `digits` decimal places (it would
 *   be rounded).
 */
export function toRaw(value: Decimal, digits: number): bigint {
  const words = value.d;
  const first = words[0];
  if (first === undefined || first === 0) return 0n;
  // The integer made of every word, and the power of ten of its last digit.
  let mantissa = BigInt(first);
  for (let i = 1; i < words.length; i++) mantissa = mantissa * 10_000_000n + BigInt(words[i]!);
  const lastWordExponent = 7 * (Math.floor(value.e / 7) - words.length + 1);
  const shift = lastWordExponent + digits;
  let raw: bigint;
  if (shift >= 0) raw = mantissa * pow10(shift);
  else {
    const divisor = pow10(-shift);
    if (mantissa % divisor !== 0n) {
      throw new ConfigError(
        'E_PRECISION',
        `${value.toFixed()} has more than ${digits} decimal places: the exact books keep quantities to ${QTY_DIGITS}, prices to ${PRICE_DIGITS} and money to ${MONEY_DIGITS} (docs/accounting.md)`,
      );
    }
    raw = mantissa / divisor;
  }
  return value.s < 0 ? -raw : raw;
}

/** The decimal `raw` × 10^−digits (exact). */
export function fromRaw(raw: bigint, digits: number): Decimal {
  return raw === 0n ? ZERO_DECIMAL : new Decimal(rawToString(raw, digits));
}

/**
 * `raw` × 10^−digits as a plain decimal string, exactly as `moneyToString(fromRaw(raw, digits))`
 * writes it (no exponent, no trailing zeros, `"0"` for zero) but without a decimal.js object:
 * for the reports that write one line per account.
 */
export function rawToString(raw: bigint, digits: number): string {
  if (raw === 0n) return '0';
  const negative = raw < 0n;
  const text = (negative ? -raw : raw).toString().padStart(digits + 1, '0');
  const point = text.length - digits;
  let end = text.length;
  while (end > point && text.charCodeAt(end - 1) === 48) end--;
  const whole = text.slice(0, point);
  return `${negative ? '-' : ''}${whole}${end === point ? '' : `.${text.slice(point, end)}`}`;
}

/**
 * `raw` rounded to `significant` significant digits, half to even: what a decimal.js operation
 * with that precision ({@link Decimal}'s 40) does to its exact result. Raw values keep their
 * scale, so the rounded value is exact at it.
 */
export function roundSignificant(raw: bigint, significant: number): bigint {
  const negative = raw < 0n;
  const magnitude = negative ? -raw : raw;
  if (magnitude < pow10(significant)) return raw;
  const unit = pow10(decimalDigits(magnitude) - significant);
  // Most money has far fewer significant digits than its 42 places allow: nothing to round.
  if (magnitude % unit === 0n) return raw;
  const rounded = quotientHalfEven(magnitude, unit) * unit;
  return negative ? -rounded : rounded;
}

/**
 * How many decimal digits `n` (> 0) has: a binary search of the powers of ten (a few `bigint`
 * comparisons, where `toString().length` wrote every digit; the closing reports of 100,000
 * accounts ask twice an account).
 */
function decimalDigits(n: bigint): number {
  if (n >= POW10[POW10.length - 1]!) return n.toString().length;
  let low = 1; // n ≥ 10^(low − 1)
  let high = POW10.length - 1; // n < 10^high
  while (low < high) {
    const middle = (low + high) >> 1;
    if (n < POW10[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A scaled integer of `digits` decimal places rounded half-even to `places` (≤ `digits`), as a
 * scaled integer of `places` places: `(1234, 3, 1)` is 1.234 → 1.2, `12n`.
 */
export function roundScaled(value: bigint, digits: number, places: number): bigint {
  if (places >= digits) return value * pow10(places - digits);
  const negative = value < 0n;
  const quotient = quotientHalfEven(negative ? -value : value, pow10(digits - places));
  return negative ? -quotient : quotient;
}

/** `numerator / denominator` rounded half-even, for numerator ≥ 0 and denominator > 0. */
function quotientHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = (numerator - quotient * denominator) * 2n;
  return twice > denominator || (twice === denominator && quotient % 2n === 1n)
    ? quotient + 1n
    : quotient;
}

const ZERO_DECIMAL = new Decimal(0);

/**
 * `raw` × 10^−digits as the nearest float (float mirrors for sizing, risk checks and float
 * statistics, never money): the float of its exact decimal text. The machine-word books compute
 * their mirrors as a whole number over an exact power of ten, which IEEE division rounds to the
 * nearest float too, so an account's mirrors are the same floats whichever books it is in.
 */
export function rawToFloat(raw: bigint, digits: number): number {
  if (raw === 0n) return 0;
  // A value of at most eight places whose units of 10⁻⁸ are a safe integer (a capital in cents, a
  // fee): `m / 10⁸` is one IEEE division of two exact floats, so it is the float nearest the
  // value, as Number() of its decimal text is, and no text is built (opening the books of 100,000
  // accounts asks it of every capital).
  if (digits >= FEW_PLACES) {
    const unit = pow10(digits - FEW_PLACES);
    const units = raw / unit;
    if (units * unit === raw && units <= MAX_SAFE && units >= -MAX_SAFE) {
      return Number(units) / FEW_PLACES_SCALE;
    }
  }
  return Number(rawToString(raw, digits));
}

/** The places {@link rawToFloat} converts without text, and 10 to that power as a float. */
const FEW_PLACES = 8;
const FEW_PLACES_SCALE = 1e8;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The average cost `cost / quantity` (raw money over a raw quantity, same sign) as a raw price
 * rounded to `places` decimal places (0 … {@link PRICE_DIGITS}), half-even: an exact integer
 * division and its remainder, so there is no double rounding to guard against.
 */
export function averageCostRaw(cost: bigint, quantity: bigint, places: number): bigint {
  if (quantity === 0n) throw new RangeError('average cost of a zero quantity');
  if (!(Number.isInteger(places) && places >= 0 && places <= PRICE_DIGITS)) {
    throw new RangeError(`average cost to ${places} places: 0 to ${PRICE_DIGITS}`);
  }
  // cost / quantity in units of 10^-places: (C · 10^-42) / (Q · 10^-18) = C / (Q · 10^(24 - places)).
  let numerator = cost;
  let denominator = quantity * pow10(PRICE_DIGITS - places);
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const quotient = quotientHalfEven(negative ? -numerator : numerator, denominator);
  return (negative ? -quotient : quotient) * pow10(PRICE_DIGITS - places);
}
