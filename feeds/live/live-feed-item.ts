import type { ErrorCode } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/market-event.js';

/** A market event from the socket, the same type the file readers produce. */
export interface LiveEventItem {
  readonly type: 'event';
  readonly event: MarketEvent;
}

/**
 * A hole in a stream, found from the venue's ids: a trade (`t`) or aggTrade (`a`) id that is not
 * the previous one + 1, or a bookTicker update id (`u`) that goes backwards. It comes just before
 * the event that revealed it.
 */
export interface LiveGapItem {
  readonly type: 'gap';
  readonly symbol: string;
  /** The stream the ids belong to, e.g. `btcusdt@trade`. */
  readonly stream: string;
  /** `trade-id`: trade and aggTrade ids; `update-id`: bookTicker update ids. */
  readonly kind: 'trade-id' | 'update-id';
  /** The id that should have come: previous + 1 (for update ids: the smallest acceptable). */
  readonly expected: number;
  readonly received: number;
  /** Local receive time of the message that revealed the gap, µs since epoch. */
  readonly atUs: number;
}

/** The connection's state changed; `attempt` is the reconnect attempt (0 for the first connect). */
export interface LiveStatusItem {
  readonly type: 'status';
  readonly status: 'connecting' | 'open' | 'reconnecting' | 'closed';
  readonly attempt: number;
  /** Why the connection ended (`reconnecting`, `closed`). */
  readonly reason?: string;
  /** `reconnecting`: the backoff delay before the next attempt, ms. */
  readonly delayMs?: number;
  /**
   * `reconnecting`: whether the connection that ended had opened; false when the attempt never
   * connected (refused, unreachable, handshake failed), so nothing was lost.
   */
  readonly opened?: boolean;
  readonly atUs: number;
}

/**
 * Market events were dropped because the consumer fell behind (docs/feed-formats.md, "Live
 * websocket feeds"): `count` since the previous `dropped` item, `total` since the client started.
 * It comes before the first item that followed the drops.
 */
export interface LiveDroppedItem {
  readonly type: 'dropped';
  readonly count: number;
  readonly total: number;
  /** Local time of the latest drop, µs since epoch. */
  readonly atUs: number;
}

/**
 * A message that could not be read (not JSON, a bad field, a binary frame): counted and skipped,
 * the connection goes on. `code` and `message` are those of the `FeedError` a file would give.
 */
export interface LiveBadMessageItem {
  readonly type: 'bad-message';
  readonly code: ErrorCode;
  /** `<url>:<message no.>: <field>: <reason>`. */
  readonly message: string;
  /** Bad messages since the client started, this one included. */
  readonly total: number;
  readonly atUs: number;
}

/** What a live feed client yields: discriminate on `type`. */
export type LiveFeedItem =
  LiveEventItem | LiveGapItem | LiveStatusItem | LiveDroppedItem | LiveBadMessageItem;
