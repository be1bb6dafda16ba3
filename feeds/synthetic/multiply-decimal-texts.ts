import { formatScaledInteger } from './format-scaled-integer.js';

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

/** The digits of a plain decimal without its point, and how many of them are decimals. */
function scaled(text: string): { readonly digits: string; readonly decimals: number } {
  if (!PLAIN_DECIMAL.test(text))
    throw new TypeError(`multiplyDecimalTexts: not a plain decimal: "${text}"`);
  const point = text.indexOf('.');
  return point < 0
    ? { digits: text, decimals: 0 }
    : { digits: text.slice(0, point) + text.slice(point + 1), decimals: text.length - point - 1 };
}

/**
 * The exact product of two plain non-negative decimal strings (digits, optionally a point and
 * more digits), with the decimals of both together: `multiplyDecimalTexts('60000.00', '0.00150')`
 * is `"90.0000000"`, a trade's quote quantity (price × size) to the last digit. Integer arithmetic
 * only, on numbers while the product stays below 2^53 and on bigints beyond, so nothing is
 * rounded. Throws `TypeError` for anything else (signs, exponents, spaces).
 */
export function multiplyDecimalTexts(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const decimals = x.decimals + y.decimals;
  const product = Number(x.digits) * Number(y.digits);
  // Both factors are integers: a float product up to 2^53 - 1 is the exact product.
  if (product <= Number.MAX_SAFE_INTEGER) return formatScaledInteger(product, decimals);
  return formatScaledInteger(BigInt(x.digits) * BigInt(y.digits), decimals);
}
