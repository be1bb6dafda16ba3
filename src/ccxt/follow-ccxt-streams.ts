import type { Order, Trade } from 'ccxt';
import type { BotReport } from '../embed/bot-report.js';
import type { CcxtOrderTracker } from './ccxt-order-tracker.js';

/** What the helper needs of a ccxt.pro exchange: its order and own-trade streams. */
export interface CcxtStreams {
  watchOrders(symbol?: string): Promise<Order[]>;
  watchMyTrades(symbol?: string): Promise<Trade[]>;
}

/** Options of {@link followCcxtStreams}. */
export interface FollowCcxtStreamsOptions {
  /** A ccxt.pro exchange (or anything with `watchOrders` and `watchMyTrades`). */
  readonly exchange: CcxtStreams;
  readonly tracker: CcxtOrderTracker;
  /** Where the reports go: `canary.record`, or a fleet agent's `report`. */
  readonly report: (report: BotReport) => unknown;
  /** Only this unified symbol's orders and trades (default: all the exchange sends). */
  readonly symbol?: string;
  /** Stops following (the helper returns once both streams have). */
  readonly signal: AbortSignal;
  /**
   * A watch call threw (ccxt.pro reconnects on the next call): return to call it again after
   * `retryDelayMs`, or throw to stop. Without it the first error ends the helper.
   */
  readonly onError?: (error: unknown, stream: 'orders' | 'trades') => void;
  /** Wait before calling a watch again after an error, ms (default 1000). */
  readonly retryDelayMs?: number;
}

/**
 * The updates of a ccxt.pro stream as an async iterable: `watch` (e.g. `() =>
 * exchange.watchOrders(symbol)`) resolves with the updates since its last call and is called in a
 * loop, as ccxt.pro wants, until `signal` aborts (a pending call is then left behind).
 */
export async function* ccxtUpdates<T>(
  watch: () => Promise<T[]>,
  signal: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  const aborted = new Promise<null>((resolve) => {
    if (signal.aborted) resolve(null);
    else signal.addEventListener('abort', () => resolve(null), { once: true });
  });
  while (!signal.aborted) {
    const pending = watch();
    const batch = await Promise.race([pending, aborted]);
    if (batch === null) {
      pending.catch(() => undefined); // left behind: its outcome no longer matters
      return;
    }
    yield* batch;
  }
}

/**
 * Feeds a canary from ccxt.pro's `watchOrders` and `watchMyTrades`: every order update and trade
 * goes through `tracker`, and each report it completes (an order's fill or reject) goes to
 * `report`. Resolves when `signal` aborts; rejects with an error of a stream (without `onError`)
 * or of the tracker (`E_CCXT_*`: a fee it cannot book, trades that contradict their order), after
 * stopping the other stream.
 */
export async function followCcxtStreams(options: FollowCcxtStreamsOptions): Promise<void> {
  const { exchange, tracker, report, symbol } = options;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  const follow = async <T>(
    stream: 'orders' | 'trades',
    watch: () => Promise<T[]>,
    handle: (item: T) => BotReport[],
  ): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        for await (const item of ccxtUpdates(watch, stop.signal)) {
          for (const completed of handle(item)) report(completed);
        }
      } catch (error) {
        if (stop.signal.aborted || options.onError === undefined || isTrackerError(error)) {
          throw error;
        }
        options.onError(error, stream);
        await delay(options.retryDelayMs ?? 1000, stop.signal);
      }
    }
  };
  try {
    await Promise.all([
      follow(
        'orders',
        () => exchange.watchOrders(symbol),
        (order: Order) => tracker.onOrder(order),
      ).catch(stopping),
      follow(
        'trades',
        () => exchange.watchMyTrades(symbol),
        (trade: Trade) => tracker.onTrade(trade),
      ).catch(stopping),
    ]);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }

  function stopping(error: unknown): never {
    stop.abort();
    throw error;
  }
}

function isTrackerError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('E_CCXT_')
  );
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
