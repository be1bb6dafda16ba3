import { describe, expect, it } from 'vitest';
import { CanaryError } from '../src/core/errors.js';
import type { FeedOptions } from './feed-source.js';
import {
  fixture,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

const dir = tempDir();

/** Reads a file twice, with and without `tradesOnly`. */
async function both(path: string, options: FeedOptions = {}) {
  const all = await readAll(path, options);
  const tradesOnly = await readAll(path, { ...options, tradesOnly: true });
  return { all, tradesOnly };
}

describe('openFeed with tradesOnly', () => {
  it.each([
    'spot_btcusdt_20240808.gz',
    'spot_btcusdt_20240809.gz',
    'spot_ethusdt_20240808.gz',
    'usdm_btcusdt_20240808.gz',
  ])('reads the real capture %s as its trade tape, counting every quote dropped', async (name) => {
    const { all, tradesOnly } = await both(sample(name));
    const stats = tradesOnly.source.stats;
    expect(tradesOnly.events.every((e) => e.type === 'trade')).toBe(true);
    expect(stats.quotes).toBe(0);
    expect(stats.trades).toBe(all.source.stats.trades);
    expect(stats.events).toBe(all.source.stats.trades);
    expect(stats.skipped).toEqual({
      ...all.source.stats.skipped,
      droppedQuote: all.source.stats.quotes,
    });
    expect(stats.lines).toBe(all.source.stats.lines);
    expect(stats.sha256).toBe(all.source.stats.sha256);
    // Local receive times never step back in these captures: the trades are exactly the same.
    expect(tradesOnly.events).toEqual(all.events.filter((e) => e.type === 'trade'));
    expect([stats.firstTsUs, stats.lastTsUs]).toEqual([
      tradesOnly.events[0]!.tsUs,
      tradesOnly.events.at(-1)!.tsUs,
    ]);
  });

  it('clamps trades against trades only: dropped quotes never move the latest time', async () => {
    // With exchange time, USD-M bookTicker and trade times interleave out of order (clamped).
    const { all, tradesOnly } = await both(sample('usdm_btcusdt_20240808.gz'), {
      time: 'exchange',
    });
    const trades = all.events.filter((e) => e.type === 'trade');
    expect(tradesOnly.events).toHaveLength(trades.length);
    expect(tradesOnly.source.stats.outOfOrder).toBeLessThan(all.source.stats.outOfOrder);
    // Each trade's time is its own exchange time, clamped to the latest earlier trade only.
    let latest = -1;
    tradesOnly.events.forEach((event, i) => {
      const raw = event.exchangeTsUs as number;
      latest = Math.max(latest, raw);
      expect(event.tsUs).toBe(latest);
      expect({ ...event, tsUs: 0 }).toEqual({ ...trades[i], tsUs: 0 });
    });
  });

  it('drops the quotes of every format that has them', async () => {
    const ws = await both(fixture('binance-ws-spot.txt'));
    expect(ws.tradesOnly.source.stats.skipped['droppedQuote']).toBe(ws.all.source.stats.quotes);
    expect(ws.tradesOnly.events).toEqual(ws.all.events.filter((e) => e.type === 'trade'));

    const normalized = await both(fixture('normalized.csv'));
    expect(normalized.tradesOnly.source.stats).toMatchObject({
      events: 3,
      trades: 3,
      quotes: 0,
      skipped: { droppedQuote: 1 },
    });

    // A Tardis quotes file becomes an empty tape; quotes with an empty side stay `emptyQuote`.
    const tardis = await both(fixture('tardis-quotes.csv'));
    expect(tardis.tradesOnly.events).toEqual([]);
    expect(tardis.tradesOnly.source.stats).toMatchObject({
      events: 0,
      skipped: { emptyQuote: 2, droppedQuote: 2 },
      firstTsUs: null,
    });

    // Files without quotes read the same.
    for (const name of ['BTCUSDT-trades-2024-08-08.csv', 'tardis-trades.csv']) {
      const plain = await both(fixture(name));
      expect(plain.tradesOnly.events).toEqual(plain.all.events);
      expect(plain.tradesOnly.source.stats).toEqual(plain.all.source.stats);
    }
  });

  it('counts a time-less spot bookTicker as dropped, not untimed, with exchange time', async () => {
    const path = fixture('binance-ws-spot-bare.jsonl');
    const { all, tradesOnly } = await both(path, { time: 'exchange' });
    const untimed = all.source.stats.skipped['untimed'] ?? 0;
    expect(tradesOnly.source.stats.skipped['untimed']).toBeUndefined();
    expect(tradesOnly.source.stats.skipped['droppedQuote']).toBe(all.source.stats.quotes + untimed);
  });

  it('still validates quote lines: a bad quote is a bad line', async () => {
    const path = writeFeed(
      dir,
      'bad-quote.csv',
      [
        '1723161255342000,binance,BTCUSDT,trade,sell,61837.63,0.02,,,,,1',
        '1723161255343000,binance,BTCUSDT,quote,,,,61837.65,1,61837.64,1,',
        '1723161255344000,binance,BTCUSDT,trade,buy,61837.64,0.01,,,,,2',
      ].join('\n'),
    );
    const error = await rejection(readAll(path, { tradesOnly: true }));
    expect(error).toBeInstanceOf(CanaryError);
    expect((error as CanaryError).code).toBe('E_FEED_BAD_FIELD');
    expect(error.message).toContain(':2: bid_price: crossed quote');
    const skipped = await readAll(path, { tradesOnly: true, onBadLine: 'skip' });
    expect(skipped.events).toHaveLength(2);
    expect(skipped.source.stats).toMatchObject({ badLines: 1, skipped: {} });
  });

  it('refuses a tradesOnly that is not a boolean', async () => {
    const error = await rejection(
      readAll(fixture('normalized.csv'), { tradesOnly: 'yes' as unknown as boolean }),
    );
    expect((error as CanaryError).code).toBe('E_USAGE');
  });
});
