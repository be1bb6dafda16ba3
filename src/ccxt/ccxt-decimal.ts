import { CanaryError } from '../core/errors.js';
import { Decimal, isDecimalString } from '../core/money.js';

/**
 * Significant digits that survive a trip through a float: every decimal of at most 15 of them
 * is the shortest text of the float nearest to it, so `String(float)` gives it back exactly.
 */
const FLOAT_EXACT_DIGITS = 15;

/**
 * A number of a ccxt structure as the exact decimal the exchange sent. ccxt parses the exchange's
 * decimal strings with `parseFloat`, so:
 *
 * - a number of at most 15 significant digits is read back exactly from its shortest text
 *   (`String(0.0015)` is `"0.0015"`);
 * - a longer one (16 or 17 digits) is either an unusually long exchange value or a float
 *   computation (ccxt's own `cost`, `average`, or fees summed in floats: `0.30000000000000004`);
 *   it is taken from `raw`, the exchange's own string from the structure's `info`, when that
 *   string reads as the same float, and refused otherwise.
 *
 * @param what names the field in the error message (`trade 123 price`)
 * @throws CanaryError `E_CCXT_NUMBER` for a missing or non-finite number, or a number whose exact
 *   decimal cannot be told
 */
export function decimalFromCcxt(value: number | undefined, what: string, raw?: unknown): Decimal {
  if (value === undefined || typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CanaryError('E_CCXT_NUMBER', `${what}: ${String(value)} is not a finite number`);
  }
  if (typeof raw === 'string' && isDecimalString(raw) && Number(raw) === value) {
    return new Decimal(raw);
  }
  const shortest = new Decimal(String(value));
  if (shortest.isZero() || shortest.sd() <= FLOAT_EXACT_DIGITS) return shortest;
  throw new CanaryError(
    'E_CCXT_NUMBER',
    `${what}: ${String(value)} has more than ${FLOAT_EXACT_DIGITS} significant digits, so it may be a float computation rather than the exchange's decimal, and the structure's info has no exchange string for it`,
  );
}

/**
 * The exchange's own string for a field: the first of `keys` that a ccxt structure's `info` (the
 * exchange's JSON) holds as a string, for {@link decimalFromCcxt}'s `raw`.
 */
export function rawString(info: unknown, keys: readonly string[]): string | undefined {
  if (typeof info !== 'object' || info === null) return undefined;
  for (const key of keys) {
    const value = (info as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
