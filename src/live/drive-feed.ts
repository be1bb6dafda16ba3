import type { LiveFeedItem } from '../../feeds/index.js';
import type { MarketEvent } from '../core/market-event.js';

/**
 * What {@link driveFeed} paces the feed against: the agent the bot reports through (a
 * `CanaryAgent`). Its pending reports are those the server has not acknowledged yet.
 */
export interface FeedPacer {
  readonly connected: boolean;
  readonly stats: { readonly pending: number };
  flush(timeoutMs?: number): Promise<void>;
}

/** Options of {@link driveFeed}. */
export interface DriveFeedOptions {
  /** The market data (a `BinanceStreamClient`): closed when the drive stops. */
  readonly feed: AsyncIterable<LiveFeedItem> & { close(): Promise<void> };
  /** Gets every market event, in order (a `SimulatedBot`). */
  readonly bot: { onMarketEvent(event: MarketEvent): void };
  /**
   * While `pacer` is connected, reading waits for it whenever the bot's event time is more than
   * `maxLagMs` ahead of the oldest report it has not had acknowledged. A live market is never
   * that far ahead of a server that keeps up; a capture replayed faster than real time
   * (`serve-feed --speed max`) is, and without this the bot would trade minutes of event time on
   * routing the rollout has already changed.
   */
  readonly pacer?: FeedPacer;
  /** Event time, ms (default 1000). */
  readonly maxLagMs?: number;
  /**
   * Stop when no market event came for this long (wall clock, ms) after the first one: the end of
   * a capture, since `serve-feed` without `--loop` keeps the connection open. Default: never.
   */
  readonly idleExitMs?: number;
  /** Stop after this many reconnect attempts in a row without a connection. Default: never. */
  readonly maxReconnects?: number;
  /** Stops the drive (SIGINT, say). */
  readonly signal?: AbortSignal;
  /** Every item that is not a market event (status, gaps, drops, bad messages). */
  readonly onFeedItem?: (item: Exclude<LiveFeedItem, { type: 'event' }>) => void;
}

/**
 * Why a drive stopped: the feed closed by itself, went quiet (`idleExitMs`), could not be
 * reached (`maxReconnects`), or was stopped (`signal`).
 */
export type FeedEnd = 'closed' | 'idle' | 'unreachable' | 'stopped';

export interface DriveFeedResult {
  readonly end: FeedEnd;
  /** Market events handed to the bot. */
  readonly events: number;
  /** Times reading waited for the pacer. */
  readonly paceWaits: number;
}

const DEFAULT_MAX_LAG_MS = 1000;
/** Longest single wait for the pacer, ms: a server that stops acknowledging does not stop the bot. */
const PACE_TIMEOUT_MS = 10_000;

/**
 * Reads a live feed into a bot until the feed ends, goes quiet, cannot be reached or the signal
 * fires; the feed is closed then. Items that are not market events go to `onFeedItem`.
 *
 * @example
 * const { end } = await driveFeed({ feed, bot, pacer: agent, idleExitMs: 5000, signal });
 */
export async function driveFeed(options: DriveFeedOptions): Promise<DriveFeedResult> {
  const { feed, bot, pacer } = options;
  const maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
  let end: FeedEnd | null = null;
  let stopped: () => void = () => undefined;
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (why: FeedEnd): void => {
    if (end !== null) return;
    end = why;
    stopped();
    void feed.close();
  };
  const onAbort = (): void => stop('stopped');
  if (options.signal?.aborted === true) stop('stopped');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let events = 0;
  let paceWaits = 0;
  let reconnects = 0;
  /** Event time at which reports were first seen unacknowledged, ms; null when none are. */
  let pendingSinceMs: number | null = null;
  /** Wall clock of the last event (or pacing wait), ms; null before the first event. */
  let lastEventAtMs: number | null = null;
  let waitingForFeed = false;
  const idleExitMs = options.idleExitMs;
  const idleTimer =
    idleExitMs === undefined || idleExitMs <= 0
      ? null
      : setInterval(
          () => {
            if (
              waitingForFeed &&
              lastEventAtMs !== null &&
              Date.now() - lastEventAtMs >= idleExitMs
            )
              stop('idle');
          },
          Math.max(10, Math.min(250, idleExitMs / 4)),
        );

  const pace = async (tsMs: number): Promise<void> => {
    if (pacer === undefined) return;
    if (pacer.stats.pending === 0) {
      pendingSinceMs = null;
      return;
    }
    pendingSinceMs ??= tsMs;
    if (!pacer.connected || tsMs - pendingSinceMs <= maxLagMs) return;
    paceWaits++;
    await Promise.race([pacer.flush(PACE_TIMEOUT_MS).catch(() => undefined), stoppedPromise]);
    pendingSinceMs = pacer.stats.pending === 0 ? null : tsMs;
  };

  const iterator = feed[Symbol.asyncIterator]();
  try {
    for (;;) {
      waitingForFeed = true;
      const result = await iterator.next();
      waitingForFeed = false;
      if (result.done === true) break;
      const item = result.value;
      if (item.type === 'event') {
        if (end !== null) continue; // stopping: what was buffered is dropped
        events++;
        bot.onMarketEvent(item.event);
        await pace(item.event.tsUs / 1000);
        lastEventAtMs = Date.now();
        continue;
      }
      if (item.type === 'status') {
        if (item.status === 'open') reconnects = 0;
        if (item.status === 'reconnecting') {
          reconnects++;
          if (options.maxReconnects !== undefined && reconnects > options.maxReconnects) {
            stop('unreachable');
          }
        }
      }
      options.onFeedItem?.(item);
    }
  } finally {
    if (idleTimer !== null) clearInterval(idleTimer);
    options.signal?.removeEventListener('abort', onAbort);
    await feed.close();
  }
  return { end: end ?? 'closed', events, paceWaits };
}
