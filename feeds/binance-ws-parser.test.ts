import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import { BinanceWsParser } from './binance-ws-parser.js';
import { FeedContext } from './feed-context.js';
import type { FeedStats } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import {
  fixture,
  fixtureText,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

describe('binance-ws reader', () => {
  it('reads a prefixed spot capture: receive time as event time, every message kind counted', async () => {
    const { source, events } = await readAll(fixture('binance-ws-spot.txt'));
    expect(source.format).toBe('binance-ws');
    expect(events).toEqual([
      {
        type: 'quote',
        tsUs: 1723161254087891, // 1723161254087891268 ns, last three digits dropped
        exchangeTsUs: null, // spot bookTicker carries no time
        exchange: 'binance',
        symbol: 'BTCUSDT',
        bidPrice: '61837.63000000',
        bidPriceNum: 61837.63,
        bidSize: '3.78826000',
        bidSizeNum: 3.78826,
        askPrice: '61837.64000000',
        askPriceNum: 61837.64,
        askSize: '1.54698000',
        askSizeNum: 1.54698,
      },
      {
        type: 'trade',
        tsUs: 1723161254087896,
        exchangeTsUs: 1723161255342000, // T, 1.25 s after the local clock
        exchange: 'binance',
        symbol: 'BTCUSDT',
        id: '3735683259',
        side: 'sell', // m: true, the buyer was the maker
        price: '61837.63000000',
        priceNum: 61837.63,
        size: '0.02000000',
        sizeNum: 0.02,
      },
      {
        type: 'trade',
        tsUs: 1723161254300000,
        exchangeTsUs: 1723161255559000,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        id: '3101224', // aggTrade id `a`
        side: 'buy',
        price: '61837.64000000',
        priceNum: 61837.64,
        size: '0.10000000',
        sizeNum: 0.1,
      },
      {
        type: 'quote',
        tsUs: 1723161254400000,
        exchangeTsUs: null,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        bidPrice: '61837.63000000', // locked book (bid = ask) and a zero size are valid
        bidPriceNum: 61837.63,
        bidSize: '0.00000000',
        bidSizeNum: 0,
        askPrice: '61837.63000000',
        askPriceNum: 61837.63,
        askSize: '2.00000000',
        askSizeNum: 2,
      },
    ]);
    expect(source.stats).toMatchObject({
      lines: 9,
      events: 4,
      trades: 2,
      quotes: 2,
      skipped: { depthUpdate: 1, depthSnapshot: 1, other: 2, blank: 1 },
      badLines: 0,
      outOfOrder: 0,
      firstTsUs: 1723161254087891,
      lastTsUs: 1723161254400000,
    });
  });

  it('reads bare futures JSON: exchange time as event time, a small step back clamped', async () => {
    const { source, events } = await readAll(fixture('binance-ws-futures.jsonl'));
    expect(events.map((e) => [e.type, e.exchange, e.tsUs, e.exchangeTsUs])).toEqual([
      ['quote', 'binance-futures', 1723161256313000, 1723161256313000], // T, not E
      ['trade', 'binance-futures', 1723161256321000, 1723161256321000],
      ['trade', 'binance-futures', 1723161256599000, 1723161256599000],
      // T 399 ms before the latest time: clamped, the original kept as exchange time
      ['trade', 'binance-futures', 1723161256599000, 1723161256200000],
    ]);
    expect(events[2]).toMatchObject({
      id: '2297392511',
      side: 'sell',
      price: '61800.20',
      size: '1.250',
    });
    expect(source.stats.outOfOrder).toBe(1);
    expect(source.stats.skipped).toEqual({ depthUpdate: 1, depthSnapshot: 1 });
  });

  it('fails on a step back beyond maxBackstepMs, naming line and field', async () => {
    const error = await rejection(
      readAll(fixture('binance-ws-futures.jsonl'), { maxBackstepMs: 300 }),
    );
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('E_FEED_OUT_OF_ORDER');
    expect((error as FeedError).line).toBe(6);
    expect((error as FeedError).field).toBe('T');
    expect(error.message).toMatch(
      /binance-ws-futures\.jsonl:6: T: time 1723161256200000 µs is 399 ms before/,
    );
  });

  it('gives a time-less bare spot bookTicker the latest time, or skips it as untimed when first', async () => {
    const { source, events } = await readAll(fixture('binance-ws-spot-bare.jsonl'));
    expect(events.map((e) => [e.type, e.tsUs, e.exchangeTsUs])).toEqual([
      ['trade', 1723161255342000, 1723161255342000],
      ['quote', 1723161255342000, null],
    ]);
    expect(source.stats.skipped).toEqual({ untimed: 1 });
  });

  it('decides the venue from the first classified message', async () => {
    const dir = tempDir();
    const spotAgg = writeFeed(
      dir,
      'spot-agg.jsonl',
      '{"e":"aggTrade","E":1723161255560,"s":"ETHUSDT","a":1,"p":"2683.81","q":"1","f":1,"l":1,"T":1723161255559,"m":false,"M":true}\n' +
        // a later futures-shaped message does not change the file's venue
        '{"e":"trade","E":1723161255561,"T":1723161255561,"s":"ETHUSDT","t":2,"p":"2683.81","q":"1","X":"MARKET","m":false}\n',
    );
    const futuresAgg = writeFeed(
      dir,
      'futures-agg.jsonl',
      '{"e":"aggTrade","E":1723161255560,"a":1,"s":"ETHUSDT","p":"2683.81","q":"1","f":1,"l":1,"T":1723161255559,"m":false}\n',
    );
    expect((await readAll(spotAgg)).events.map((e) => e.exchange)).toEqual(['binance', 'binance']);
    expect((await readAll(futuresAgg)).events.map((e) => e.exchange)).toEqual(['binance-futures']);
  });

  const good =
    '{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":1,"p":"61837.63","q":"0.02","T":1723161255342,"m":true,"M":true}';
  const quote = (b: string, B: string, a: string): string =>
    `{"u":1,"s":"BTCUSDT","b":"${b}","B":"${B}","a":"${a}","A":"1","T":1723161255342}`;
  const badLines: [string, string, string, string][] = [
    ['truncated JSON', '{"e":"trade","E":1723161255343', '-', 'not valid JSON'],
    ['a JSON array', '1723161254087896568 [1,2,3]', '-', 'not a JSON object'],
    [
      'no space after the time',
      '1723161254087896568{"e":"trade"}',
      '-',
      'expected "<local receive time ns> <JSON>"',
    ],
    [
      'a bad receive time',
      '17231612540878x6568 ' + good,
      'local_time',
      'not an integer time in ns',
    ],
    ['an envelope without data', '{"stream":"btcusdt@trade"}', 'data', 'missing or not an object'],
    ['a missing price', good.replace('"p":"61837.63",', ''), 'p', 'missing'],
    [
      'a price as a JSON number',
      good.replace('"p":"61837.63"', '"p":61837.63'),
      'p',
      'expected a decimal string (61837.63)',
    ],
    [
      'a non-numeric price',
      good.replace('"p":"61837.63"', '"p":"abc"'),
      'p',
      'not a positive number ("abc")',
    ],
    ['a zero price', good.replace('"p":"61837.63"', '"p":"0"'), 'p', 'not a positive number ("0")'],
    ['an empty price', good.replace('"p":"61837.63"', '"p":""'), 'p', 'not a positive number ("")'],
    [
      'a price with a space',
      good.replace('"p":"61837.63"', '"p":" 1"'),
      'p',
      'not a positive number (" 1")',
    ],
    [
      'a zero trade size',
      good.replace('"q":"0.02"', '"q":"0"'),
      'q',
      'not a positive number ("0")',
    ],
    [
      'a negative size',
      good.replace('"q":"0.02"', '"q":"-0.02"'),
      'q',
      'not a positive number ("-0.02")',
    ],
    [
      'a fractional time',
      good.replace('"T":1723161255342', '"T":1723161255342.5'),
      'T',
      'not an integer time in ms',
    ],
    [
      'a time as a string',
      good.replace('"T":1723161255342', '"T":"1723161255342"'),
      'T',
      'not an integer time in ms',
    ],
    ['a non-boolean m', good.replace('"m":true', '"m":"true"'), 'm', 'not true or false'],
    ['a string trade id', good.replace('"t":1', '"t":"1"'), 't', 'not an integer id'],
    ['an empty symbol', good.replace('"s":"BTCUSDT"', '"s":""'), 's', 'not a symbol'],
    [
      'a crossed quote',
      quote('61837.65', '1', '61837.64'),
      'b',
      'crossed quote: bid 61837.65 > ask 61837.64',
    ],
    ['a negative quote size', quote('61837.63', '-1', '61837.64'), 'B', 'not a number >= 0'],
    [
      'a price of 25 decimal places',
      good.replace('"p":"61837.63"', '"p":"61837.6300000000000000000000001"'),
      'p',
      'more than 24 decimal places',
    ],
    [
      'a quote size of 19 decimal places',
      quote('61837.63', '0.0000000000000000001', '61837.64'),
      'B',
      'more than 18 decimal places',
    ],
  ];

  it.each(badLines)(
    'fails on %s, naming file, line, field and reason',
    async (_label, line, field, reason) => {
      const dir = tempDir();
      const path = writeFeed(dir, 'bad.jsonl', `${good}\n${line}\n`);
      const error = await rejection(readAll(path, { format: 'binance-ws' }));
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).line).toBe(2);
      expect((error as FeedError).field).toBe(field);
      expect(error.message.startsWith(`${path}:2: ${field}: `)).toBe(true);
      expect(error.message).toContain(reason);
      expect(error.message).not.toContain('\n');

      const skipped = await readAll(path, { format: 'binance-ws', onBadLine: 'skip' });
      expect(skipped.events).toHaveLength(1);
      expect(skipped.source.stats.badLines).toBe(1);
    },
  );
});

