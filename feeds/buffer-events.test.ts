import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BufferQuoteEvent,
  BufferTradeEvent,
  eventBytes,
  plainMarketEvent,
} from './buffer-events.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';

describe('buffer events', () => {
  const bytes = eventBytes(new TextEncoder().encode('60000.00|0.5|id-é|1.25|2'));
  const trade = new BufferTradeEvent(
    5,
    4,
    'x',
    'BTCUSDT',
    'sell',
    60000,
    0.5,
    bytes,
    0,
    8,
    9,
    12,
    13,
    18,
  );
  const quote = new BufferQuoteEvent(
    6,
    null,
    'x',
    'BTCUSDT',
    60000,
    0.5,
    1.25,
    2,
    bytes,
    0,
    8,
    9,
    12,
    19,
    23,
    24,
    25,
  );

  it('decode each string from its byte range when read (ids as UTF-8)', () => {
    expect([trade.price, trade.size, trade.id]).toEqual(['60000.00', '0.5', 'id-é']);
    expect([quote.bidPrice, quote.bidSize, quote.askPrice, quote.askSize]).toEqual([
      '60000.00',
      '0.5',
      '1.25',
      '2',
    ]);
  });

  it('copy into plain events, for JSON and for inspection', () => {
    const plainTrade = tradeEvent(
      5,
      4,
      'x',
      'BTCUSDT',
      'id-é',
      'sell',
      '60000.00',
      60000,
      '0.5',
      0.5,
    );
    const plainQuote = quoteEvent(
      6,
      null,
      'x',
      'BTCUSDT',
      '60000.00',
      60000,
      '0.5',
      0.5,
      '1.25',
      1.25,
      '2',
      2,
    );
    expect(plainMarketEvent(trade)).toEqual(plainTrade);
    expect(plainMarketEvent(quote)).toEqual(plainQuote);
    expect(JSON.parse(JSON.stringify([trade, quote]))).toEqual([plainTrade, plainQuote]);
    expect(inspect(trade)).toBe(inspect(plainTrade));
    // A plain event is copied as it is.
    expect(plainMarketEvent(plainTrade)).toEqual(plainTrade);
    expect(plainMarketEvent(plainTrade)).not.toBe(plainTrade);
  });

  it('say null for a trade without an id', () => {
    const noId = new BufferTradeEvent(5, 4, 'x', 'S', null, 1, 1, bytes, 0, 8, 9, 12, -1, -1);
    expect(noId.id).toBeNull();
    expect(plainMarketEvent(noId)).toMatchObject({ id: null, side: null });
  });
});
