import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { BufferTradeEvent } from './buffer-events.js';
import { EventArrayBatcher } from './event-array-batcher.js';
import { FeedContext } from './feed-context.js';
import { emptyFeedStats } from './feed-source.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from './normalized-csv-format.js';
import { NormalizedCsvParser } from './normalized-csv-parser.js';
import {
  compareBytesPath,
  fixture,
  readAll,
  rejection,
  tempDir,
  writeFeed,
  type BytesPathCounts,
} from './test-support/feed-test-utils.js';

/** Plain decimals as venues write them, e.g. "61837.63000000", "0.5", "12". */
const decimalText = (positive: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: positive ? 1 : 0, max: 99_999_999 }), fc.integer({ min: 0, max: 8 }))
    .map(([units, decimals]) => {
      const digits = String(units).padStart(decimals + 1, '0');
      return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
    })
    .filter((text) => !positive || Number(text) > 0);

const eventArbitrary: fc.Arbitrary<MarketEvent> = fc.oneof(
  fc
    .record({
      exchange: fc.constantFrom('binance', 'binance-futures', 'deribit'),
      symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT', 'BTC-PERPETUAL'),
      id: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), { nil: null }),
      side: fc.constantFrom<'buy' | 'sell' | null>('buy', 'sell', null),
      price: decimalText(true),
      size: decimalText(true),
    })
    .map((r) => ({
      type: 'trade' as const,
      tsUs: 0,
      exchangeTsUs: 0,
      ...r,
      priceNum: Number(r.price),
      sizeNum: Number(r.size),
    })),
  fc
    .record({
      exchange: fc.constantFrom('binance', 'okx'),
      symbol: fc.constantFrom('BTCUSDT', 'ETH-USDT'),
      bid: decimalText(true),
      spread: decimalText(false),
      bidSize: decimalText(false),
      askSize: decimalText(false),
    })
    .map((r) => {
      // ask = bid + spread, written exactly (both have at most 8 decimals)
      const ask = (
        BigInt(Math.round(Number(r.bid) * 1e8)) + BigInt(Math.round(Number(r.spread) * 1e8))
      )
        .toString()
        .padStart(9, '0');
      const askPrice = `${ask.slice(0, -8)}.${ask.slice(-8)}`;
      return {
        type: 'quote' as const,
        tsUs: 0,
        exchangeTsUs: 0,
        exchange: r.exchange,
        symbol: r.symbol,
        bidPrice: r.bid,
        bidPriceNum: Number(r.bid),
        bidSize: r.bidSize,
        bidSizeNum: Number(r.bidSize),
        askPrice,
        askPriceNum: Number(askPrice),
        askSize: r.askSize,
        askSizeNum: Number(r.askSize),
      };
    }),
);

