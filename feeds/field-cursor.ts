import { POW10 } from './decimal-scan.js';

/** `,` */
const COMMA = 44;
/** The rest of `true` and of `false`, after their first letter (either case). */
const RUE = [114, 117, 101];
const ALSE = [97, 108, 115, 101];

/**
 * Reads the fields of a comma-separated line of bytes left to right, each byte once: a bytes fast
 * path that found every comma first and then read each field again touched most bytes twice,
 * and that first pass was close to half of its parsing (`node --cpu-prof`, the bench feed).
 *
 * Each read starts at {@link at}, stops at the field's comma or at the line's `end`, sets
 * {@link fieldEnd} to where the field stops and moves {@link at} past the comma. A field that
 * must be followed by another is checked by its caller with {@link endedByComma}. The readers
 * return a value that tells the caller to leave the line to its general path (NaN, -1, false)
 * as soon as a byte is not what the fast path reads; they never throw.
 */
export class FieldCursor {
  /** Where the next field starts. */
  at = 0;
  /** Where the field last read stops: its comma, or the line's end. */
  fieldEnd = 0;
  /** The line's end (exclusive). */
  end = 0;

  /** Starts on the line `[start, end)`. */
  reset(start: number, end: number): void {
    this.at = start;
    this.fieldEnd = start;
    this.end = end;
  }

  /** True when the field last read was followed by a comma (another field comes). */
  get endedByComma(): boolean {
    return this.fieldEnd < this.end;
  }

  /** Passes over a field, whatever its bytes. */
  skip(bytes: Uint8Array): void {
    const end = this.end;
    let i = this.at;
    while (i < end && bytes[i] !== COMMA) i++;
    this.#stop(i);
  }

  /** True when the field is empty (and passes over it). */
  empty(bytes: Uint8Array): boolean {
    const i = this.at;
    if (i < this.end && bytes[i] !== COMMA) return false;
    this.#stop(i);
    return true;
  }

  /**
   * The field as an unsigned integer of 1 to 16 digits (µs time stamps have 16), at most 2^53 − 1,
   * else -1 (where the field stops is then unknown). Exact: every partial value is below the
   * final one, so a result up to 2^53 − 1 had no rounding on the way, and a larger true value
   * cannot round down to one.
   */
  unsigned(bytes: Uint8Array): number {
    const end = this.end;
    const start = this.at;
    let value = 0;
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      else if (c === COMMA) break;
      else return -1;
    }
    const digits = i - start;
    if (digits === 0 || digits > 16 || value > Number.MAX_SAFE_INTEGER) return -1;
    this.#stop(i);
    return value;
  }

  /**
   * The field as a plain decimal, unsigned digits with at most one dot and 1 to 15 digits (then
   * the mantissa and the power of ten are exact doubles and their quotient equals `Number(text)`),
   * else NaN (where the field stops is then unknown): the caller decodes the line and takes the
   * general path (`scanDecimal`), which also tells a bad field from an unusual good one. Fifteen
   * digits cannot make more decimal places than the books keep (18 for sizes, 24 for prices), so
   * only that path counts them.
   */
  decimal(bytes: Uint8Array): number {
    const end = this.end;
    const start = this.at;
    let mantissa = 0;
    let dot = -1;
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 48 && c <= 57) mantissa = mantissa * 10 + (c - 48);
      else if (c === 46 && dot < 0) dot = i;
      else if (c === COMMA) break;
      else return Number.NaN;
    }
    const digits = dot < 0 ? i - start : i - start - 1;
    if (digits <= 0 || digits > 15) return Number.NaN;
    this.#stop(i);
    return dot < 0 ? mantissa : mantissa / (POW10[i - dot - 1] as number);
  }

  /** The field as a boolean: `true`/`True` 1, `false`/`False` 0, else -1 (as `scanBoolean`). */
  flag(bytes: Uint8Array): number {
    const start = this.at;
    const first = bytes[start];
    if (first === 116 || first === 84) return this.is(bytes, RUE, 1) ? 1 : -1;
    if (first === 102 || first === 70) return this.is(bytes, ALSE, 1) ? 0 : -1;
    return -1;
  }

  /**
   * True when the field is exactly `expected` (after its first `skipFirst` bytes, which the
   * caller checked) and passes over it; false leaves the cursor.
   */
  is(bytes: Uint8Array, expected: readonly number[], skipFirst = 0): boolean {
    const start = this.at + skipFirst;
    const length = expected.length;
    const stop = start + length;
    if (stop > this.end || (stop < this.end && bytes[stop] !== COMMA)) return false;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== expected[k]) return false;
    this.#stop(stop);
    return true;
  }

  /** True when the field is exactly the ASCII `text` (and passes over it); false leaves the cursor. */
  isText(bytes: Uint8Array, text: string): boolean {
    const start = this.at;
    const length = text.length;
    const stop = start + length;
    if (stop > this.end || (stop < this.end && bytes[stop] !== COMMA)) return false;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== text.charCodeAt(k)) return false;
    this.#stop(stop);
    return true;
  }

  #stop(i: number): void {
    this.fieldEnd = i;
    this.at = i + 1;
  }
}
