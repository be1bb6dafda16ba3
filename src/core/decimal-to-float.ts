import { FLOAT_POW10 } from './float-powers-of-ten.js';
import type { Decimal } from './money.js';

/**
 * A decimal as the nearest-ish float, for float mirrors (sizing, risk checks): within a few ulps of
 * `x.toNumber()` (relative error < 1e-15) at a small fraction of its cost, since it reads
 * decimal.js's digit words (base 1e7, `d`/`e`/`s`) instead of going through a string. Used only
 * for sizing figures and the fast path of risk checks, never for money. Zero (and −0) give 0.
 */
export function decimalToFloat(x: Decimal): number {
  const words = x.d;
  const first = words[0];
  if (first === undefined || first === 0) return 0;
  // Word i is worth 10^(7·(⌊e/7⌋ − i)); three words carry at least 15 significant digits, four 22.
  const used = Math.min(words.length, 4);
  let mantissa = first;
  for (let i = 1; i < used; i++) mantissa = mantissa * 1e7 + (words[i] ?? 0);
  const exponent = 7 * (Math.floor(x.e / 7) - used + 1);
  const magnitude =
    exponent >= 0
      ? mantissa * (FLOAT_POW10[exponent] ?? 10 ** exponent)
      : mantissa / (FLOAT_POW10[-exponent] ?? 10 ** -exponent);
  return x.s < 0 ? -magnitude : magnitude;
}

/**
 * {@link decimalToFloat} of the last decimal asked, remembered by identity (decimals are
 * immutable): the simulated venue hands every fill of an event's price slot the same price and
 * fee-per-unit objects, so a per-fill reader converts each once per event, not once per fill.
 */
export class LastDecimalFloat {
  #decimal: Decimal | null = null;
  #value = 0;

  /** `decimalToFloat(x)`. */
  of(x: Decimal): number {
    if (x !== this.#decimal) {
      this.#value = decimalToFloat(x);
      this.#decimal = x;
    }
    return this.#value;
  }
}
