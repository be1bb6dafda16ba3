import { describe, expect, it } from 'vitest';
import type { LiveFeedItem } from '../../feeds/index.js';
import type { MarketEvent } from '../core/market-event.js';
import { driveFeed } from './drive-feed.js';

function event(tsMs: number): LiveFeedItem {
  const e: MarketEvent = {
    type: 'trade',
    tsUs: tsMs * 1000,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol: 'BTCUSDT',
    id: null,
    side: null,
    price: '1',
    priceNum: 1,
    size: '1',
    sizeNum: 1,
  };
  return { type: 'event', event: e };
}

function status(s: 'open' | 'reconnecting'): LiveFeedItem {
  return { type: 'status', status: s, attempt: 0, atUs: 0 };
}

/** A feed that yields `items`, then stays silent until closed (as serve-feed after the file). */
function fakeFeed(items: readonly LiveFeedItem[]) {
  let close: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const feed = {
    closes: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<LiveFeedItem> {
      for (const item of items) {
        yield item;
        await Promise.resolve();
      }
      await closed;
    },
    close(): Promise<void> {
      feed.closes++;
      close();
      return Promise.resolve();
    },
  };
  return feed;
}

describe('driveFeed', () => {
  it('hands every event to the bot, and stops when the feed goes quiet', async () => {
    const feed = fakeFeed([status('open'), event(1), event(2), event(3)]);
    const seen: number[] = [];
    const others: string[] = [];
    const result = await driveFeed({
      feed,
      bot: { onMarketEvent: (e) => seen.push(e.tsUs / 1000) },
      idleExitMs: 50,
      onFeedItem: (item) => others.push(item.type),
    });
    expect(result).toEqual({ end: 'idle', events: 3, paceWaits: 0 });
    expect(seen).toEqual([1, 2, 3]);
    expect(others).toEqual(['status']);
    expect(feed.closes).toBeGreaterThan(0);
  });

  it('gives up after maxReconnects attempts in a row without a connection', async () => {
    const feed = fakeFeed([
      status('reconnecting'),
      status('open'), // a connection resets the count
      status('reconnecting'),
      status('reconnecting'),
      status('reconnecting'),
    ]);
    const result = await driveFeed({
      feed,
      bot: { onMarketEvent: () => undefined },
      maxReconnects: 2,
    });
    expect(result.end).toBe('unreachable');
  });

  it('stops on the signal', async () => {
    const stop = new AbortController();
    const feed = fakeFeed([event(1)]);
    const driving = driveFeed({
      feed,
      bot: { onMarketEvent: () => stop.abort() },
      signal: stop.signal,
    });
    expect((await driving).end).toBe('stopped');
  });

  it('waits for the pacer when event time runs more than maxLagMs ahead of an unacknowledged report', async () => {
    let pending = 0;
    const flushedAt: number[] = [];
    let now = 0;
    const pacer = {
      connected: true,
      get stats() {
        return { pending };
      },
      flush: () => {
        flushedAt.push(now);
        pending = 0;
        return Promise.resolve();
      },
    };
    const feed = fakeFeed([
      event(0),
      event(500),
      event(1000),
      event(1500),
      event(2000),
      event(2600),
    ]);
    const result = await driveFeed({
      feed,
      bot: {
        onMarketEvent: (e) => {
          now = e.tsUs / 1000;
          if (now === 500) pending = 3; // reports made at 500 ms, not acknowledged
        },
      },
      pacer,
      maxLagMs: 1000,
      idleExitMs: 50,
    });
    expect(flushedAt).toEqual([2000]); // 1500 ms after the reports: more than 1000 ahead
    expect(result.paceWaits).toBe(1);
  });
});
