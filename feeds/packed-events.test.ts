import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import { plainMarketEvent } from './buffer-events.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';
import {
  quoteArbitrary as quote,
  tradeArbitrary as trade,
} from './test-support/market-event-arbitraries.js';
import { packBatch } from './packed-batch-writer.js';
import { PackedQuoteEvent, PackedTradeEvent, unpackBatch } from './packed-events.js';

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
