import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import { HELPER_THREAD_NICENESS } from '../src/core/lower-thread-priority.js';
import { threadNiceValues } from '../src/core/test-support/thread-nice-values.js';
import type { FeedOptions, FeedSource } from './feed-source.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { BufferQuoteEvent, BufferTradeEvent, plainMarketEvent } from './buffer-events.js';
import { NORMALIZED_CSV_HEADER } from './normalized-csv-format.js';
import { openFeed } from './open-feed.js';
import { packBatch } from './packed-batch-writer.js';
import { unpackBatch } from './packed-events.js';
import {
  fixture,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';
import { parseThreads } from './parse-thread-pool.js';
import { openFeedInWorker } from './worker-feed-source.js';

const readInWorker = (path: string, options?: FeedOptions) =>
  readAll(path, options, openFeedInWorker);

/** The events a source hands out before its read fails (the test fails if it does not). */
async function eventsBeforeFailure(source: FeedSource): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  await rejection(
    (async () => {
      for await (const batch of source.batches()) events.push(...batch.map(plainMarketEvent));
    })(),
  );
  return events;
}

describe('openFeedInWorker', () => {
  it.each([
    [sample('spot_btcusdt_20240808.gz'), {}],
    [sample('usdm_btcusdt_20240808.gz'), { tradesOnly: true }],
    [fixture('tardis-quotes.csv'), {}],
    [fixture('binance-ws-futures.jsonl'), { time: 'exchange' as const }],
    [fixture('BTCUSDT-trades-2024-08-08.csv'), {}],
  ])('gives the same events, batches and statistics as openFeed: %s', async (path, options) => {
    const here = await readAll(path, options);
    const there = await readInWorker(path, options);
    expect(there.events.length).toBeGreaterThan(0);
    expect(there.events).toEqual(here.events);
    expect(there.batchSizes).toEqual(here.batchSizes);
    expect(there.source.stats).toEqual(here.source.stats);
    expect(there.source.format).toBe(here.source.format);
    expect(there.source.sizeBytes).toBe(here.source.sizeBytes);
  });

  it('throws the reader’s FeedError, with its line, for a bad line', async () => {
    const dir = tempDir();
    const good = await readAll(fixture('normalized.csv'));
    expect(good.events.length).toBeGreaterThan(2);
    const lines = readFileSync(fixture('normalized.csv'), 'utf8').split('\n');
    lines[3] = 'not,a,valid,line';
    const path = writeFeed(dir, 'bad.csv', lines.join('\n'));
    const here = await rejection(readAll(path));
    const there = await rejection(readInWorker(path));
    expect(there).toBeInstanceOf(FeedError);
    expect(there.message).toBe(here.message);
    expect((there as FeedError).line).toBe((here as FeedError).line);
    // The events before the bad line are handed out before the error, from the thread too.
    expect(await eventsBeforeFailure(await openFeedInWorker(path))).toEqual(
      good.events.slice(0, 2),
    );
  });

  it('refuses a missing file at open, as openFeed does', async () => {
    const error = await rejection(openFeedInWorker('/nonexistent/feed.csv'));
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('E_FEED_NOT_FOUND');
  });

  it('stops its thread when the reader stops early', async () => {
    await readInWorker(fixture('tardis-trades.csv'));
    const idle = parseThreads.idleCount;
    const source = await openFeedInWorker(sample('spot_btcusdt_20240808.gz'));
    let batches = 0;
    for await (const batch of source.batches()) {
      expect(batch.length).toBeGreaterThan(0);
      expect(parseThreads.idleCount).toBe(idle - 1);
      if (++batches === 2) break;
    }
    expect(batches).toBe(2);
    expect(source.stats.events).toBeGreaterThan(0);
    // Not given back: it was still reading ahead.
    expect(parseThreads.idleCount).toBe(idle - 1);
  });

  it('keeps a thread that read to the end for the next read, which starts afresh', async () => {
    const first = await readInWorker(fixture('tardis-quotes.csv'));
    const idle = parseThreads.idleCount;
    expect(idle).toBeGreaterThan(0);
    // Reads one after another on the kept thread: each file's own events, options and statistics.
    for (const [path, options] of [
      [sample('usdm_btcusdt_20240808.gz'), { tradesOnly: true }],
      [fixture('binance-ws-futures.jsonl'), { time: 'exchange' as const }],
      [fixture('tardis-quotes.csv'), {}],
    ] as const) {
      const here = await readAll(path, options);
      const there = await readInWorker(path, options);
      expect(there.events).toEqual(here.events);
      expect(there.batchSizes).toEqual(here.batchSizes);
      expect(there.source.stats).toEqual(here.source.stats);
      expect(parseThreads.idleCount).toBe(idle);
    }
    expect((await readInWorker(fixture('tardis-quotes.csv'))).events).toEqual(first.events);
  });

  it('ends a thread whose read failed, and the next read gets a sound one', async () => {
    await readInWorker(fixture('tardis-trades.csv'));
    const idle = parseThreads.idleCount;
    const dir = tempDir();
    const path = writeFeed(dir, 'bad.csv', `${NORMALIZED_CSV_HEADER}\nnot,a,valid,line\n`);
    expect(await rejection(readInWorker(path))).toBeInstanceOf(FeedError);
    expect(parseThreads.idleCount).toBe(idle - 1);
    const again = await readInWorker(fixture('tardis-trades.csv'));
    expect(again.events).toEqual((await readAll(fixture('tardis-trades.csv'))).events);
    expect(parseThreads.idleCount).toBe(idle);
  });

  it.runIf(process.platform === 'linux')(
    'parses on a thread that gives way to the reading one (lower-thread-priority.ts)',
    async () => {
      const before = getPriority();
      const lowered = Math.min(19, before + HELPER_THREAD_NICENESS);
      const source = await openFeedInWorker(sample('spot_btcusdt_20240808.gz'));
      for await (const batch of source.batches()) {
        expect(batch.length).toBeGreaterThan(0);
        // The thread that parses this file (new or kept from a read before) is one of them.
        expect(threadNiceValues()).toContain(lowered);
        break;
      }
      expect(getPriority()).toBe(before);
    },
  );
});

