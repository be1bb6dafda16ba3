import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { BinanceStreamClient } from './binance-stream-client.js';
import { LiveMessageParser } from './live-message-parser.js';
import type { FeedServer } from './serve-feed.js';
import { serveFeed } from './serve-feed.js';
import {
  collectItems,
  describe as describeItems,
  eventsOf,
  fileEvents,
} from './test-support/collect.js';

const SPOT = 'feeds/samples/spot_btcusdt_20240808.gz';
const USDM = 'feeds/samples/usdm_btcusdt_20240808.gz';
const URL = 'ws://127.0.0.1:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker';
const TRADE =
  '{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}';
const BOOK =
  '{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}';
const FUTURES_BOOK =
  '{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256314}';
const envelope = (stream: string, data: string): string => `{"stream":"${stream}","data":${data}}`;

describe('LiveMessageParser with time exchange', () => {
  it('takes T as tsUs, whatever the local receive time', () => {
    const parser = new LiveMessageParser(URL, 'exchange');
    const message = parser.parse(envelope('btcusdt@trade', TRADE), 1_000_000);
    expect(message?.event).toMatchObject({
      type: 'trade',
      tsUs: 1_723_161_255_342_000,
      exchangeTsUs: 1_723_161_255_342_000,
    });
    expect(parser.parse(FUTURES_BOOK, 999)?.event).toMatchObject({
      type: 'quote',
      tsUs: 1_723_161_256_313_000,
      exchangeTsUs: 1_723_161_256_313_000,
    });
  });

  it('skips a spot bookTicker before the first timed message, then gives it the latest exchange time', () => {
    const parser = new LiveMessageParser(URL, 'exchange');
    expect(parser.parse(envelope('btcusdt@bookTicker', BOOK), 1_000_000)).toBeNull();
    expect(parser.stats.skipped).toEqual({ untimed: 1 });
    parser.parse(TRADE, 2_000_000);
    expect(parser.parse(BOOK, 3_000_000)?.event).toMatchObject({
      type: 'quote',
      tsUs: 1_723_161_255_342_000,
      exchangeTsUs: null,
    });
    expect(parser.stats).toMatchObject({ lines: 3, events: 2, trades: 1, quotes: 1 });
  });

  it('clamps an exchange time that steps back, however far, and counts it', () => {
    const parser = new LiveMessageParser(URL, 'exchange');
    parser.parse(TRADE, 1);
    const back = TRADE.replace('"T":1723161255342', '"T":1723161200000');
    expect(parser.parse(back, 2)?.event).toMatchObject({
      tsUs: 1_723_161_255_342_000,
      exchangeTsUs: 1_723_161_200_000_000,
    });
    expect(parser.stats.outOfOrder).toBe(1);
  });

  it('is refused by BinanceStreamClient for anything but local or exchange', () => {
    expect(() => new BinanceStreamClient({ url: URL, time: 'venue' as 'local' })).toThrow(
      new UsageError("time must be 'local' or 'exchange', got venue"),
    );
  });
});

describe('serveFeed → BinanceStreamClient with time exchange', () => {
  const servers: FeedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it.each([
    ['spot', SPOT, 1],
    ['USD-M futures', USDM, 0],
  ])(
    'gives exactly the file reader’s events, tsUs included, for the %s sample at speed max',
    async (_, file, untimed) => {
      const expected = await fileEvents([file], { time: 'exchange' });
      let sent!: (messages: number) => void;
      const replayed = new Promise<number>((resolve) => (sent = resolve));
      // serve-feed reads the file with its default (local) time: the wire keeps the exchange's.
      const server = await serveFeed({
        files: [file],
        speed: 'max',
        maxClients: 1,
        onEvent: (event) => {
          if (event.type === 'replayed') sent(event.messages);
        },
      });
      servers.push(server);
      const client = new BinanceStreamClient({
        url: `${server.url}/stream?streams=${server.streams.join('/')}`,
        time: 'exchange',
        clock: () => 1, // local time plays no part
      });
      const items = await collectItems(client, (_, events) => events >= expected.length, 60_000);
      const events = eventsOf(items);
      expect(events.length).toBe(expected.length);
      // Every field of every event (type, symbol, price, size, tsUs, exchangeTsUs, id, side, …).
      const first = events.findIndex((event, i) => !isDeepStrictEqual(event, expected[i]));
      expect(
        first < 0 ? null : { at: first, live: events[first], file: expected[first] },
      ).toBeNull();
      // The last event was the last message sent: nothing more to come.
      expect(client.stats.messages).toBe(await replayed);
      expect(client.stats.skipped).toEqual(untimed > 0 ? { untimed } : {});
      const problems = items.filter((item) => item.type === 'bad-message' || item.type === 'gap');
      expect(problems, describeItems(items)).toEqual([]);
    },
  );
});
