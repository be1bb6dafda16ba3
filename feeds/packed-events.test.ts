import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import { plainMarketEvent } from './buffer-events.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';
import { packBatch } from './packed-batch-writer.js';
import { PackedQuoteEvent, PackedTradeEvent, unpackBatch } from './packed-events.js';

const decimal = fc
  .tuple(fc.nat({ max: 99_999_999 }), fc.nat({ max: 8 }))
  .map(([digits, places]) => {
    const text = String(digits).padStart(places + 1, '0');
    return places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  });
const name = fc.constantFrom('binance', 'synthetic', 'tardis-ü');
const symbol = fc.constantFrom('BTCUSDT', 'ETHUSDT');
const time = fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 });

const trade = fc
  .record({
    tsUs: time,
    exchangeTsUs: fc.option(time, { nil: null }),
    exchange: name,
    symbol,
    id: fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null }),
    side: fc.constantFrom('buy', 'sell', null),
    price: decimal,
    size: decimal,
  })
  .map((t): MarketEvent =>
    tradeEvent(
      t.tsUs,
      t.exchangeTsUs,
      t.exchange,
      t.symbol,
      t.id,
      t.side,
      t.price,
      Number(t.price),
      t.size,
      Number(t.size),
    ),
  );

const quote = fc
  .record({
    tsUs: time,
    exchangeTsUs: fc.option(time, { nil: null }),
    exchange: name,
    symbol,
    bid: decimal,
    bidSize: decimal,
    ask: decimal,
    askSize: decimal,
  })
  .map((q): MarketEvent =>
    quoteEvent(
      q.tsUs,
      q.exchangeTsUs,
      q.exchange,
      q.symbol,
      q.bid,
      Number(q.bid),
      q.bidSize,
      Number(q.bidSize),
      q.ask,
      Number(q.ask),
      q.askSize,
      Number(q.askSize),
    ),
  );

/** Every field of an event, read through the event itself (getters included). */
function fieldsOf(event: MarketEvent): Record<string, unknown> {
  const common = {
    type: event.type,
    tsUs: event.tsUs,
    exchangeTsUs: event.exchangeTsUs,
    exchange: event.exchange,
    symbol: event.symbol,
  };
  return event.type === 'trade'
    ? {
        ...common,
        id: event.id,
        side: event.side,
        price: event.price,
        priceNum: event.priceNum,
        size: event.size,
        sizeNum: event.sizeNum,
      }
    : {
        ...common,
        bidPrice: event.bidPrice,
        bidPriceNum: event.bidPriceNum,
        bidSize: event.bidSize,
        bidSizeNum: event.bidSizeNum,
        askPrice: event.askPrice,
        askPriceNum: event.askPriceNum,
        askSize: event.askSize,
        askSizeNum: event.askSizeNum,
      };
}

describe('packed events', () => {
  it('read every field of the packed events, in any mix of trades and quotes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(trade, quote), { maxLength: 40 }), (events) => {
        const unpacked = unpackBatch(packBatch(events));
        expect(unpacked.map(fieldsOf)).toEqual(events.map(fieldsOf));
        expect(unpacked.map(plainMarketEvent)).toEqual(events);
        for (const [i, event] of unpacked.entries()) {
          expect(event).toBeInstanceOf(
            event.type === 'trade' ? PackedTradeEvent : PackedQuoteEvent,
          );
          expect(event).toMatchObject({ index: i });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('show and serialize as the plain event', () => {
    const plain = [
      tradeEvent(5, null, 'x', 'BTCUSDT', 'id-é', 'sell', '60000.00', 60000, '0.5', 0.5),
      quoteEvent(6, 7, 'x', 'BTCUSDT', '60000.00', 60000, '0.5', 0.5, '1.25', 1.25, '2', 2),
      tradeEvent(8, null, 'y', 'ETHUSDT', null, null, '3000', 3000, '1', 1),
    ];
    const unpacked = unpackBatch(packBatch(plain));
    expect(JSON.parse(JSON.stringify(unpacked))).toEqual(plain);
    expect(unpacked.map((e) => inspect(e))).toEqual(plain.map((e) => inspect(e)));
    // What a spread keeps: own fields only, not even the type (documented; plainMarketEvent
    // copies the rest).
    expect(Object.keys({ ...unpacked[2]! }).sort()).toEqual(
      ['batch', 'bytes', 'exchange', 'index', 'symbol', 'tsUs'].sort(),
    );
  });
});
