import type { MarketEvent } from '../src/core/market-event.js';

/** Turns one line (without its newline) into an event, or null when it carries none. */
export interface LineParser {
  /** Throws `FeedError` on a bad line; counts deliberately skipped lines in the context. */
  parseLine(line: string, lineNo: number): MarketEvent | null;
}
