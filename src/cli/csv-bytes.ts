import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';
/**
 * Text written straight into a byte buffer, for files of many short rows (fills.csv): whole
 * numbers and fixed-point decimals as digits, without a string per field. When the buffer is
 * full (or on {@link flush}) its bytes go to `sink`, which must copy what it keeps: the buffer is
 * written again after.
 */
export class CsvBytes {
  readonly #sink: (bytes: Buffer, length: number) => void;
  #buffer: Buffer;
  #at = 0;

  constructor(sink: (bytes: Buffer, length: number) => void, capacity = 1 << 16) {
    this.#sink = sink;
    this.#buffer = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `bytes` more bytes: hands the buffer on first when they would not fit. */
  room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    this.flush();
    if (bytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(bytes);
  }

  /** Hands what is written so far to the sink. */
  flush(): void {
    if (this.#at === 0) return;
    this.#sink(this.#buffer, this.#at);
    this.#at = 0;
  }

  /** One byte (an ASCII character's code). Call {@link room} first, as for every write below. */
  byte(code: number): void {
    this.#buffer[this.#at++] = code;
  }

  /** `bytes` as they are (short ones byte by byte: cheaper than a `set` call). */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    if (length > 32) {
      this.#buffer.set(bytes, this.#at);
      this.#at += length;
      return;
    }
    const buffer = this.#buffer;
    let at = this.#at;
    for (let i = 0; i < length; i++) buffer[at++] = bytes[i]!;
    this.#at = at;
  }

  /** `text` in UTF-8 (room: up to 3 bytes a UTF-16 unit). */
  text(text: string): void {
    this.#at += this.#buffer.write(text, this.#at, 'utf8');
  }

  /** A whole number `0 <= value < 2⁵³` in decimal digits, as `String(value)` writes it. */
  unsigned(value: number): void {
    if (value < BILLION) {
      this.#small(value, digitCount(value));
      return;
    }
    // Two halves of 9 digits at most, each in 32-bit integer arithmetic.
    const high = Math.floor(value / BILLION);
    this.#small(high, digitCount(high));
    this.#small(value - high * BILLION, 9);
  }

  /**
   * `value × 10^−places` for a whole `value` with `|value| < 2⁵³`: a minus sign when negative, at
   * least one digit before the point, `places` after it with the trailing zeros (and then the
   * point) left out: "0.0125", "12", "0", "-3.5".
   */
  fixedTrimmed(value: number, places: number): void {
    if (value < 0) this.#buffer[this.#at++] = 45; // '-'
    let rest = Math.abs(value);
    // Fraction digits kept: the places less the trailing zeros.
    let kept = places;
    while (kept > 0 && rest % 10 === 0) {
      rest /= 10;
      kept--;
    }
    if (kept === 0) {
      this.unsigned(rest);
      return;
    }
    // From 10¹⁶ on, the unit exceeds any value below 2⁵³: all of it is fraction.
    const whole = kept >= 16 ? 0 : Math.floor(rest / FLOAT_POW10[kept]!);
    this.unsigned(whole);
    this.#buffer[this.#at++] = 46; // '.'
    const fraction = rest - whole * (kept >= 16 ? 0 : FLOAT_POW10[kept]!);
    let digits = kept;
    for (; digits > 18; digits--) this.#buffer[this.#at++] = 48; // leading zeros: fraction < 10¹⁶
    if (digits <= 9) this.#small(fraction, digits);
    else {
      const high = Math.floor(fraction / BILLION);
      this.#small(high, digits - 9);
      this.#small(fraction - high * BILLION, 9);
    }
  }

  /** A whole `0 <= value < 10⁹` as exactly `digits` digits, zeros in front as needed. */
  padded(value: number, digits: number): void {
    this.#small(value, digits);
  }

  /** `value < 10⁹` as exactly `digits` digits (leading zeros as needed), in 32-bit arithmetic. */
  #small(value: number, digits: number): void {
    const buffer = this.#buffer;
    let at = this.#at + digits;
    this.#at = at;
    let rest = value | 0;
    for (let i = 0; i < digits; i++) {
      const next = (rest / 10) | 0;
      buffer[--at] = 48 + rest - next * 10;
      rest = next;
    }
  }
}

const BILLION = 1e9;

/** The decimal digits of `0 <= value < 10⁹` (1 for 0). */
function digitCount(value: number): number {
  let digits = 1;
  while (digits < 9 && value >= FLOAT_POW10[digits]!) digits++;
  return digits;
}
