/** Exact powers of ten for the fast path (10^0 … 10^22 are exact doubles). */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * The value of the plain decimal in `text[start, end)`, or NaN when it is not one. Same grammar as
 * `isDecimalString` (src/core/money.ts): optional sign, digits with an optional fraction (`5.`,
 * `.5` allowed), optional exponent; no spaces. May return ±Infinity for huge exponents.
 *
 * The value equals `Number(text)`: up to 15 significant digits without exponent it is computed
 * as `mantissa / 10^fractionDigits`, which IEEE division rounds correctly (both operands exact);
 * other inputs go through `Number`.
 */
export function scanDecimal(text: string, start: number, end: number): number {
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
  return scanDecimalGeneral(text, start, end);
}

/** {@link scanDecimal} for any input: sign, exponent, long mantissas. */
function scanDecimalGeneral(text: string, start: number, end: number): number {
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
  while (i < end) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    digits++;
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
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i === end) {
    if (digits <= 15) {
      const value = mantissa / (POW10[fractionDigits] as number);
      return negative ? -value : value;
    }
    return Number(text.slice(start, end));
  }
  if (c !== 101 && c !== 69) return NaN;
  i++;
  if (i < end) {
    c = text.charCodeAt(i);
    if (c === 45 || c === 43) i++;
  }
  const exponentStart = i;
  while (i < end) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    i++;
  }
  if (i === exponentStart) return NaN;
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