describe('binance-ws fast path', () => {
  /** Every line's outcome (event, null, or error message) and the final counters. */
  function outcomes(
    lines: readonly string[],
    fastPath: boolean,
  ): { results: unknown[]; stats: FeedStats } {
    const feedStats = emptyFeedStats();
    const parser = new BinanceWsParser(new FeedContext('x', feedStats, 1_000_000), fastPath);
    const results = lines.map((line, i) => {
      try {
        return parser.parseLine(line, i + 1);
      } catch (error) {
        return error instanceof FeedError ? `${error.code} ${error.message}` : error;
      }
    });
    return { results, stats: feedStats };
  }

  it('gives exactly what JSON.parse gives on every line of the real captures', () => {
    for (const name of [
      'spot_btcusdt_20240808.gz',
      'usdm_btcusdt_20240808.gz',
      'spot_ethusdt_20240808.gz',
    ]) {
      const lines = gunzipSync(readFileSync(sample(name)))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      const fast = outcomes(lines, true);
      const general = outcomes(lines, false);
      expect(fast.stats).toEqual(general.stats);
      expect(fast.results).toEqual(general.results);
    }
  });

  it('gives exactly what JSON.parse gives on mutated lines (property)', () => {
    const seeds = [
      ...fixtureText('binance-ws-spot.txt').split('\n'),
      ...fixtureText('binance-ws-futures.jsonl').split('\n'),
      ...fixtureText('binance-ws-spot-bare.jsonl').split('\n'),
    ].filter(Boolean);
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.integer({ min: 0, max: 3 }),
      insert: fc.string({
        unit: fc.constantFrom(...'{}[]":,.-+e0159 \\\tabtTEmMXsuqpAB'.split('')),
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 3 })), {
          maxLength: 12,
        }),
        (items) => {
          const lines = items.map(([line, edits]) =>
            edits.reduce((text, e) => {
              const at = e.at % (text.length + 1);
              return text.slice(0, at) + e.insert + text.slice(at + e.remove);
            }, line),
          );
          const fast = outcomes(lines, true);
          const general = outcomes(lines, false);
          expect(fast.results).toEqual(general.results);
          expect(fast.stats).toEqual(general.stats);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
