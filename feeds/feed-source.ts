import type { MarketEvent } from '../src/core/market-event.js';

/** The file formats the readers understand; see docs/feed-formats.md. */
export type FeedFormat =
  | 'binance-ws'
  | 'binance-csv-trades'
  | 'binance-csv-aggtrades'
  | 'tardis-trades'
  | 'tardis-quotes'
  | 'normalized';

/** Every {@link FeedFormat}, in documentation order (for `--format` choices). */
export const FEED_FORMATS: readonly FeedFormat[] = [
  'binance-ws',
  'binance-csv-trades',
  'binance-csv-aggtrades',
  'tardis-trades',
  'tardis-quotes',
  'normalized',
];

/**
 * Where an event's time (`tsUs`) comes from: the local receive time the capture recorded
 * (`local`), or the exchange's own timestamp (`exchange`); see docs/feed-formats.md, "Event time:
 * local or exchange".
 */
export type FeedTime = 'local' | 'exchange';

/** How to read one feed file. */
export interface FeedOptions {
  /** Skips content detection and reads the file as this format. */
  readonly format?: FeedFormat;
  /** A bad line stops the read with a `FeedError` (`fail`, default) or is counted and skipped (`skip`). */
  readonly onBadLine?: 'fail' | 'skip';
  /** Symbol for formats without a symbol column (Binance CSV) when the file name does not tell. */
  readonly symbol?: string;
  /**
   * Out-of-order tolerance, ms (default 1000): an event up to this much earlier than the file's
   * latest event time is clamped to that time; a larger step back is a bad line.
   */
  readonly maxBackstepMs?: number;
  /**
   * Event time (default `local`): `exchange` takes `tsUs` from the exchange's timestamps instead of
   * the local receive time (binance-ws: `T`, else `E`; a message without either, a spot
   * bookTicker, gets the latest event time, or is skipped as `untimed` before the first timed
   * one). Binance CSV and normalized files have one time only, used either way; `exchange` on a
   * Tardis file is a `UsageError`.
   */
  readonly time?: 'local' | 'exchange';
  /**
   * Reads the file as a trades-only tape (default false): quote events (bookTicker, Tardis and
   * normalized quotes) are validated like any line, then dropped and counted in
   * `stats.skipped.droppedQuote` instead of becoming events. A dropped quote never moves the
   * file's latest event time, so trades are ordered and clamped among themselves only, as a bot
   * subscribed to trades alone would receive them.
   */
  readonly tradesOnly?: boolean;
}

/** Live counters of one feed file, updated while reading; final once `batches()` is done. */
export interface FeedStats {
  /** Lines read (header and skipped lines included). */
  lines: number;
  /** Events produced: `trades + quotes`. */
  events: number;
  trades: number;
  quotes: number;
  /**
   * Lines read but not turned into events, by kind: `depthUpdate`, `depthSnapshot`, `other`
   * (unknown message types), `emptyQuote` (a book side empty), `untimed` (a time-less quote before
   * any timed event), `droppedQuote` (a valid quote dropped by `tradesOnly`), `blank` (empty or
   * whitespace-only lines).
   */
  skipped: Record<string, number>;
  /** Bad lines skipped (only with `onBadLine: 'skip'`). */
  badLines: number;
  /** Events whose time went back (within `maxBackstepMs`) and was clamped to the latest time. */
  outOfOrder: number;
  /** Raw (possibly compressed) file bytes consumed so far; compare with `sizeBytes`. */
  bytesRead: number;
  /** Event time of the first and last event produced, µs. */
  firstTsUs: number | null;
  lastTsUs: number | null;
  /** Hex sha256 of the raw file bytes, set once the file has been read to the end. */
  sha256: string | null;
}

/** Counters of a feed that has read nothing yet (a fresh object each call). */
export function emptyFeedStats(): FeedStats {
  return {
    lines: 0,
    events: 0,
    trades: 0,
    quotes: 0,
    skipped: {},
    badLines: 0,
    outOfOrder: 0,
    bytesRead: 0,
    firstTsUs: null,
    lastTsUs: null,
    sha256: null,
  };
}

/**
 * One opened feed file.
 *
 * @example
 * const feed = await openFeed('feeds/samples/spot_btcusdt_20240808.gz');
 * for await (const batch of feed.batches()) for (const event of batch) use(event);
 * console.log(feed.stats.trades, feed.stats.sha256);
 */
export interface FeedSource {
  /** The path as given to `openFeed`. */
  readonly path: string;
  readonly format: FeedFormat;
  /** Size of the file as stored (compressed if gzipped), bytes. */
  readonly sizeBytes: number;
  readonly stats: FeedStats;
  /**
   * The events in file order (times non-decreasing, see the out-of-order policy), in batches of
   * up to 4096. Iterable once; throws `FeedError` on bad input unless `onBadLine` is `skip`.
   */
  batches(): AsyncIterable<readonly MarketEvent[]>;
}
