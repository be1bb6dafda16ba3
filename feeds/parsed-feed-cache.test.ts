import { readFileSync, utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import { plainMarketEvent } from './buffer-events.js';
import type { FeedOptions, FeedSource, FeedStats } from './feed-source.js';
import { NORMALIZED_CSV_HEADER } from './normalized-csv-format.js';
import { openFeed } from './open-feed.js';
import { ParsedFeedCache } from './parsed-feed-cache.js';
import {
  fixture,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

const through = (cache: ParsedFeedCache) => (path: string, options?: FeedOptions) =>
  cache.open(path, options);

/** The first `count` batches of a source, then the reader stops: events and statistics then. */
async function readFirst(
  source: FeedSource,
  count: number,
): Promise<{ events: unknown[]; stats: FeedStats }> {
  const events: unknown[] = [];
  let batches = 0;
  for await (const batch of source.batches()) {
    for (const event of batch) events.push(plainMarketEvent(event));
    if (++batches === count) break;
  }
  return { events, stats: structuredClone(source.stats) };
}

/** A normalized CSV of `trades` trades (several batches of 4096 when large). */
function tradesFeed(trades: number, firstPrice = 100): string {
  const lines = [NORMALIZED_CSV_HEADER];
  for (let i = 0; i < trades; i++)
    lines.push(
      `${1704067200000000 + i},synthetic,BTCUSDT,trade,buy,${firstPrice + (i % 7)},1,,,,,`,
    );
  return `${lines.join('\n')}\n`;
}

describe('ParsedFeedCache', () => {
  it.each([
    [sample('spot_btcusdt_20240808.gz'), {}],
    [sample('usdm_btcusdt_20240808.gz'), { tradesOnly: true }],
    [fixture('binance-ws-futures.jsonl'), { time: 'exchange' as const }],
    [fixture('tardis-quotes.csv'), {}],
    [fixture('BTCUSDT-trades-2024-08-08.csv'), { onBadLine: 'skip' as const }],
  ])(
    'reads %s again from memory: the same events, batches and statistics',
    async (path, options) => {
      const cache = new ParsedFeedCache();
      const fresh = await readAll(path, options);
      const first = await readAll(path, options, through(cache));
      expect(cache.files).toBe(1);
      expect(cache.events).toBe(fresh.events.length);
      const again = await readAll(path, options, through(cache));
      expect(again.source.constructor.name).toBe('KeptFeedSource');
      for (const read of [first, again]) {
        expect(read.events).toEqual(fresh.events);
        expect(read.batchSizes).toEqual(fresh.batchSizes);
        expect(read.source.stats).toEqual(fresh.source.stats);
        expect(read.source.format).toBe(fresh.source.format);
        expect(read.source.sizeBytes).toBe(fresh.source.sizeBytes);
        expect(read.source.path).toBe(path);
      }
    },
  );

  it('gives a reader that stops early what openFeed gives it, and keeps the whole file', async () => {
    const path = writeFeed(tempDir(), 'long.csv', tradesFeed(20_000));
    const cache = new ParsedFeedCache();
    const fresh = await readFirst(await openFeed(path), 2);
    const first = await readFirst(await cache.open(path), 2);
    expect(first).toEqual(fresh);
    expect(first.events).toHaveLength(2 * 4096);
    // The rest was parsed when the reader stopped: the file is kept whole.
    expect(cache.events).toBe(20_000);
    const kept = await cache.open(path);
    expect(await readFirst(kept, 2)).toEqual(fresh);
    const whole = await readAll(path, {}, through(cache));
    expect(whole.events).toEqual((await readAll(path)).events);
    expect(whole.source.stats).toEqual((await readAll(path)).source.stats);
  });

  it('reads a changed file afresh, and keeps each set of read options apart', async () => {
    const dir = tempDir();
    const path = writeFeed(dir, 'feed.csv', tradesFeed(10));
    const cache = new ParsedFeedCache();
    const before = await readAll(path, {}, through(cache));
    writeFeed(dir, 'feed.csv', tradesFeed(12, 200));
    // Same modification time as before: the size and change time still tell.
    const at = new Date(1_700_000_000_000);
    utimesSync(path, at, at);
    const after = await readAll(path, {}, through(cache));
    expect(after.events).toEqual((await readAll(path)).events);
    expect(after.events).not.toEqual(before.events);
    expect(after.source.constructor.name).not.toBe('KeptFeedSource');
    await readAll(path, { maxBackstepMs: 5 }, through(cache));
    expect(cache.files).toBe(3);
    const kept = await readAll(path, { maxBackstepMs: 5 }, through(cache));
    expect(kept.source.constructor.name).toBe('KeptFeedSource');
  });

  it('keeps at most its number of events, the least recently used file going first', async () => {
    const dir = tempDir();
    const a = writeFeed(dir, 'a.csv', tradesFeed(600));
    const b = writeFeed(dir, 'b.csv', tradesFeed(500));
    const big = writeFeed(dir, 'big.csv', tradesFeed(1_001));
    const cache = new ParsedFeedCache(1_000);
    await readAll(a, {}, through(cache));
    await readAll(big, {}, through(cache));
    // Larger than the cache: read, not kept (and nothing evicted for it).
    expect([cache.files, cache.events]).toEqual([1, 600]);
    await readAll(b, {}, through(cache));
    expect([cache.files, cache.events]).toEqual([1, 500]);
    // Its buffers: at least the fixed columns (66 bytes an event) and the strings' bytes.
    expect(cache.bytes).toBeGreaterThan(66 * 500);
    expect(cache.bytes).toBeLessThan(200 * 500);
    expect((await readAll(b, {}, through(cache))).source.constructor.name).toBe('KeptFeedSource');
    expect((await readAll(a, {}, through(cache))).source.constructor.name).not.toBe(
      'KeptFeedSource',
    );
  });

  it('keeps nothing of a file with a bad line, and throws the same error every time', async () => {
    const dir = tempDir();
    const lines = tradesFeed(9_000).split('\n');
    lines[8_500] = 'not,a,valid,line';
    const path = writeFeed(dir, 'bad.csv', lines.join('\n'));
    const cache = new ParsedFeedCache();
    const fresh = await rejection(readAll(path));
    expect(fresh).toBeInstanceOf(FeedError);
    for (let i = 0; i < 2; i++) {
      const error = await rejection(readAll(path, {}, through(cache)));
      expect(error.message).toBe(fresh.message);
      expect(cache.files).toBe(0);
    }
    // A reader that stopped before the bad line: what it read is right, nothing is kept.
    expect(await readFirst(await cache.open(path), 1)).toEqual(
      await readFirst(await openFeed(path), 1),
    );
    expect(cache.files).toBe(0);
  });

  it('throws openFeed’s error for a missing file', async () => {
    const error = await rejection(new ParsedFeedCache().open('/nonexistent/feed.csv'));
    expect((error as FeedError).code).toBe('E_FEED_NOT_FOUND');
  });

  it('shares no statistics object between reads', async () => {
    const path = fixture('tardis-quotes.csv');
    const cache = new ParsedFeedCache();
    await readAll(path, {}, through(cache));
    const one = await readAll(path, {}, through(cache));
    one.source.stats.skipped.mine = 1;
    const two = await readAll(path, {}, through(cache));
    expect(two.source.stats.skipped.mine).toBeUndefined();
    expect(readFileSync(path).length).toBe(two.source.sizeBytes);
  });
});
