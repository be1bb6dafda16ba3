import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import {
  BufferQuoteEvent,
  BufferTradeEvent,
  eventBytes,
  plainMarketEvent,
} from './buffer-events.js';
import type { FeedOptions } from './feed-source.js';
import { tradeEvent } from './market-event-factory.js';
import {
  quoteArbitrary as quote,
  tradeArbitrary as trade,
} from './test-support/market-event-arbitraries.js';
import { NORMALIZED_CSV_HEADER } from './normalized-csv-format.js';
import { openFeed, openFeedFile } from './open-feed.js';
import type { PackedBatch } from './packed-batch.js';
import { packBatch, PackedBatchWriter } from './packed-batch-writer.js';
import { unpackBatch } from './packed-events.js';
import { fixture, sample, tempDir, writeFeed } from './test-support/feed-test-utils.js';

/**
 * The same event as a parser's fast path sees it: its strings as byte ranges of one buffer, with
 * something around them (the ranges, not the buffer's ends, must be what is packed).
 */
function asBufferEvent(event: MarketEvent): MarketEvent {
  if (event.type === 'trade') {
    const id = event.id ?? '';
    const bytes = eventBytes(Buffer.from(`#${event.price},${event.size},${id}#`));
    const priceEnd = 1 + event.price.length;
    const sizeEnd = priceEnd + 1 + event.size.length;
    const idEnd = sizeEnd + 1 + Buffer.byteLength(id);
    return new BufferTradeEvent(
      event.tsUs,
      event.exchangeTsUs,
      event.exchange,
      event.symbol,
      event.side,
      event.priceNum,
      event.sizeNum,
      bytes,
      1,
      priceEnd,
      priceEnd + 1,
      sizeEnd,
      event.id === null ? -1 : sizeEnd + 1,
      event.id === null ? -1 : idEnd,
    );
  }
  const texts = [event.bidPrice, event.bidSize, event.askPrice, event.askSize];
  const bytes = eventBytes(Buffer.from(`#${texts.join(',')}#`));
  const ends: number[] = [];
  let at = 1;
  for (const text of texts) {
    ends.push(at + text.length);
    at += text.length + 1;
  }
  const [a, b, c, d] = ends as [number, number, number, number];
  return new BufferQuoteEvent(
    event.tsUs,
    event.exchangeTsUs,
    event.exchange,
    event.symbol,
    event.bidPriceNum,
    event.bidSizeNum,
    event.askPriceNum,
    event.askSizeNum,
    bytes,
    1,
    a,
    a + 1,
    b,
    b + 1,
    c,
    c + 1,
    d,
  );
}

/** A batch's columns as far as its events use them (a writer's columns have room for more). */
function used(batch: PackedBatch): unknown {
  const n = batch.size;
  const textBytes = n === 0 ? 0 : batch.textEnd[4 * n - 1]!;
  return {
    size: n,
    kind: [...batch.kind.subarray(0, n)],
    tsUs: [...batch.tsUs.subarray(0, n)],
    exchangeTsUs: [...batch.exchangeTsUs.subarray(0, n)],
    nums: [...batch.nums.subarray(0, 4 * n)],
    flags: [...batch.flags.subarray(0, n)],
    names: batch.names,
    text: Buffer.from(batch.text.subarray(0, textBytes)).toString('utf8'),
    textEnd: [...batch.textEnd.subarray(0, 4 * n)],
  };
}

/** Every batch of a file, read as events and read packed: the same, batch by batch. */
async function expectSameBatches(path: string, options: FeedOptions = {}): Promise<number> {
  const objects = await openFeed(path, options);
  const expected: unknown[][] = [];
  for await (const batch of objects.batches()) expected.push(batch.map(plainMarketEvent));
  const packed = await openFeedFile(path, options);
  const actual: unknown[][] = [];
  for await (const batch of packed.packedBatches())
    actual.push(unpackBatch(batch).map(plainMarketEvent));
  expect(actual).toEqual(expected);
  expect(packed.stats).toEqual(objects.stats);
  return expected.flat().length;
}

describe('PackedBatchWriter', () => {
  it('packs a fast path’s fields exactly as the same events made as objects', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(trade, quote), { maxLength: 40 }), (events) => {
        const byFields = new PackedBatchWriter(Math.max(events.length, 1));
        for (const event of events) byFields.add(asBufferEvent(event)); // → trade() / quote()
        const batch = byFields.take();
        expect(used(batch)).toEqual(used(packBatch(events)));
        expect(unpackBatch(batch).map(plainMarketEvent)).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });

  it('starts each batch with new columns and its exchange and symbol written again', () => {
    const writer = new PackedBatchWriter(2);
    const event = tradeEvent(1, null, 'x', 'BTCUSDT', null, 'buy', '1', 1, '2', 2);
    writer.add(event);
    writer.add(event);
    expect(() => writer.add(event)).toThrow(RangeError);
    const first = writer.take();
    writer.add(event);
    const second = writer.take();
    expect(second.tsUs).not.toBe(first.tsUs);
    expect(second.names).toBe('x\nBTCUSDT');
    expect(unpackBatch(second).map(plainMarketEvent)).toEqual([event]);
    expect(unpackBatch(first).map(plainMarketEvent)).toEqual([event, event]);
    expect(writer.take().size).toBe(0);
  });
});

describe('FeedFile.packedBatches', () => {
  it.each([
    ['normalized CSV', fixture('normalized.csv')],
    ['Binance trades CSV', fixture('BTCUSDT-trades-2024-08-08.csv')],
    ['Binance aggTrades CSV', fixture('ETHUSDT-aggTrades-2024-08-08.csv')],
    ['Tardis quotes (no bytes path)', fixture('tardis-quotes.csv')],
    ['a gzipped capture', sample('spot_btcusdt_20240808.gz')],
  ])('gives the batches of batches(), packed: %s', async (_label, path) => {
    expect(await expectSameBatches(path)).toBeGreaterThan(0);
  });

  it('filters, counts and skips as batches() does: repeated ids, bad lines, time going back', async () => {
    const lines = [NORMALIZED_CSV_HEADER];
    for (let i = 0; i < 9000; i++) {
      const ts = 1_723_161_255_000_000 + i * 1000;
      if (i % 3 === 0)
        lines.push(`${ts},binance,BTCUSDT,trade,buy,61837.63,0.5,,,,,${i % 7 === 0 ? 5 : i}`);
      else if (i % 1001 === 0)
        lines.push(`${ts},binance,BTCUSDT,trade,sell,6e4,0.5,,,,,x${i}`); // general path
      else if (i % 997 === 0)
        lines.push(`${ts},binance,BTCUSDT,quote,,,,1,2,0.5`); // a bad line
      else if (i % 503 === 0)
        lines.push(`${ts - 1500},binance,ETHUSDT,quote,,,,3000.1,2,3000.2,1,`); // back in time
      else lines.push(`${ts},binance,BTCUSDT,quote,,,,61837.63,3.78826,61837.64,1.54698,`);
    }
    const path = writeFeed(tempDir(), 'mixed.csv', `${lines.join('\n')}\n`);
    const options: FeedOptions = { onBadLine: 'skip' };
    expect(await expectSameBatches(path, options)).toBeGreaterThan(8000);
    const read = await openFeedFile(path, options);
    for await (const _ of read.packedBatches());
    expect(read.stats.skipped.duplicateTradeId).toBeGreaterThan(0);
    expect(read.stats.badLines).toBeGreaterThan(0);
    expect(read.stats.outOfOrder).toBeGreaterThan(0);
  });
});
