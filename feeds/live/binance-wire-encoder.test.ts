import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import { quoteEvent, tradeEvent } from '../market-event-factory.js';
import { BinanceWireEncoder } from './binance-wire-encoder.js';
import { LiveMessageParser } from './live-message-parser.js';

const ALL = {
  combined: true,
  streams: ['btcusdt@trade', 'btcusdt@bookTicker', 'ethusdt@trade', 'ethusdt@bookTicker'],
};

/** A price with 2 decimals from an integer of cents. */
const cents = (n: number): string => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

const eventArb = (exchange: string): fc.Arbitrary<MarketEvent> =>
  fc.oneof(
    fc
      .record({
        ms: fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
        symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
        id: fc.option(fc.oneof(fc.nat().map(String), fc.constant('x-1')), { nil: null }),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        price: fc.integer({ min: 1, max: 10_000_000 }),
        size: fc.integer({ min: 1, max: 10_000_000 }),
      })
      .map((t) =>
        tradeEvent(
          t.ms * 1000,
          t.ms * 1000,
          exchange,
          t.symbol,
          t.id,
          t.side,
          cents(t.price),
          t.price / 100,
          cents(t.size),
          t.size / 100,
        ),
      ),
    fc
      .record({
        ms: fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
        symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
        bid: fc.integer({ min: 1, max: 10_000_000 }),
        spread: fc.integer({ min: 0, max: 1000 }),
        bidSize: fc.integer({ min: 0, max: 10_000 }),
        askSize: fc.integer({ min: 0, max: 10_000 }),
      })
      .map((q) =>
        quoteEvent(
          q.ms * 1000,
          q.ms * 1000,
          exchange,
          q.symbol,
          cents(q.bid),
          q.bid / 100,
          cents(q.bidSize),
          q.bidSize / 100,
          cents(q.bid + q.spread),
          (q.bid + q.spread) / 100,
          cents(q.askSize),
          q.askSize / 100,
        ),
      ),
  );

describe('BinanceWireEncoder', () => {
  it.each(['binance', 'binance-futures'])(
    'writes %s events that the live parser reads back as the same events (fast-check)',
    (exchange) => {
      fc.assert(
        fc.property(fc.array(eventArb(exchange), { minLength: 1, maxLength: 30 }), (events) => {
          const encoder = new BinanceWireEncoder(ALL);
          const parser = new LiveMessageParser('ws://test');
          const nextId = new Map<string, number>();
          events.forEach((event, i) => {
            const frames = encoder.encode(event);
            expect(frames).toHaveLength(1);
            const message = parser.parse(frames[0]!, 1_000 + i)!;
            const back = message.event;
            let expected: MarketEvent = { ...event, tsUs: 1_000 + i };
            if (event.type === 'trade') {
              const numeric = event.id !== null && /^\d+$/.test(event.id);
              const id = numeric ? event.id : String(nextId.get(event.symbol) ?? 1);
              if (!numeric) nextId.set(event.symbol, Number(id) + 1);
              expected = { ...expected, id } as MarketEvent;
            } else if (exchange === 'binance') {
              expected = { ...expected, exchangeTsUs: null }; // spot bookTicker has no time
            }
            expect(back).toEqual(expected);
            expect(message.stream).toBe(
              `${event.symbol.toLowerCase()}@${event.type === 'trade' ? 'trade' : 'bookTicker'}`,
            );
          });
        }),
      );
    },
  );

  it('sends nothing for streams not asked for, and both trade shapes when both are', () => {
    const trade = tradeEvent(
      5_000_000,
      5_000_000,
      'binance',
      'BTCUSDT',
      '7',
      'buy',
      '1.5',
      1.5,
      '2',
      2,
    );
    const quote = quoteEvent(5_000_000, null, 'binance', 'BTCUSDT', '1', 1, '2', 2, '3', 3, '4', 4);
    const encoder = new BinanceWireEncoder({
      combined: false,
      streams: ['btcusdt@trade', 'btcusdt@aggTrade'],
    });
    expect(encoder.encode(trade)).toEqual([
      '{"e":"trade","E":5000,"s":"BTCUSDT","t":7,"p":"1.5","q":"2","T":5000,"m":false,"M":true}',
      '{"e":"aggTrade","E":5000,"s":"BTCUSDT","a":7,"p":"1.5","q":"2","f":7,"l":7,"T":5000,"m":false,"M":true}',
    ]);
    expect(encoder.encode(quote)).toEqual([]);
    expect(
      new BinanceWireEncoder({ combined: true, streams: ['btcusdt@bookTicker'] }).encode(quote),
    ).toEqual([
      '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1","B":"2","a":"3","A":"4"}}',
    ]);
  });
});