describe('packBatch', () => {
  it('round-trips every field, nulls and empty batches included', async () => {
    const { events } = await readAll(fixture('tardis-trades.csv'));
    expect(unpackBatch(packBatch(events)).map(plainMarketEvent)).toEqual(events);
    expect(unpackBatch(packBatch([]))).toEqual([]);
  });

  it('round-trips buffer events and plain ones in one batch (sides, ids, UTF-8 text)', async () => {
    const dir = tempDir();
    const lines = [
      NORMALIZED_CSV_HEADER,
      '1704067200000000,synthetic,BTCUSDT,quote,,,,60000.00,0.24615,60000.01,0.53797,',
      '1704067200000001,synthetic,BTCUSDT,trade,sell,60000.00,0.5,,,,,7',
      '1704067200000002,synthetic,BTCUSDT,trade,,60000.01,1,,,,,',
      '1704067200000003,other,ETHUSDT,trade,buy,3000.5,.25,,,,,x-ü-1',
    ];
    const source = await openFeed(writeFeed(dir, 'mixed.csv', `${lines.join('\n')}\n`));
    const raw: MarketEvent[] = [];
    for await (const batch of source.batches()) raw.push(...batch);
    // ASCII chunks are read in place (buffer events); the one with ü is not.
    expect(
      raw.filter((e) => e instanceof BufferTradeEvent || e instanceof BufferQuoteEvent),
    ).toHaveLength(0);
    const ascii = await openFeed(writeFeed(dir, 'ascii.csv', `${lines.slice(0, 4).join('\n')}\n`));
    const bufferEvents: MarketEvent[] = [];
    for await (const batch of ascii.batches()) bufferEvents.push(...batch);
    expect(
      bufferEvents.every((e) => e instanceof BufferTradeEvent || e instanceof BufferQuoteEvent),
    ).toBe(true);
    const { events: plain } = await readAll(fixture('tardis-trades.csv'));
    const mixed = [...bufferEvents, ...plain, ...raw];
    const unpacked = unpackBatch(packBatch(mixed));
    expect(unpacked.map(plainMarketEvent)).toEqual(mixed.map(plainMarketEvent));
    expect(unpacked.map((e) => (e.type === 'trade' ? [e.side, e.id] : null)).slice(0, 3)).toEqual([
      null,
      ['sell', '7'],
      [null, null],
    ]);
    expect(unpacked.at(-1)).toMatchObject({ symbol: 'ETHUSDT', id: 'x-ü-1', size: '.25' });
  });
});
