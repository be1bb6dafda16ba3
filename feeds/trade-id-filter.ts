import type { EventBytes } from './buffer-events.js';

/** How many recent trade ids of each stream a {@link TradeIdFilter} remembers. */
export const TRADE_ID_WINDOW = 1024;

/** The recent ids of one exchange and symbol. */
class StreamIds {
  /** Largest numeric id seen; -1 before the first. */
  max = -1;
  /** Ring of the last numeric ids (-1: empty slot). */
  readonly numbers = new Float64Array(TRADE_ID_WINDOW).fill(-1);
  numberAt = 0;
  /** Ring (and set) of the last other ids (UUIDs, ids beyond 15 digits). */
  readonly texts: (string | undefined)[] = [];
  readonly textSet = new Set<string>();
  textAt = 0;
}

/** The value of an id of 1 to 15 digits without a leading zero, else -1 (kept as text). */
function numericId(id: string): number {
  const length = id.length;
  if (length === 0 || length > 15 || (length > 1 && id.charCodeAt(0) === 48)) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** {@link numericId} of UTF-8 bytes (a digit is one byte, so the same rule on the same text). */
function numericIdBytes(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 15 || (length > 1 && bytes[start] === 48)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Finds repeated trade ids within a file: an id seen among the last {@link TRADE_ID_WINDOW} trades
 * of the same exchange and symbol is a duplicate (a capture that recorded a message twice, two
 * overlapping downloads joined). Ids that only grow (Binance: contiguous) cost one comparison;
 * an id not above the largest seen is looked up in the window.
 */
export class TradeIdFilter {
  readonly #streams = new Map<string, Map<string, StreamIds>>();
  #lastExchange = '';
  #lastSymbol = '';
  #last: StreamIds | null = null;

  /** True when `id` is a duplicate of a recent trade of the stream; records it otherwise. */
  isDuplicate(exchange: string, symbol: string, id: string): boolean {
    return this.#check(this.#streamOf(exchange, symbol), numericId(id), id);
  }

  /**
   * {@link isDuplicate} for an id given as UTF-8 bytes, `bytes[start, end)` (a buffer event's):
   * a numeric id is read without making a string.
   */
  isDuplicateBytes(
    exchange: string,
    symbol: string,
    bytes: EventBytes,
    start: number,
    end: number,
  ): boolean {
    const value = numericIdBytes(bytes, start, end);
    return this.#check(
      this.#streamOf(exchange, symbol),
      value,
      value >= 0 ? '' : bytes.utf8Slice(start, end),
    );
  }

  #streamOf(exchange: string, symbol: string): StreamIds {
    let ids = this.#last;
    if (ids === null || exchange !== this.#lastExchange || symbol !== this.#lastSymbol) {
      ids = this.#stream(exchange, symbol);
      this.#last = ids;
      this.#lastExchange = exchange;
      this.#lastSymbol = symbol;
    }
    return ids;
  }

  /** `value`: the id's number ({@link numericId}), or -1 and the id as `text`. */
  #check(ids: StreamIds, value: number, text: string): boolean {
    if (value >= 0) {
      if (value > ids.max) ids.max = value;
      else if (ids.numbers.includes(value)) return true;
      ids.numbers[ids.numberAt] = value;
      ids.numberAt = (ids.numberAt + 1) % TRADE_ID_WINDOW;
      return false;
    }
    if (ids.textSet.has(text)) return true;
    const evicted = ids.texts[ids.textAt];
    if (evicted !== undefined) ids.textSet.delete(evicted);
    ids.texts[ids.textAt] = text;
    ids.textSet.add(text);
    ids.textAt = (ids.textAt + 1) % TRADE_ID_WINDOW;
    return false;
  }

  #stream(exchange: string, symbol: string): StreamIds {
    let bySymbol = this.#streams.get(exchange);
    if (bySymbol === undefined)
      this.#streams.set(exchange, (bySymbol = new Map<string, StreamIds>()));
    let ids = bySymbol.get(symbol);
    if (ids === undefined) bySymbol.set(symbol, (ids = new StreamIds()));
    return ids;
  }
}
