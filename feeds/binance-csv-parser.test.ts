import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import {
  BinanceCsvParser,
  symbolFromBinanceFileName,
  type BinanceCsvKind,
} from './binance-csv-parser.js';
import { BufferTradeEvent, plainMarketEvent } from './buffer-events.js';
import { EventArrayBatcher } from './event-array-batcher.js';
import { FeedContext } from './feed-context.js';
import { emptyFeedStats } from './feed-source.js';
import {
  compareBytesPath,
  fixture,
  fixtureText,
  type BytesPathCounts,
  readAll,
  rejection,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

const trade = (
  exchange: string,
  symbol: string,
  id: string,
  tsUs: number,
  side: 'buy' | 'sell',
  price: string,
  size: string,
): unknown => ({
  type: 'trade',
  tsUs,
  exchangeTsUs: tsUs,
  exchange,
  symbol,
  id,
  side,
  price,
  priceNum: Number(price),
  size,
  sizeNum: Number(size),
});

describe('binance-csv readers', () => {
  it('reads spot trades without header, ms times, symbol from the file name', async () => {
    const { source, events } = await readAll(fixture('BTCUSDT-trades-2024-08-08.csv'));
    expect(source.format).toBe('binance-csv-trades');
    expect(events).toEqual([
      // is_buyer_maker True: the aggressor sold
      trade(
        'binance',
        'BTCUSDT',
        '3735683259',
        1723161255342000,
        'sell',
        '61837.63000000',
        '0.02000000',
      ),
      trade(
        'binance',
        'BTCUSDT',
        '3735683260',
        1723161255343000,
        'buy',
        '61837.64000000',
        '0.00100000',
      ),
      trade(
        'binance',
        'BTCUSDT',
        '3735683261',
        1723161255343000,
        'buy',
        '61837.64000000',
        '0.05000000',
      ),
    ]);
    expect(source.stats).toMatchObject({ lines: 3, events: 3, trades: 3, quotes: 0, skipped: {} });
  });

  it('reads spot trades with µs times (2025 on) and lower-case booleans', async () => {
    const { events } = await readAll(fixture('BTCUSDT-trades-2025-01-02.csv'));
    expect(events).toEqual([
      trade(
        'binance',
        'BTCUSDT',
        '4369290543',
        1735776000009518,
        'buy',
        '94591.78000000',
        '0.00011000',
      ),
      trade(
        'binance',
        'BTCUSDT',
        '4369290544',
        1735776000052375,
        'sell',
        '94591.79000000',
        '0.00317000',
      ),
    ]);
  });

  it('reads spot files with a header line too', async () => {
    const dir = tempDir();
    const header = 'id,price,qty,quote_qty,time,is_buyer_maker,is_best_match';
    const path = writeFeed(
      dir,
      'BTCUSDT-trades-2024-08-08.csv',
      `${header}\n${fixtureText('BTCUSDT-trades-2024-08-08.csv')}`,
    );
    const { source, events } = await readAll(path);
    expect(source.format).toBe('binance-csv-trades');
    expect(events).toEqual((await readAll(fixture('BTCUSDT-trades-2024-08-08.csv'))).events);
    expect(source.stats.lines).toBe(4);
  });

  it('decides ms or µs per value by magnitude', async () => {
    const dir = tempDir();
    const path = writeFeed(
      dir,
      'BTCUSDT-trades-mixed.csv',
      [
        '1,1.5,1,1.5,99999999999,True,True', // < 10^14: ms (1973-03-03)
        '2,1.5,1,1.5,100000000000000,True,True', // 10^14: µs (1973-03-03)
        '3,1.5,1,1.5,1723161255342,True,True', // ms
        '4,1.5,1,1.5,1723161255342001,True,True', // µs
      ].join('\n'),
    );
    const { events } = await readAll(path);
    expect(events.map((e) => e.tsUs)).toEqual([
      99999999999000, 100000000000000, 1723161255342000, 1723161255342001,
    ]);
  });

  it('reads spot aggTrades (8 columns, no header)', async () => {
    const { source, events } = await readAll(fixture('ETHUSDT-aggTrades-2024-08-08.csv'));
    expect(source.format).toBe('binance-csv-aggtrades');
    expect(events).toEqual([
      trade(
        'binance',
        'ETHUSDT',
        '1540781311',
        1723161255401000,
        'buy',
        '2683.81000000',
        '0.56440000',
      ),
      trade(
        'binance',
        'ETHUSDT',
        '1540781312',
        1723161255402000,
        'sell',
        '2683.80000000',
        '1.00000000',
      ),
    ]);
  });

  it('reads USD-M futures trades and aggTrades: header, no is_best_match column', async () => {
    const trades = await readAll(fixture('futures-um/BTCUSDT-trades-2024-08-08.csv'));
    expect(trades.source.format).toBe('binance-csv-trades');
    expect(trades.events).toEqual([
      trade(
        'binance-futures',
        'BTCUSDT',
        '5266583935',
        1723161256322000,
        'buy',
        '61800.30',
        '0.006',
      ),
      trade(
        'binance-futures',
        'BTCUSDT',
        '5266583936',
        1723161256599000,
        'sell',
        '61800.20',
        '0.250',
      ),
    ]);
    expect(trades.source.stats.lines).toBe(3);
    const agg = await readAll(fixture('futures-um/BTCUSDT-aggTrades-2024-08-08.csv'));
    expect(agg.source.format).toBe('binance-csv-aggtrades');
    expect(agg.events).toEqual([
      trade(
        'binance-futures',
        'BTCUSDT',
        '2297392510',
        1723161256322000,
        'buy',
        '61800.30',
        '0.006',
      ),
      trade(
        'binance-futures',
        'BTCUSDT',
        '2297392511',
        1723161256599000,
        'sell',
        '61800.20',
        '1.250',
      ),
    ]);
  });

  it('reads headerless futures files too (6 and 7 columns)', async () => {
    const dir = tempDir();
    const strip = (name: string): string => fixtureText(name).split('\n').slice(1).join('\n');
    const trades = writeFeed(
      dir,
      'BTCUSDT-trades-x.csv',
      strip('futures-um/BTCUSDT-trades-2024-08-08.csv'),
    );
    const agg = writeFeed(
      dir,
      'BTCUSDT-aggTrades-x.csv',
      strip('futures-um/BTCUSDT-aggTrades-2024-08-08.csv'),
    );
    expect((await readAll(trades)).events.map((e) => [e.exchange, e.tsUs])).toEqual([
      ['binance-futures', 1723161256322000],
      ['binance-futures', 1723161256599000],
    ]);
    const aggRead = await readAll(agg);
    expect(aggRead.source.format).toBe('binance-csv-aggtrades');
    expect(aggRead.events).toHaveLength(2);
  });

  it('takes the symbol from options when the file name does not tell, else fails asking for --symbol', async () => {
    const dir = tempDir();
    const path = writeFeed(dir, 'trades.csv', fixtureText('BTCUSDT-trades-2024-08-08.csv'));
    const error = await rejection(readAll(path));
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('E_FEED_SYMBOL_UNKNOWN');
    expect(error.message).toContain('--symbol');
    const { events } = await readAll(path, { symbol: 'ethusdt' });
    expect(events.map((e) => e.symbol)).toEqual(['ETHUSDT', 'ETHUSDT', 'ETHUSDT']);
    // the file name, when it tells, wins over the option
    const named = await readAll(fixture('BTCUSDT-trades-2024-08-08.csv'), { symbol: 'ETHUSDT' });
    expect(named.events[0]?.symbol).toBe('BTCUSDT');
  });

  it('parses data.binance.vision file names', () => {
    expect(symbolFromBinanceFileName('BTCUSDT-trades-2024-08-08.csv.gz')).toBe('BTCUSDT');
    expect(symbolFromBinanceFileName('ETHUSDT-aggTrades-2024-08.csv')).toBe('ETHUSDT');
    expect(symbolFromBinanceFileName('1000PEPEUSDT-trades-2024-08-08.csv')).toBe('1000PEPEUSDT');
    expect(symbolFromBinanceFileName('BTCUSDT-klines-2024-08-08.csv')).toBeNull();
    expect(symbolFromBinanceFileName('trades.csv')).toBeNull();
  });

  const good = '3735683259,61837.63000000,0.02000000,1236.75260000,1723161255342,True,True';
  const badLines: [string, string, string, string][] = [
    [
      'a missing column',
      '3735683260,61837.64,0.001,61.83764,1723161255343,False',
      '-',
      'expected 7 columns, found 6',
    ],
    [
      'a non-numeric price',
      good.replace('61837.63000000', 'abc'),
      'price',
      'not a positive number ("abc")',
    ],
    [
      'a negative price',
      good.replace('61837.63000000', '-1'),
      'price',
      'not a positive number ("-1")',
    ],
    ['an empty price', good.replace('61837.63000000', ''), 'price', 'not a positive number ("")'],
    ['a zero quantity', good.replace('0.02000000', '0'), 'qty', 'not a positive number ("0")'],
    [
      'a negative quantity',
      good.replace('0.02000000', '-0.02'),
      'qty',
      'not a positive number ("-0.02")',
    ],
    [
      'a fractional time',
      good.replace('1723161255342', '1723161255342.5'),
      'time',
      'not an integer timestamp',
    ],
    [
      'a non-boolean',
      good.replace(',True,True', ',yes,True'),
      'is_buyer_maker',
      'not true or false ("yes")',
    ],
    ['a non-integer id', good.replace('3735683259', '37x'), 'id', 'not an integer id ("37x")'],
    [
      'a price of 25 decimal places',
      good.replace('61837.63000000', '61837.6300000000000000000000001'),
      'price',
      'more than 24 decimal places',
    ],
    [
      'a quantity of 19 decimal places',
      good.replace('0.02000000', '0.0200000000000000001'),
      'qty',
      'more than 18 decimal places',
    ],
  ];

  it.each(badLines)(
    'fails on %s, naming file, line, field and reason',
    async (_label, line, field, reason) => {
      const dir = tempDir();
      // The next trade has the next id (a repeated id would be skipped as a duplicate).
      const next = good.replace('3735683259', '3735683260');
      const path = writeFeed(dir, 'BTCUSDT-trades-2024-08-08.csv', `${good}\n${line}\n${next}\n`);
      const error = await rejection(readAll(path));
      expect(error).toBeInstanceOf(FeedError);
      expect(error.message).toBe(
        `${path}:2: ${field}: ${error.message.split(': ').slice(2).join(': ')}`,
      );
      expect(error.message).toContain(reason);
      const skipped = await readAll(path, { onBadLine: 'skip' });
      expect(skipped.events).toHaveLength(2);
      expect(skipped.source.stats.badLines).toBe(1);
    },
  );

  it('rejects a header that does not match the format', async () => {
    const dir = tempDir();
    const path = writeFeed(
      dir,
      'BTCUSDT-trades-2024-08-08.csv',
      'id,price,qty,base_qty,time,is_buyer_maker\n1,1,1,1,1723161255342,true\n',
    );
    const error = await rejection(readAll(path, { format: 'binance-csv-trades' }));
    expect((error as FeedError).code).toBe('E_FEED_MALFORMED_LINE');
    expect(error.message).toContain(
      ':1: -: header is not "id,price,qty,quote_qty,time,is_buyer_maker"',
    );
  });
});

describe('binance-csv bytes fast path', () => {
  /** A good line of each layout: [kind, columns] → fields. */
  const goodFields = (kind: BinanceCsvKind, columns: number, id: number, timeMs: number) =>
    (kind === 'trades'
      ? [String(id), '61837.63000000', '0.00081000', '50.08848030', String(timeMs), 'true', 'True']
      : [
          String(id),
          '61837.63',
          '0.5',
          String(id * 2),
          String(id * 2 + 3),
          String(timeMs * 1000),
          'False',
          'true',
        ]
    ).slice(0, columns);
  const oddField = fc.constantFrom(
    '',
    '1e3',
    '+5',
    '-0',
    '.5',
    '5.',
    '0',
    '1234567890123456',
    '9007199254740993',
    '00000000000000000012',
    'TRUE',
    'false',
    'x',
    '1.2.3',
    '99999999999999',
    '100000000000000',
  );
  const layouts = fc.constantFrom<[BinanceCsvKind, number]>(
    ['trades', 7],
    ['trades', 6],
    ['aggTrades', 8],
    ['aggTrades', 7],
  );

  it.each([
    ['trades', 7],
    ['trades', 6],
    ['aggTrades', 8],
    ['aggTrades', 7],
  ] as const)('reads an ordinary %s line of %i columns in place', (kind, columns) => {
    const parser = new BinanceCsvParser(
      new FeedContext('x.csv', emptyFeedStats(), 0),
      kind,
      'BTCUSDT',
    );
    expect(
      parser.parseLine(goodFields(kind, columns, 1, 1_723_161_255_342).join(','), 1),
    ).not.toBeNull();
    const line = goodFields(kind, columns, 2, 1_723_161_255_343).join(',');
    const sink = new EventArrayBatcher();
    expect(parser.parseBytes(Buffer.from(line), 0, line.length, 2, sink)).toBe(true);
    const [event] = sink.take();
    expect(event).toBeInstanceOf(BufferTradeEvent);
    expect(plainMarketEvent(event as MarketEvent)).toMatchObject({
      id: '2',
      side: kind === 'trades' ? 'sell' : 'buy',
      exchange:
        columns === 6 || (kind === 'aggTrades' && columns === 7) ? 'binance-futures' : 'binance',
      exchangeTsUs: 1_723_161_255_343_000,
    });
  });

  it('reads bytes in place as it reads the text: same events, same errors, or leaves the line (property)', () => {
    const counts: BytesPathCounts = { inPlace: 0, leftToText: 0 };
    fc.assert(
      fc.property(
        layouts,
        fc.boolean(),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2_000_000 }),
            fc.option(fc.tuple(fc.integer({ min: 0, max: 7 }), oddField), { nil: null, freq: 2 }),
            fc.constantFrom(0, 0, 0, 1, -1),
          ),
          { maxLength: 25 },
        ),
        ([kind, columns], header, items) => {
          const names =
            kind === 'trades'
              ? 'id,price,qty,quote_qty,time,is_buyer_maker,is_best_match'
              : 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match';
          let timeMs = 1_723_161_255_342;
          const lines = items.map(([stepMs, odd, extra], i) => {
            timeMs += stepMs;
            const fields = goodFields(kind, columns, 3_000_000 + i, timeMs);
            if (odd !== null) fields[odd[0] % columns] = odd[1];
            if (extra > 0) fields.push('true');
            if (extra < 0) fields.pop();
            return fields.join(',');
          });
          const all = header
            ? [names.split(',').slice(0, columns).join(','), ...lines]
            : [goodFields(kind, columns, 1, timeMs).join(','), ...lines];
          const byText = new BinanceCsvParser(
            new FeedContext('x.csv', emptyFeedStats(), 5_000, false),
            kind,
            'BTCUSDT',
          );
          const byBytes = new BinanceCsvParser(
            new FeedContext('x.csv', emptyFeedStats(), 5_000, false),
            kind,
            'BTCUSDT',
          );
          compareBytesPath(byText, byBytes, all, counts);
        },
      ),
      { numRuns: 300 },
    );
    // The fast path was taken, and also left: both sides were compared.
    expect(counts.inPlace).toBeGreaterThan(100);
    expect(counts.leftToText).toBeGreaterThan(100);
  });
});
