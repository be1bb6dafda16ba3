import { FeedError } from '../src/core/errors.js';
import type { FeedStats } from './feed-source.js';

/**
 * Per-file state shared by a reader and its line parser: where errors point, the counters, and
 * the out-of-order policy. Parsers validate every field first and call {@link eventTime} last, so
 * a bad line never moves the file's latest time.
 */
export class FeedContext {
  /** The path as given, for messages. */
  readonly file: string;
  readonly stats: FeedStats;
  readonly maxBackstepUs: number;
  /** Quotes are dropped (counted as `droppedQuote`) instead of becoming events. */
  readonly tradesOnly: boolean;
  /** Latest event time produced so far, µs; -1 before the first event. */
  latestTsUs = -1;

  constructor(file: string, stats: FeedStats, maxBackstepUs: number, tradesOnly = false) {
    this.file = file;
    this.stats = stats;
    this.maxBackstepUs = maxBackstepUs;
    this.tradesOnly = tradesOnly;
  }

  /**
   * Applies the out-of-order policy to a raw event time: returns it when it does not go back,
   * the latest time (counting `outOfOrder`) when it goes back by at most `maxBackstepUs`, and
   * throws `E_FEED_OUT_OF_ORDER` beyond.
   */
  eventTime(rawTsUs: number, line: number, field: string): number {
    const latest = this.latestTsUs;
    if (rawTsUs >= latest) {
      this.latestTsUs = rawTsUs;
      return rawTsUs;
    }
    if (latest - rawTsUs <= this.maxBackstepUs) {
      this.stats.outOfOrder++;
      return latest;
    }
    throw new FeedError(
      'E_FEED_OUT_OF_ORDER',
      { file: this.file, line, field },
      `time ${rawTsUs} µs is ${(latest - rawTsUs) / 1000} ms before the latest event time ${latest} µs (tolerance ${this.maxBackstepUs / 1000} ms)`,
    );
  }

  /** Counts a line skipped on purpose and returns null (the parser's "no event"). */
  skip(kind: string): null {
    const skipped = this.stats.skipped;
    skipped[kind] = (skipped[kind] ?? 0) + 1;
    return null;
  }

  /**
   * Counts a validated quote dropped under `tradesOnly` and returns null. Parsers call it after
   * checking the quote's fields and before {@link eventTime}, so a dropped quote never moves the
   * latest time.
   */
  dropQuote(): null {
    return this.skip('droppedQuote');
  }

  /** A field that does not validate. */
  badField(line: number, field: string, reason: string): FeedError {
    return new FeedError('E_FEED_BAD_FIELD', { file: this.file, line, field }, reason);
  }

  /** A line that cannot be split into fields (not JSON, wrong column count). */
  malformed(line: number, reason: string, field = '-'): FeedError {
    return new FeedError('E_FEED_MALFORMED_LINE', { file: this.file, line, field }, reason);
  }
}
