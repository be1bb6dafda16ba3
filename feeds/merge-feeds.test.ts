import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import type { FeedSource } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import { mergeFeeds } from './merge-feeds.js';
import { openFeed } from './open-feed.js';
import { readAll, sample } from './test-support/feed-test-utils.js';

/** A trade whose id names its source and position: `s<source>:<index>`. */
const tradeAt = (tsUs: number, source: number, index: number): MarketEvent => ({
  type: 'trade',
  tsUs,
  exchangeTsUs: tsUs,
  exchange: 'binance',
  symbol: 'BTCUSDT',
  id: `s${source}:${index}`,
  side: 'buy',
  price: '1',
  priceNum: 1,
  size: '1',
  sizeNum: 1,
});

const sourceOf = (event: MarketEvent): number =>
  Number((event as { id: string }).id.slice(1).split(':')[0]);

/** An in-memory FeedSource handing out `events` in batches of the given sizes (cycled; 0 = an empty batch). */
function fakeSource(
  events: readonly MarketEvent[],
  batchSizes: readonly number[],
  log: string[] = [],
): FeedSource {
  return {
    path: 'fake',
    format: 'normalized',
    sizeBytes: 0,
    stats: emptyFeedStats(),
    async *batches() {
      try {
        let pos = 0;
        for (let k = 0; pos < events.length; k++) {
          const size = batchSizes[k % batchSizes.length] as number;
          await Promise.resolve();
          yield events.slice(pos, pos + size);
          pos += size;
        }
      } finally {
        log.push('closed');
      }
    },
  };
}

async function collect(iterable: AsyncIterable<readonly MarketEvent[]>): Promise<MarketEvent[][]> {
  const batches: MarketEvent[][] = [];
  for await (const batch of iterable) batches.push([...batch]);
  return batches;
}

describe('mergeFeeds', () => {
  const sourcesArbitrary = fc.array(
    fc.record({
      // small time steps: plenty of ties within and across sources
      steps: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }),
      start: fc.integer({ min: 0, max: 10 }),
      batchSizes: fc
        .array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 })
        .filter((sizes) => sizes.some((s) => s > 0)),
    }),
    { maxLength: 6 },
  );

  it('orders by (tsUs, source index), keeps every event once and each source in its own order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(sourcesArbitrary, async (specs) => {
        const inputs = specs.map((spec, source) => {
          let tsUs = spec.start;
          return spec.steps.map((step, index) => tradeAt((tsUs += step), source, index));
        });
        const batches = await collect(
          mergeFeeds(inputs.map((events, i) => fakeSource(events, specs[i]!.batchSizes))),
        );
        const out = batches.flat();
        for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
        // sorted by (tsUs, source)
        for (let i = 1; i < out.length; i++) {
          const a = out[i - 1]!;
          const b = out[i]!;
          expect(a.tsUs < b.tsUs || (a.tsUs === b.tsUs && sourceOf(a) <= sourceOf(b))).toBe(true);
        }
        // a permutation of the inputs
        const ids = (events: readonly MarketEvent[]): string[] =>
          events.map((e) => (e as { id: string }).id).sort();
        expect(ids(out)).toEqual(ids(inputs.flat()));
        // each source's order preserved
        inputs.forEach((events, source) =>
          expect(out.filter((e) => sourceOf(e) === source)).toEqual(events),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties by source position, then file order', async () => {
    const a = [tradeAt(5, 0, 0), tradeAt(5, 0, 1), tradeAt(7, 0, 2)];
    const b = [tradeAt(4, 1, 0), tradeAt(5, 1, 1), tradeAt(6, 1, 2)];
    const out = (await collect(mergeFeeds([fakeSource(b, [2]), fakeSource(a, [1])]))).flat();
    // b is source 0 in this call: at time 5 its event comes before a's two
    expect(out.map((e) => (e as { id: string }).id)).toEqual([
      's1:0',
      's1:1',
      's0:0',
      's0:1',
      's1:2',
      's0:2',
    ]);
  });

  it('closes every source when the consumer stops early', async () => {
    const log: string[] = [];
    const events = Array.from({ length: 100 }, (_, i) => tradeAt(i, 0, i));
    const sources = [
      fakeSource(events, [10], log),
      fakeSource(events, [10], log),
      fakeSource(events, [10], log),
    ];
    for await (const _ of mergeFeeds(sources)) break;
    expect(log).toEqual(['closed', 'closed', 'closed']);
  });

  it('passes a source error on and closes the other sources', async () => {
    const log: string[] = [];
    const failing: FeedSource = {
      ...fakeSource([], [1]),
      async *batches() {
        await Promise.resolve();
        yield [tradeAt(1, 1, 0)];
        throw new Error('boom');
      },
    };
    const events = Array.from({ length: 50 }, (_, i) => tradeAt(i, 0, i));
    await expect(collect(mergeFeeds([fakeSource(events, [5], log), failing]))).rejects.toThrow(
      'boom',
    );
    expect(log).toEqual(['closed']);
  });

  it('merges the two consecutive real spot BTCUSDT captures into one ordered stream', async () => {
    const first = await readAll(sample('spot_btcusdt_20240808.gz'));
    const second = await readAll(sample('spot_btcusdt_20240809.gz'));
    const sources = await Promise.all([
      openFeed(sample('spot_btcusdt_20240809.gz')), // given out of order on purpose
      openFeed(sample('spot_btcusdt_20240808.gz')),
    ]);
    let count = 0;
    let previous = -Infinity;
    let sorted = true;
    let matches = true;
    const expected = [...first.events, ...second.events]; // the 8th ends before the 9th begins
    for await (const batch of mergeFeeds(sources)) {
      for (const event of batch) {
        if (event.tsUs < previous) sorted = false;
        previous = event.tsUs;
        const want = expected[count++];
        if (want === undefined || want.tsUs !== event.tsUs || want.type !== event.type)
          matches = false;
      }
    }
    expect(count).toBe(37_797 + 55_281);
    expect(sorted).toBe(true);
    expect(matches).toBe(true);
    expect(sources.map((s) => s.stats.events)).toEqual([55_281, 37_797]);
  });

  it('interleaves two captures of the same window (BTCUSDT and ETHUSDT spot)', async () => {
    const sources = await Promise.all([
      openFeed(sample('spot_btcusdt_20240808.gz')),
      openFeed(sample('spot_ethusdt_20240808.gz')),
    ]);
    let previous = -Infinity;
    let sorted = true;
    let switches = 0;
    let lastSymbol = '';
    const counts: Record<string, number> = {};
    for await (const batch of mergeFeeds(sources))
      for (const event of batch) {
        if (event.tsUs < previous) sorted = false;
        previous = event.tsUs;
        if (event.symbol !== lastSymbol) switches++;
        lastSymbol = event.symbol;
        counts[event.symbol] = (counts[event.symbol] ?? 0) + 1;
      }
    expect(sorted).toBe(true);
    expect(counts).toEqual({ BTCUSDT: 37_797, ETHUSDT: 30_183 });
    expect(switches).toBeGreaterThan(1000);
  });
});
