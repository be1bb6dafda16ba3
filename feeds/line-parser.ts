import type { MarketEvent, Side } from '../src/core/market-event.js';

/** Turns one line (without its newline) into an event, or null when it carries none. */
export interface LineParser {
  /** Throws `FeedError` on a bad line; counts deliberately skipped lines in the context. */
  parseLine(line: string, lineNo: number): MarketEvent | null;
  /**
   * The same for the line's bytes, `bytes[start, end)` (ASCII), without decoding it: the fast path
   * of formats whose ordinary lines it reads faster than {@link parseLine}. The event goes to
   * `sink` as fields and byte ranges of `bytes` (no object made); returns true when the line is
   * done with (its event sent, or the line skipped and counted), and false, before any effect, for
   * a line it leaves to {@link parseLine} (anything unusual, every bad line: one place says why a
   * line is bad).
   */
  parseBytes?(
    bytes: Buffer,
    start: number,
    end: number,
    lineNo: number,
    sink: ParsedEventSink,
  ): boolean;
}

/**
 * Where a parser's bytes fast path puts the event of a line it read: its fields and the byte
 * ranges of its decimal strings (and id) in the line's buffer, `bytes`, which stays the reader's
 * chunk. Nothing is allocated before the sink decides what to make of them.
 */
export interface ParsedEventSink {
  trade(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    side: Side | null,
    priceNum: number,
    sizeNum: number,
    bytes: Uint8Array,
    priceStart: number,
    priceEnd: number,
    sizeStart: number,
    sizeEnd: number,
    /** -1 (and `idEnd` -1): no id. */
    idStart: number,
    idEnd: number,
  ): void;
  quote(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    bidPriceNum: number,
    bidSizeNum: number,
    askPriceNum: number,
    askSizeNum: number,
    bytes: Uint8Array,
    bidPriceStart: number,
    bidPriceEnd: number,
    bidSizeStart: number,
    bidSizeEnd: number,
    askPriceStart: number,
    askPriceEnd: number,
    askSizeStart: number,
    askSizeEnd: number,
  ): void;
}
