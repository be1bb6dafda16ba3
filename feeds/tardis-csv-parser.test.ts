import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import {
  fixture,
  fixtureText,
  readAll,
  rejection,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

describe('tardis readers', () => {
  it('reads trades: local_timestamp is event time, timestamp the exchange time, unknown side and empty id as null', async () => {
    const { source, events } = await readAll(fixture('tardis-trades.csv'));
    expect(source.format).toBe('tardis-trades');
    expect(events).toEqual([
      {
        type: 'trade',
        tsUs: 1723161255088176,
        exchangeTsUs: 1723161256322000,
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        id: '5266583935',
        side: 'buy',
        price: '61800.30',
        priceNum: 61800.3,
        size: '0.006',
        sizeNum: 0.006,
      },
      {
        type: 'trade',
        tsUs: 1723161255360002,
        exchangeTsUs: 1723161256599000,
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        id: '5266583936',
        side: 'sell',
        price: '61800.20',
        priceNum: 61800.2,
        size: '0.250',
        sizeNum: 0.25,
      },
      {
        type: 'trade',
        tsUs: 1723161256701456,
        exchangeTsUs: 1723161256700123,
        exchange: 'deribit',
        symbol: 'BTC-PERPETUAL',
        id: null,
        side: null,
        price: '61790.5',
        priceNum: 61790.5,
        size: '10',
        sizeNum: 10,
      },
    ]);
  });

  it('reads quotes (ask columns first) and skips rows with an empty book side as emptyQuote', async () => {
    const { source, events } = await readAll(fixture('tardis-quotes.csv'));
    expect(source.format).toBe('tardis-quotes');
    expect(events).toEqual([
      {
        type: 'quote',
        tsUs: 1723161255088169,
        exchangeTsUs: 1723161256313000,
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        bidPrice: '61800.20',
        bidPriceNum: 61800.2,
        bidSize: '2.507',
        bidSizeNum: 2.507,
        askPrice: '61800.30',
        askPriceNum: 61800.3,
        askSize: '2.510',
        askSizeNum: 2.51,
      },
      expect.objectContaining({ tsUs: 1723161255088181, askSize: '2.504' }),
    ]);
    expect(source.stats).toMatchObject({
      lines: 5,
      events: 2,
      quotes: 2,
      skipped: { emptyQuote: 2 },
      badLines: 0,
    });
  });

  it('reads headerless files, detected from the row shape', async () => {
    const dir = tempDir();
    const strip = (name: string): string => fixtureText(name).split('\n').slice(1).join('\n');
    const trades = await readAll(writeFeed(dir, 'trades.csv', strip('tardis-trades.csv')));
    const quotes = await readAll(writeFeed(dir, 'quotes.csv', strip('tardis-quotes.csv')));
    expect(trades.source.format).toBe('tardis-trades');
    expect(trades.events).toEqual((await readAll(fixture('tardis-trades.csv'))).events);
    expect(quotes.source.format).toBe('tardis-quotes');
    expect(quotes.events).toEqual((await readAll(fixture('tardis-quotes.csv'))).events);
  });

  const header =
    'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount';
  const good =
    'binance-futures,BTCUSDT,1723161256313000,1723161255088169,2.510,61800.30,61800.20,2.507';
  const badLines: [string, string, string, string][] = [
    ['an extra column', `${good},1`, '-', 'expected 8 columns, found 9'],
    [
      'a crossed quote',
      good.replace('61800.20', '61800.40'),
      'bid_price',
      'crossed quote: bid 61800.40 > ask 61800.30',
    ],
    ['a half-empty side', good.replace(',2.510,', ',,'), 'ask_amount', 'not a number >= 0 ("")'],
    [
      'a negative amount',
      good.replace(',2.510,', ',-2.510,'),
      'ask_amount',
      'not a number >= 0 ("-2.510")',
    ],
    ['a zero price', good.replace('61800.30', '0'), 'ask_price', 'not a positive number ("0")'],
    [
      'a ms-looking float time',
      good.replace('1723161255088169', '1723161255088.169'),
      'local_timestamp',
      'not an integer timestamp',
    ],
    ['an empty exchange', good.replace('binance-futures', ''), 'exchange', 'empty'],
    [
      'a price of 25 decimal places',
      good.replace('61800.30', '61800.3000000000000000000000001'),
      'ask_price',
      'more than 24 decimal places',
    ],
  ];

  it.each(badLines)(
    'fails on %s, naming file, line, field and reason',
    async (_label, line, field, reason) => {
      const dir = tempDir();
      const path = writeFeed(dir, 'quotes.csv', `${header}\n${good}\n${line}\n`);
      const error = await rejection(readAll(path));
      expect(error).toBeInstanceOf(FeedError);
      expect(error.message.startsWith(`${path}:3: ${field}: `)).toBe(true);
      expect(error.message).toContain(reason);
      const skipped = await readAll(path, { onBadLine: 'skip' });
      expect(skipped.events).toHaveLength(1);
      expect(skipped.source.stats.badLines).toBe(1);
    },
  );

  it('rejects an invalid side on a trade', async () => {
    const dir = tempDir();
    const path = writeFeed(
      dir,
      'trades.csv',
      'exchange,symbol,timestamp,local_timestamp,id,side,price,amount\nbinance,BTCUSDT,1723161256322000,1723161255088176,1,BUY,61800.30,0.006\n',
    );
    const error = await rejection(readAll(path));
    expect(error.message).toBe(`${path}:2: side: not buy, sell or unknown ("BUY")`);
  });
});
