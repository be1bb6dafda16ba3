import { US_PER_SECOND, usToIso } from '../core/time.js';

/**
 * The ISO-8601 date and second (`2024-08-08T23:54:13.`) of the last two seconds asked for, kept in
 * the form a formatter writes them (text, or bytes). fills.csv's rows come in event-time order,
 * each with its own time and its decision's, so two kept seconds spare nearly every row a `Date`;
 * the row then adds the microseconds (`usToIso` gives the same text).
 *
 * @example
 * const prefixes = new IsoSecondPrefixes((prefix) => prefix, '');
 * prefixes.of(Math.floor(tsUs / US_PER_SECOND)); // '2024-08-08T23:54:13.'
 */
export class IsoSecondPrefixes<T> {
  readonly #encode: (prefix: string) => T;
  #second = Number.NaN;
  #prefix: T;
  #otherSecond = Number.NaN;
  #otherPrefix: T;

  /** `encode` turns a prefix's text into the kept form; `empty` fills the two slots at first. */
  constructor(encode: (prefix: string) => T, empty: T) {
    this.#encode = encode;
    this.#prefix = empty;
    this.#otherPrefix = empty;
  }

  /** The prefix of the whole second `second` (µs since the epoch over 10⁶, floored). */
  of(second: number): T {
    if (second === this.#second) return this.#prefix;
    if (second === this.#otherSecond) return this.#otherPrefix;
    const prefix = this.#encode(usToIso(second * US_PER_SECOND).slice(0, 20));
    this.#otherSecond = this.#second;
    this.#otherPrefix = this.#prefix;
    this.#second = second;
    this.#prefix = prefix;
    return prefix;
  }
}
