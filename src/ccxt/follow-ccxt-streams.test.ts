import ccxt, { type MarketInterface, type Order, type Trade } from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { BotReport } from '../embed/bot-report.js';
import { CcxtOrderTracker } from './ccxt-order-tracker.js';
import { ccxtUpdates, followCcxtStreams, type CcxtStreams } from './follow-ccxt-streams.js';
import { loadFixture } from './test-support/ccxt-fixtures.js';

const T0_MS = 1_723_161_600_000;
const BINANCE = loadFixture('binance-spot');
const MARKETS = { market: (): MarketInterface => BINANCE.markets[0]!.parsed };
const order = (name: string): Order => BINANCE.orders[name]!.parsed;
const trade = (name: string): Trade => BINANCE.trades[name]!.parsed;

/**
 * A ccxt.pro exchange whose streams answer from recorded batches, one per call, in order (a batch
 * may be an error to throw); once they are used up a call waits for ever, as a quiet stream does.
 */
function recordedStreams(
  orders: readonly (readonly Order[] | Error)[],
  trades: readonly (readonly Trade[] | Error)[],
): CcxtStreams & { calls: { orders: number; trades: number } } {
  const calls = { orders: 0, trades: 0 };
  const next = <T>(batches: readonly (readonly T[] | Error)[], i: number): Promise<T[]> => {
    const batch = batches[i];
    if (batch === undefined) return new Promise<T[]>(() => undefined);
    return batch instanceof Error ? Promise.reject(batch) : Promise.resolve([...batch]);
  };
  return {
    calls,
    watchOrders: () => next(orders, calls.orders++),
    watchMyTrades: () => next(trades, calls.trades++),
  };
}

/** Collects reports; `until(n)` resolves once n have come. */
function collector() {
  const reports: BotReport[] = [];
  let wanted = Number.POSITIVE_INFINITY;
  let done: () => void = () => undefined;
  return {
    reports,
    report: (report: BotReport) => {
      reports.push(report);
      if (reports.length >= wanted) done();
    },
    until: (n: number) =>
      new Promise<void>((resolve) => {
        wanted = n;
        done = resolve;
        if (reports.length >= n) resolve();
      }),
  };
}

function trackerWithSellOrder(): CcxtOrderTracker {
  const tracker = new CcxtOrderTracker({ markets: MARKETS, clock: () => T0_MS });
  tracker.submit({
    orderId: 'sc-acct-0008-1',
    accountId: 'acct-0008',
    arm: 'stable',
    symbol: 'BTC/USDT',
    side: 'sell',
    amount: '0.005',
    decisionTsMs: T0_MS,
    decisionPrice: '60000',
  });
  return tracker;
}

describe('followCcxtStreams: ccxt.pro’s watchOrders and watchMyTrades feeding a canary', () => {
  it('reports the order’s one fill once both streams have told all of it, and stops on abort', async () => {
    const exchange = recordedStreams(
      [[order('limit-sell-new')], [order('limit-sell-canceled')]],
      [[trade('limit-sell-trade-1')], [trade('limit-sell-trade-2')]],
    );
    const out = collector();
    const stop = new AbortController();
    const following = followCcxtStreams({
      exchange,
      tracker: trackerWithSellOrder(),
      report: out.report,
      signal: stop.signal,
    });
    await out.until(1);
    expect(out.reports).toMatchObject([
      { type: 'fill', orderId: 'sc-acct-0008-1', filledQuantity: '0.003', price: '60100.5' },
    ]);
    stop.abort();
    await expect(following).resolves.toBeUndefined();
    expect(exchange.calls.orders).toBeGreaterThanOrEqual(2);
    expect(exchange.calls.trades).toBeGreaterThanOrEqual(2);
  });

  it('calls a stream again after an error when onError allows it; without onError the error ends it', async () => {
    const dropped = new ccxt.NetworkError('binance connection closed');
    const batches = {
      orders: [[order('limit-sell-new')], [order('limit-sell-canceled')]],
      trades: [dropped, [trade('limit-sell-trade-1'), trade('limit-sell-trade-2')]],
    };
    const errors: [unknown, string][] = [];
    const out = collector();
    const stop = new AbortController();
    const following = followCcxtStreams({
      exchange: recordedStreams(batches.orders, batches.trades),
      tracker: trackerWithSellOrder(),
      report: out.report,
      signal: stop.signal,
      onError: (error, stream) => errors.push([error, stream]),
      retryDelayMs: 0,
    });
    await out.until(1);
    stop.abort();
    await following;
    expect(errors).toEqual([[dropped, 'trades']]);
    expect(out.reports).toHaveLength(1);

    const unforgiving = followCcxtStreams({
      exchange: recordedStreams(batches.orders, batches.trades),
      tracker: trackerWithSellOrder(),
      report: () => undefined,
      signal: new AbortController().signal,
    });
    await expect(unforgiving).rejects.toBe(dropped);
  });

  it('stops on the tracker’s own errors (a fee it cannot book) even with onError', async () => {
    const tracker = new CcxtOrderTracker({ markets: MARKETS, clock: () => T0_MS });
    tracker.submit({
      orderId: 'sc-acct-0009-1',
      accountId: 'acct-0009',
      arm: 'stable',
      symbol: 'BTC/USDT',
      side: 'buy',
      amount: '0.002',
      decisionTsMs: T0_MS,
      decisionPrice: '60000',
    });
    const following = followCcxtStreams({
      exchange: recordedStreams([[order('market-buy-bnb-fee')]], []),
      tracker,
      report: () => undefined,
      signal: new AbortController().signal,
      onError: () => undefined,
    });
    await expect(following).rejects.toMatchObject({ code: 'E_CCXT_FEE_CURRENCY' });
  });

  it('ccxtUpdates yields each update of each batch and ends when its signal aborts', async () => {
    const stop = new AbortController();
    const batches = [[1, 2], [3]];
    let call = 0;
    const seen: number[] = [];
    for await (const n of ccxtUpdates(
      () => Promise.resolve(batches[call++] ?? (stop.abort(), [])),
      stop.signal,
    )) {
      seen.push(n);
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});