describe('normalized reader', () => {
  it('reads the fixture: ts_us as event and exchange time, empty side and id as null', async () => {
    const { source, events } = await readAll(fixture('normalized.csv'));
    expect(source.format).toBe('normalized');
    expect(events).toEqual([
      {
        type: 'trade',
        tsUs: 1723161255342000,
        exchangeTsUs: 1723161255342000,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        id: '3735683259',
        side: 'sell',
        price: '61837.63',
        priceNum: 61837.63,
        size: '0.02',
        sizeNum: 0.02,
      },
      {
        type: 'quote',
        tsUs: 1723161255343000,
        exchangeTsUs: 1723161255343000,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        bidPrice: '61837.63',
        bidPriceNum: 61837.63,
        bidSize: '3.78826',
        bidSizeNum: 3.78826,
        askPrice: '61837.64',
        askPriceNum: 61837.64,
        askSize: '1.54698',
        askSizeNum: 1.54698,
      },
      {
        type: 'trade',
        tsUs: 1723161255343000,
        exchangeTsUs: 1723161255343000,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        id: null,
        side: null,
        price: '61837.64',
        priceNum: 61837.64,
        size: '0.001',
        sizeNum: 0.001,
      },
      expect.objectContaining({
        symbol: 'ETHUSDT',
        side: 'buy',
        id: '1540781311',
        price: '2683.81',
      }),
    ]);
  });

  it('reads a headerless file the same', async () => {
    const dir = tempDir();
    const text = readFileSync(fixture('normalized.csv'), 'utf8').split('\n').slice(1).join('\n');
    const headerless = await readAll(writeFeed(dir, 'headerless.csv', text));
    expect(headerless.source.format).toBe('normalized');
    expect(headerless.events).toEqual((await readAll(fixture('normalized.csv'))).events);
  });

  it('reads back exactly what formatNormalizedCsvLine wrote (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(eventArbitrary, fc.integer({ min: 0, max: 5_000_000 })), {
          maxLength: 40,
        }),
        (items) => {
          let tsUs = 1_723_161_255_342_000;
          const events = items.map(([event, stepUs]) => {
            tsUs += stepUs;
            return { ...event, tsUs, exchangeTsUs: tsUs };
          });
          const parser = new NormalizedCsvParser(
            new FeedContext('x.csv', emptyFeedStats(), 1_000_000),
          );
          const lines = [NORMALIZED_CSV_HEADER, ...events.map(formatNormalizedCsvLine)];
          const parsed = lines.map((line, i) => parser.parseLine(line, i + 1));
          expect(parsed).toEqual([null, ...events]);
        },
      ),
    );
  });

  it('reads bytes in place as it reads the text: same events, same errors, or leaves the line (property)', () => {
    // Lines made of good ones with one field swapped for an odd value: exponents, signs, leading
    // dots, too many digits, wrong words, empty or extra columns.
    const oddField = fc.constantFrom(
      '',
      '1e3',
      '+5',
      '-5',
      '.5',
      '5.',
      '0',
      '0.0',
      '1234567890123456',
      '12345678901234.5',
      'sell',
      'buy',
      'trade',
      'quote',
      'x',
      ' 1',
      '1.2.3',
      '9007199254740993',
      '0001723161255343000',
    );
    const lineArbitrary = fc
      .tuple(
        eventArbitrary,
        fc.option(fc.tuple(fc.integer({ min: 0, max: 11 }), oddField), { nil: null }),
        fc.boolean(),
      )
      .map(([event, odd, extraColumn]) => {
        const fields = formatNormalizedCsvLine({
          ...event,
          tsUs: 1_723_161_255_342_000,
          exchangeTsUs: 1_723_161_255_342_000,
        }).split(',');
        if (odd !== null) fields[odd[0]] = odd[1];
        if (extraColumn) fields.push('');
        return fields.join(',');
      });
    const counts: BytesPathCounts = { inPlace: 0, leftToText: 0 };
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 30 }), fc.boolean(), (lines, tradesOnly) => {
        const byText = new NormalizedCsvParser(
          new FeedContext('x.csv', emptyFeedStats(), 1_000_000, tradesOnly),
        );
        const byBytes = new NormalizedCsvParser(
          new FeedContext('x.csv', emptyFeedStats(), 1_000_000, tradesOnly),
        );
        compareBytesPath(byText, byBytes, [NORMALIZED_CSV_HEADER, ...lines], counts);
      }),
      { numRuns: 300 },
    );
    // The fast path was taken, and also left: both sides were compared.
    expect(counts.inPlace).toBeGreaterThan(100);
    expect(counts.leftToText).toBeGreaterThan(100);
  });

  it('reads ordinary lines in place, as buffer events', () => {
    const parser = new NormalizedCsvParser(new FeedContext('x.csv', emptyFeedStats(), 0));
    const line = Buffer.from('1723161255343000,binance,BTCUSDT,trade,buy,61837.63,0.5,,,,,1');
    const sink = new EventArrayBatcher();
    expect(parser.parseBytes(line, 0, line.length, 1, sink)).toBe(false); // the first line may be a header
    expect(parser.parseLine(NORMALIZED_CSV_HEADER, 1)).toBeNull();
    expect(parser.parseBytes(line, 0, line.length, 2, sink)).toBe(true);
    const [event] = sink.take();
    expect(event).toBeInstanceOf(BufferTradeEvent);
    expect(event).toMatchObject({ price: '61837.63', size: '0.5', id: '1', priceNum: 61837.63 });
  });

  const good = '1723161255343000,binance,BTCUSDT,quote,,,,61837.63,3.78826,61837.64,1.54698,';
  const goodTrade = '1723161255343000,binance,BTCUSDT,trade,buy,61837.63,0.5,,,,,1';
  const badLines: [string, string, string, string][] = [
    ['11 columns', good.slice(0, -1), '-', 'expected 12 columns, found 11'],
    ['13 columns', `${good},`, '-', 'expected 12 columns, found 13'],
    ['a bad type', good.replace('quote', 'book'), 'type', 'not trade or quote ("book")'],
    [
      'a non-integer time',
      good.replace('1723161255343000', '1723161255343000.0'),
      'ts_us',
      'not an integer timestamp',
    ],
    [
      'a negative time',
      good.replace('1723161255343000', '-1723161255343000'),
      'ts_us',
      'not an integer timestamp',
    ],
    [
      'a crossed quote',
      good.replace('61837.64', '61837.62'),
      'bid_price',
      'crossed quote: bid 61837.63 > ask 61837.62',
    ],
    [
      'an exponent typo',
      good.replace('3.78826', '3.788e'),
      'bid_size',
      'not a number >= 0 ("3.788e")',
    ],
    [
      'a negative quote size',
      good.replace('1.54698', '-1.54698'),
      'ask_size',
      'not a number >= 0 ("-1.54698")',
    ],
    ['an empty exchange', good.replace('binance', ''), 'exchange', 'empty'],
    [
      'a price of 25 decimal places',
      goodTrade.replace('61837.63', '61837.6300000000000000000000001'),
      'price',
      'more than 24 decimal places ("61837.6300000000000000000000001")',
    ],
    [
      'a size of 19 decimal places',
      goodTrade.replace('0.5', '0.5000000000000000001'),
      'size',
      'more than 18 decimal places ("0.5000000000000000001")',
    ],
    [
      'an ask price of 25 places by its exponent',
      good.replace('61837.64', '6183764e-27'),
      'ask_price',
      'more than 24 decimal places ("6183764e-27"): the exact books keep prices to 24',
    ],
    [
      'a quote size of 19 places',
      good.replace('3.78826', '3.7882600000000000001'),
      'bid_size',
      'more than 18 decimal places',
    ],
    ['a zero trade size', goodTrade.replace('0.5', '0'), 'size', 'not a positive number ("0")'],
    [
      'a spaced price',
      goodTrade.replace('61837.63', ' 61837.63'),
      'price',
      'not a positive number (" 61837.63")',
    ],
    ['a bad side', goodTrade.replace('buy', 'BUY'), 'side', 'not buy, sell or empty ("BUY")'],
    [
      'a trade with a bid',
      goodTrade.replace(',,,,,1', ',1,,,,1'),
      'bid_price',
      'quote columns must be empty',
    ],
  ];

  it.each(badLines)(
    'fails on %s, naming file, line, field and reason',
    async (_label, line, field, reason) => {
      const dir = tempDir();
      const path = writeFeed(
        dir,
        'feed.csv',
        `${NORMALIZED_CSV_HEADER}\n${good}\n${line}\n${good}\n`,
      );
      const error = await rejection(readAll(path));
      expect(error).toBeInstanceOf(FeedError);
      expect(error.message.startsWith(`${path}:3: ${field}: `)).toBe(true);
      expect(error.message).toContain(reason);
      const skipped = await readAll(path, { onBadLine: 'skip' });
      expect(skipped.events).toHaveLength(2);
      expect(skipped.source.stats.badLines).toBe(1);
    },
  );
});
