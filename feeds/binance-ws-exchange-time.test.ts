import { describe, expect, it } from 'vitest';
import { FeedError, UsageError } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { BinanceWsParser } from './binance-ws-parser.js';
import { FeedContext } from './feed-context.js';
import type { FeedStats, FeedTime } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import {
  fixture,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

const BOOK =
  '{"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}';
const FUTURES_BOOK =
  '{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256314}';

/** A spot trade message with exchange times `E` and `T` (ms). */
function trade(tMs: number, eMs = tMs + 1, id = 1): string {
  return `{"stream":"btcusdt@trade","data":{"e":"trade","E":${eMs},"s":"BTCUSDT","t":${id},"p":"61837.63000000","q":"0.02000000","T":${tMs},"m":true,"M":true}}`;
}

/** A spot aggTrade message with exchange times `E` and `T` (ms). */
function aggTrade(tMs: number, eMs = tMs + 1, id = 1): string {
  return `{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${eMs},"s":"BTCUSDT","a":${id},"p":"61837.64000000","q":"0.10000000","f":1,"l":1,"T":${tMs},"m":false,"M":true}}`;
}

/** `<local receive time, ns> <json>`. */
function at(localUs: number, json: string): string {
  return `${localUs}000 ${json}`;
}

/** Each line's outcome (an event's tsUs and exchangeTsUs, null, or an error) and the counters. */
function parse(
  lines: readonly string[],
  time: FeedTime,
  fastPath: boolean,
  maxBackstepUs = 1_000_000,
): { results: unknown[]; events: MarketEvent[]; stats: FeedStats } {
  const stats = emptyFeedStats();
  const parser = new BinanceWsParser(new FeedContext('x', stats, maxBackstepUs), fastPath, time);
  const events: MarketEvent[] = [];
  const results = lines.map((line, i) => {
    try {
      const event = parser.parseLine(line, i + 1);
      if (event === null) return null;
      events.push(event);
      return [event.tsUs, event.exchangeTsUs];
    } catch (error) {
      return error instanceof FeedError ? `${error.code} ${error.message}` : error;
    }
  });
  return { results, events, stats };
}

describe.each([
  ['fast path', true],
  ['JSON.parse path', false],
])('binance-ws with time exchange (%s)', (_, fastPath) => {
  it('takes T of trades and aggTrades and T of futures bookTickers, not the local prefix or E', () => {
    const { results } = parse(
      [
        at(1_000_000_000_000_000, trade(1_723_161_255_342, 1_723_161_255_343)),
        at(1_000_000_000_000_001, aggTrade(1_723_161_255_559, 1_723_161_255_560)),
        FUTURES_BOOK,
        trade(1_723_161_256_400), // bare JSON: the exchange time, as with time local
      ],
      'exchange',
      fastPath,
    );
    expect(results).toEqual([
      [1_723_161_255_342_000, 1_723_161_255_342_000],
      [1_723_161_255_559_000, 1_723_161_255_559_000],
      [1_723_161_256_313_000, 1_723_161_256_313_000],
      [1_723_161_256_400_000, 1_723_161_256_400_000],
    ]);
  });

  it('falls back to E when a message has no T', () => {
    const noT = trade(1_723_161_255_342, 1_723_161_255_343).replace(',"T":1723161255342', '');
    const { results } = parse([at(1_000_000_000_000_000, noT)], 'exchange', fastPath);
    expect(results).toEqual([[1_723_161_255_343_000, 1_723_161_255_343_000]]);
  });

  it('keeps the local prefix as event time with time local (the default)', () => {
    const lines = [at(1_723_161_254_087_896, trade(1_723_161_255_342))];
    expect(parse(lines, 'local', fastPath).results).toEqual([
      [1_723_161_254_087_896, 1_723_161_255_342_000],
    ]);
  });

  it('skips spot bookTickers before the first timed message as untimed, then gives them the latest exchange time', () => {
    const { results, stats } = parse(
      [
        at(1_723_161_254_087_891, BOOK),
        at(1_723_161_254_087_892, BOOK),
        at(1_723_161_254_087_896, trade(1_723_161_255_342)),
        at(1_723_161_254_500_000, BOOK),
        at(1_723_161_254_600_000, trade(1_723_161_255_100)), // 242 ms back: clamped
        at(1_723_161_254_700_000, BOOK),
      ],
      'exchange',
      fastPath,
    );
    expect(results).toEqual([
      null,
      null,
      [1_723_161_255_342_000, 1_723_161_255_342_000],
      [1_723_161_255_342_000, null], // the latest exchange time, not its own local time
      [1_723_161_255_342_000, 1_723_161_255_100_000],
      [1_723_161_255_342_000, null],
    ]);
    expect(stats.skipped).toEqual({ untimed: 2 });
    expect(stats.outOfOrder).toBe(1);
  });

  it('keeps times monotonic: a small step back is clamped and counted, a larger one is out of order on T', () => {
    const { results, stats } = parse(
      [
        at(1_000_000_000_000_000, trade(1_723_161_255_000)),
        at(1_000_000_000_000_001, trade(1_723_161_254_500, 1_723_161_255_900)), // 500 ms back
        at(1_000_000_000_000_002, trade(1_723_161_253_999)), // 1001 ms back
        at(1_000_000_000_000_003, trade(1_723_161_255_001)),
      ],
      'exchange',
      fastPath,
      1_000_000,
    );
    expect(results).toEqual([
      [1_723_161_255_000_000, 1_723_161_255_000_000],
      [1_723_161_255_000_000, 1_723_161_254_500_000],
      'E_FEED_OUT_OF_ORDER x:3: T: time 1723161253999000 µs is 1001 ms before the latest event time 1723161255000000 µs (tolerance 1000 ms)',
      [1_723_161_255_001_000, 1_723_161_255_001_000],
    ]);
    expect(stats.outOfOrder).toBe(1);
  });

  it('ignores a local prefix that goes back, but still checks that it is a time', () => {
    const { results } = parse(
      [
        at(2_000_000_000_000_000, trade(1_723_161_255_000)),
        at(1_000_000_000_000_000, trade(1_723_161_255_001)), // local time 1000 s back: fine
        `12x45 ${trade(1_723_161_255_002)}`,
      ],
      'exchange',
      fastPath,
    );
    expect(results).toEqual([
      [1_723_161_255_000_000, 1_723_161_255_000_000],
      [1_723_161_255_001_000, 1_723_161_255_001_000],
      'E_FEED_BAD_FIELD x:3: local_time: not an integer time in ns ("12x45")',
    ]);
  });
});

describe('openFeed with time exchange', () => {
  it('reads a binance-ws capture with the exchange time as tsUs', async () => {
    const local = await readAll(fixture('binance-ws-spot.txt'));
    const exchange = await readAll(fixture('binance-ws-spot.txt'), { time: 'exchange' });
    // The first bookTicker comes before any timed message; the last one gets the aggTrade's T.
    expect(exchange.source.stats.skipped['untimed']).toBe(1);
    expect(exchange.events.map((e) => [e.type, e.tsUs, e.exchangeTsUs])).toEqual([
      ['trade', 1_723_161_255_342_000, 1_723_161_255_342_000],
      ['trade', 1_723_161_255_559_000, 1_723_161_255_559_000],
      ['quote', 1_723_161_255_559_000, null],
    ]);
    // Everything but the time is the same as with local time.
    const { tsUs: _a, ...first } = exchange.events[0]!;
    const { tsUs: _b, ...same } = local.events[1]!;
    expect(first).toEqual(same);
  });

  it('gives tsUs = exchangeTsUs for every timed event of a real capture, never going back', async () => {
    const { events, source } = await readAll(sample('spot_btcusdt_20240808.gz'), {
      time: 'exchange',
    });
    expect(source.stats.skipped['untimed']).toBe(1); // a bookTicker before the first trade
    const wrong: MarketEvent[] = [];
    let latest = 0;
    for (const event of events) {
      const expected = event.exchangeTsUs ?? latest; // exchange times never go back in this file
      if (event.tsUs !== expected || event.tsUs < latest) wrong.push(event);
      latest = event.tsUs;
    }
    expect(wrong).toEqual([]);
    expect(source.stats.outOfOrder).toBe(0);
    expect(events.length).toBe(source.stats.events);
  });

  it('changes nothing for Binance CSV and normalized files, whose only time is used either way', async () => {
    for (const name of ['BTCUSDT-trades-2024-08-08.csv', 'normalized.csv']) {
      const local = await readAll(fixture(name));
      const exchange = await readAll(fixture(name), { time: 'exchange' });
      expect(exchange.events).toEqual(local.events);
    }
  });

  it('refuses time exchange for Tardis files and an unknown time', async () => {
    for (const name of ['tardis-trades.csv', 'tardis-quotes.csv']) {
      const error = await rejection(readAll(fixture(name), { time: 'exchange' }));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toContain(`time 'exchange' (--time exchange) is not supported`);
      expect(error.message).toContain('local_timestamp');
    }
    const path = writeFeed(tempDir(), 'feed.jsonl', `${trade(1_723_161_255_000)}\n`);
    const error = await rejection(readAll(path, { time: 'remote' as FeedTime }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("time must be 'local' or 'exchange', got remote");
  });
});
