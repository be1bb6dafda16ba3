/** Exact powers of ten for the fast path (10^0 … 10^22 are exact doubles). */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * The value of the plain decimal in `text[start, end)`, or NaN when it is not one or has more than
 * `maxPlaces` decimal places (trailing zeros do not count; `maxPlaces` >= 15). Same grammar as
 * `isDecimalString` (src/core/money.ts): optional sign, digits with an optional fraction (`5.`,
 * `.5` allowed), optional exponent; no spaces. May return ±Infinity for huge exponents.
 *
 * The value equals `Number(text)`: up to 15 significant digits without exponent it is computed
 * as `mantissa / 10^fractionDigits`, which IEEE division rounds correctly (both operands exact);
 * other inputs go through `Number`. The places are counted only off the fast path: 15 digits
 * cannot make more than 15 places.
 */
export function scanDecimal(text: string, start: number, end: number, maxPlaces: number): number {
  // Fast path, the common case: unsigned digits with at most one dot, up to 15 digits.
  let mantissa = 0;
  let dot = -1;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) mantissa = mantissa * 10 + (c - 48);
    else if (c === 46 && dot < 0) dot = i;
    else break;
  }
  if (i === end) {
    const digits = dot < 0 ? end - start : end - start - 1;
    if (digits > 0 && digits <= 15)
      return dot < 0 ? mantissa : mantissa / (POW10[end - dot - 1] as number);
  }
  return scanDecimalGeneral(text, start, end, maxPlaces);
}

/** {@link scanDecimal} for any input: sign, exponent, long mantissas. */
function scanDecimalGeneral(text: string, start: number, end: number, maxPlaces: number): number {
  let i = start;
  if (i >= end) return NaN;
  let c = text.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  // Zeros since the last other digit, and whether there was one: the value is M × 10^-places with
  // M not a multiple of ten, places = fractionDigits - trailingZeros - exponent.
  let trailingZeros = 0;
  let nonZero = false;
  while (i < end) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    if (c === 48) trailingZeros++;
    else {
      trailingZeros = 0;
      nonZero = true;
    }
    i++;
  }
  if (i < end && c === 46) {
    i++;
    while (i < end) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fractionDigits++;
      if (c === 48) trailingZeros++;
      else {
        trailingZeros = 0;
        nonZero = true;
      }
      i++;
    }
  }
  if (digits === 0) return NaN;
  const places = nonZero ? fractionDigits - trailingZeros : 0;
  if (i === end) {
    if (places > maxPlaces) return NaN;
    if (digits <= 15) {
      const value = mantissa / (POW10[fractionDigits] as number);
      return negative ? -value : value;
    }
    return Number(text.slice(start, end));
  }
  if (c !== 101 && c !== 69) return NaN;
  i++;
  let negativeExponent = false;
  if (i < end) {
    c = text.charCodeAt(i);
    if (c === 45 || c === 43) {
      negativeExponent = c === 45;
      i++;
    }
  }
  const exponentStart = i;
  let exponent = 0;
  while (i < end) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    exponent = exponent * 10 + (c - 48);
    i++;
  }
  if (i === exponentStart) return NaN;
  if (nonZero && places + (negativeExponent ? exponent : -exponent) > maxPlaces) return NaN;
  return Number(text.slice(start, end));
}

/** The unsigned integer in `text[start, end)` (digits only), or -1 when it is not one or exceeds 2^53 - 1. */
export function scanUnsignedInteger(text: string, start: number, end: number): number {
  if (start >= end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
    if (value > Number.MAX_SAFE_INTEGER) return -1;
  }
  return value;
}

/** A field value for an error message: quoted, at most 40 characters. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
