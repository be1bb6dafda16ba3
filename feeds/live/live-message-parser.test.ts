import { describe, expect, it } from 'vitest';
import type { FeedError } from '../../src/core/errors.js';
import { LiveMessageParser } from './live-message-parser.js';

const URL = 'ws://127.0.0.1:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker';
const TRADE =
  '{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}';
const BOOK =
  '{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}';
const AGG =
  '{"e":"aggTrade","E":1723161255560,"s":"BTCUSDT","a":3101224,"p":"61837.64000000","q":"0.00100000","f":3735683260,"l":3735683260,"T":1723161255559,"m":false,"M":true}';
const envelope = (stream: string, data: string): string => `{"stream":"${stream}","data":${data}}`;

describe('LiveMessageParser', () => {
  it('reads a combined-stream envelope with the local receive time as tsUs', () => {
    const parser = new LiveMessageParser(URL);
    const message = parser.parse(envelope('btcusdt@trade', TRADE), 1723161254087896);
    expect(message).toEqual({
      sequence: 'trade',
      stream: 'btcusdt@trade',
      id: 3735683259,
      event: {
        type: 'trade',
        tsUs: 1723161254087896,
        exchangeTsUs: 1723161255342000,
        exchange: 'binance',
        symbol: 'BTCUSDT',
        id: '3735683259',
        side: 'sell',
        price: '61837.63000000',
        priceNum: 61837.63,
        size: '0.02000000',
        sizeNum: 0.02,
      },
    });
  });

  it('reads bare payloads, naming their stream from symbol and kind', () => {
    const parser = new LiveMessageParser(URL);
    const book = parser.parse(BOOK, 1_000_000)!;
    expect(book).toMatchObject({
      sequence: 'bookTicker',
      stream: 'btcusdt@bookTicker',
      id: 50093239212,
    });
    expect(book.event).toMatchObject({
      type: 'quote',
      tsUs: 1_000_000,
      exchangeTsUs: null,
      bidSize: '3.78826000',
    });
    expect(parser.parse(AGG, 2_000_000)).toMatchObject({
      sequence: 'aggTrade',
      stream: 'btcusdt@aggTrade',
      id: 3101224,
    });
    // The same with whitespace and escapes (the general JSON path).
    expect(
      parser.parse(
        ` { "stream" : "btcusdt@aggTrade", "data": ${AGG.replace('"e":"aggTrade"', '"e": "aggTrade"')} }`,
        3_000_000,
      ),
    ).toMatchObject({ sequence: 'aggTrade', stream: 'btcusdt@aggTrade', id: 3101224 });
  });

  it('reads USD-M futures messages as binance-futures', () => {
    const parser = new LiveMessageParser(URL);
    const message = parser.parse(
      '{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256314}',
      5,
    );
    expect(message).toMatchObject({
      id: 5123107839020,
      event: { exchange: 'binance-futures', exchangeTsUs: 1723161256313000 },
    });
  });

  it('skips and counts replies and depth updates', () => {
    const parser = new LiveMessageParser(URL);
    expect(parser.parse('{"result":null,"id":1}', 1)).toBeNull();
    expect(
      parser.parse(
        envelope(
          'btcusdt@depth',
          '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}',
        ),
        2,
      ),
    ).toBeNull();
    expect(parser.stats.skipped).toEqual({ other: 1, depthUpdate: 1 });
    expect(parser.stats.lines).toBe(2);
  });

  it('throws the file reader’s FeedError for a bad message, naming the url and message number', () => {
    const parser = new LiveMessageParser(URL);
    parser.parse(TRADE, 1);
    const bad = (text: string): FeedError => {
      try {
        parser.parse(text, 2);
      } catch (error) {
        return error as FeedError;
      }
      throw new Error('no error');
    };
    expect(bad('not json')).toMatchObject({
      code: 'E_FEED_MALFORMED_LINE',
      message: `${URL}:2: -: not valid JSON`,
    });
    expect(bad(TRADE.replace('"61837.63000000"', '"-1"'))).toMatchObject({
      code: 'E_FEED_BAD_FIELD',
      field: 'p',
      line: 3,
    });
    expect(parser.rejectBinary()).toMatchObject({ code: 'E_FEED_MALFORMED_LINE', line: 4 });
    expect(parser.stats.badLines).toBe(3);
  });

  it('never lets local time go back: a clock stepping back is clamped and counted', () => {
    const parser = new LiveMessageParser(URL);
    expect(parser.parse(TRADE, 5_000_000)!.event.tsUs).toBe(5_000_000);
    expect(parser.parse(BOOK, 1_000_000)!.event.tsUs).toBe(5_000_000);
    expect(parser.stats.outOfOrder).toBe(1);
  });
});
