import type { FeedError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/market-event.js';
import { BinanceWsParser } from '../binance-ws-parser.js';
import { FeedContext } from '../feed-context.js';
import type { FeedStats, FeedTime } from '../feed-source.js';
import { emptyFeedStats } from '../feed-source.js';
import type { IdSequence } from './gap-detector.js';

/** One websocket message that carried a market event. */
export interface LiveMessage {
  readonly event: MarketEvent;
  readonly sequence: IdSequence;
  /** The envelope's `stream`, else `<symbol>@<sequence>` (e.g. `btcusdt@trade`). */
  readonly stream: string;
  /** Trade id `t`, aggTrade id `a` or bookTicker update id `u`; null when absent. */
  readonly id: number | null;
}

const ENVELOPE_STREAM = /^\s*\{\s*"stream"\s*:\s*"([^"\\]*)"/;
const AGG_TRADE = /"e"\s*:\s*"aggTrade"/;
const UPDATE_ID = /"u"\s*:\s*(\d+)/;

/**
 * Reads Binance websocket messages with the file reader's {@link BinanceWsParser}, as if each
 * were a capture line `<local receive time> <json>`: same events, same validation, same errors.
 * `tsUs` is the local receive time (`time: 'local'`, default) or, with `time: 'exchange'`, the
 * message's exchange time exactly as the file reader takes it with the same option (`T`, else `E`;
 * a spot bookTicker gets the latest event time, or is skipped as `untimed` before the first timed
 * message). Times never go back: any step back is clamped to the latest time and counted in
 * `stats.outOfOrder`. Errors name the source and the message number as `url:n: field: reason`.
 */
export class LiveMessageParser {
  readonly stats: FeedStats = emptyFeedStats();
  readonly #ctx: FeedContext;
  readonly #parser: BinanceWsParser;

  /** `source` names the feed in error messages (the url); `time` picks the event time. */
  constructor(source: string, time: FeedTime = 'local') {
    this.#ctx = new FeedContext(source, this.stats, Number.MAX_SAFE_INTEGER);
    this.#parser = new BinanceWsParser(this.#ctx, true, time);
  }

  /**
   * The event of a text message received at `localUs` (integer µs since epoch), or null for a
   * message without one (subscription replies, depth updates, untimed quotes: counted in
   * `stats.skipped`). Throws `FeedError` for a bad message, counted in `stats.badLines`.
   */
  parse(text: string, localUs: number): LiveMessage | null {
    const stats = this.stats;
    const messageNo = ++stats.lines;
    stats.bytesRead += text.length;
    let event: MarketEvent | null;
    try {
      event = this.#parser.parseLine(`${Math.max(1, Math.floor(localUs))}000 ${text}`, messageNo);
    } catch (error) {
      stats.badLines++;
      throw error;
    }
    if (event === null) return null;
    stats.events++;
    if (event.type === 'trade') stats.trades++;
    else stats.quotes++;
    stats.firstTsUs ??= event.tsUs;
    stats.lastTsUs = event.tsUs;
    let sequence: IdSequence;
    let id: number | null;
    if (event.type === 'quote') {
      sequence = 'bookTicker';
      const u = UPDATE_ID.exec(text);
      id = u === null ? null : Number(u[1]);
    } else {
      sequence = AGG_TRADE.test(text) ? 'aggTrade' : 'trade';
      id = event.id === null ? null : Number(event.id);
    }
    const stream = ENVELOPE_STREAM.exec(text)?.[1] ?? `${event.symbol.toLowerCase()}@${sequence}`;
    return { event, sequence, stream, id };
  }

  /** Counts a frame that is not text and returns the error to report. */
  rejectBinary(): FeedError {
    const messageNo = ++this.stats.lines;
    this.stats.badLines++;
    return this.#ctx.malformed(messageNo, 'a binary frame, expected JSON text');
  }
}
