import type { MarketEvent } from '../src/core/market-event.js';

/** Turns one line (without its newline) into an event, or null when it carries none. */
export interface LineParser {
  /** Throws `FeedError` on a bad line; counts deliberately skipped lines in the context. */
  parseLine(line: string, lineNo: number): MarketEvent | null;
  /**
   * The same for the line's bytes, `bytes[start, end)` (ASCII), without decoding it: the fast path
   * of formats whose ordinary lines it reads faster than {@link parseLine}. Returns `undefined`,
   * before any effect, for a line it leaves to {@link parseLine} (anything unusual, every bad line:
   * one place says why a line is bad). Events it returns may keep `bytes` (buffer-events.ts).
   */
  parseBytes?(
    bytes: Buffer,
    start: number,
    end: number,
    lineNo: number,
  ): MarketEvent | null | undefined;
}
