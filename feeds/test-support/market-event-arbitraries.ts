import fc from 'fast-check';
import type { MarketEvent } from '../../src/core/market-event.js';
import { quoteEvent, tradeEvent } from '../market-event-factory.js';

/** A plain decimal string of up to 8 digits and 0 to 8 places. */
export const decimalArbitrary = fc
  .tuple(fc.nat({ max: 99_999_999 }), fc.nat({ max: 8 }))
  .map(([digits, places]) => {
    const text = String(digits).padStart(places + 1, '0');
    return places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  });

const time = fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 });
const common = {
  tsUs: time,
  exchangeTsUs: fc.option(time, { nil: null }),
  exchange: fc.constantFrom('binance', 'synthetic', 'tardis-ü'),
  symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
};

/** A plain trade: any side or none, any id (Unicode too) or none. */
export const tradeArbitrary: fc.Arbitrary<MarketEvent> = fc
  .record({
    ...common,
    id: fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null }),
    side: fc.constantFrom('buy', 'sell', null),
    price: decimalArbitrary,
    size: decimalArbitrary,
  })
  .map((t) =>
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

/** A plain quote (not checked for crossing: the packing does not care). */
export const quoteArbitrary: fc.Arbitrary<MarketEvent> = fc
  .record({
    ...common,
    bid: decimalArbitrary,
    bidSize: decimalArbitrary,
    ask: decimalArbitrary,
    askSize: decimalArbitrary,
  })
  .map((q) =>
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
