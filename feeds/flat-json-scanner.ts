/** Value kinds recorded by {@link FlatJsonScanner}. */
export const NONE = 0;
export const STRING = 1;
export const INTEGER = 2;
export const TRUE = 3;
export const FALSE = 4;
export const NULL = 5;

/**
 * A scanner for the one JSON shape that dominates Binance captures: a flat object whose keys are
 * single ASCII letters and whose values are strings without escapes, unsigned integers, true,
 * false or null, written without whitespace (`{"e":"trade","E":1723161255343,"s":"BTCUSDT",…}`).
 * It records where each value is instead of building objects. Anything else (nested values,
 * escapes, fractions, whitespace, longer keys) makes it give up, and the caller falls back to
 * JSON.parse; so it never accepts text that JSON.parse would reject.
 */
export class FlatJsonScanner {
  /** Per key (char code): value kind, and the value's span in the line (strings without quotes). */
  readonly kind = new Uint8Array(128);
  readonly start = new Int32Array(128);
  readonly end = new Int32Array(128);
  readonly #keys = new Uint8Array(64);
  #keyCount = 0;

  /**
   * Scans the object starting at `line[pos]` (`{`). Returns the position after its `}`, or -1 when
   * the text is not of the simple shape (or not valid JSON).
   */
  scanObject(line: string, pos: number): number {
    this.#clear();
    const length = line.length;
    if (line.charCodeAt(pos) !== 123) return -1;
    pos++;
    if (line.charCodeAt(pos) === 125) return pos + 1;
    for (;;) {
      // "k":
      if (pos + 4 > length || line.charCodeAt(pos) !== 34 || line.charCodeAt(pos + 2) !== 34)
        return -1;
      const key = line.charCodeAt(pos + 1);
      if (!((key >= 65 && key <= 90) || (key >= 97 && key <= 122))) return -1;
      if (line.charCodeAt(pos + 3) !== 58) return -1;
      pos += 4;
      if (pos >= length) return -1;
      const c = line.charCodeAt(pos);
      let kind: number;
      let valueStart = pos;
      let valueEnd = pos;
      if (c === 34) {
        valueStart = ++pos;
        for (;;) {
          if (pos >= length) return -1;
          const d = line.charCodeAt(pos);
          if (d === 34) break;
          if (d === 92 || d < 32) return -1;
          pos++;
        }
        valueEnd = pos++;
        kind = STRING;
      } else if (c >= 48 && c <= 57) {
        pos++;
        while (pos < length) {
          const d = line.charCodeAt(pos);
          if (d < 48 || d > 57) break;
          pos++;
        }
        if (c === 48 && pos - valueStart > 1) return -1; // leading zero: invalid JSON
        valueEnd = pos;
        kind = INTEGER;
      } else if (c === 116 && line.startsWith('true', pos)) {
        pos += 4;
        kind = TRUE;
      } else if (c === 102 && line.startsWith('false', pos)) {
        pos += 5;
        kind = FALSE;
      } else if (c === 110 && line.startsWith('null', pos)) {
        pos += 4;
        kind = NULL;
      } else {
        return -1;
      }
      if (this.kind[key] === NONE) {
        if (this.#keyCount === this.#keys.length) return -1;
        this.#keys[this.#keyCount++] = key;
      }
      this.kind[key] = kind;
      this.start[key] = valueStart;
      this.end[key] = valueEnd;
      const separator = line.charCodeAt(pos);
      if (separator === 44) {
        pos++;
        continue;
      }
      if (separator === 125) return pos + 1;
      return -1;
    }
  }

  #clear(): void {
    for (let i = 0; i < this.#keyCount; i++) this.kind[this.#keys[i] as number] = NONE;
    this.#keyCount = 0;
  }
}
