import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuoteEvent, TradeEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import { MAX_TICK_PLACES, PriceTicks } from './price-ticks.js';

// The execution layer does not import the feed readers' event factory (a restricted path).
const trade = (symbol: string, price: string): TradeEvent => ({
  type: 'trade',
  tsUs: 0,
  exchangeTsUs: null,
  exchange: 'test',
  symbol,
  id: null,
  side: null,
  price,
  priceNum: Number(price),
  size: '1',
  sizeNum: 1,
});

const quote = (symbol: string, bid: string, ask: string): QuoteEvent => ({
  type: 'quote',
  tsUs: 0,
  exchangeTsUs: null,
  exchange: 'test',
  symbol,
  bidPrice: bid,
  bidPriceNum: Number(bid),
  bidSize: '1',
  bidSizeNum: 1,
  askPrice: ask,
  askPriceNum: Number(ask),
  askSize: '1',
  askSizeNum: 1,
});

describe('PriceTicks', () => {
  it('learns the most significant decimals of each symbol, bid, ask and trade', () => {
    const ticks = new PriceTicks();
    expect(ticks.placesOf('BTCUSDT')).toBe(0);
    ticks.observe(quote('BTCUSDT', '61855.10000000', '61855.2'));
    expect(ticks.placesOf('BTCUSDT')).toBe(1);
    ticks.observe(trade('ETHUSDT', '2500.125'));
    ticks.observe(quote('BTCUSDT', '61855.37', '61855.38'));
    expect(ticks.placesOf('BTCUSDT')).toBe(2);
    expect(ticks.placesOf('ETHUSDT')).toBe(3);
    ticks.observe(trade('BTCUSDT', '61856'));
    expect(ticks.placesOf('BTCUSDT')).toBe(2); // never coarser
    ticks.observe(quote('BTCUSDT', '0', 'NaN')); // an empty side teaches nothing
    expect(ticks.placesOf('BTCUSDT')).toBe(2);
  });

  it('gives exactly the places of any price of up to 15 significant digits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }),
        fc.integer({ min: 0, max: 12 }),
        (digits, places) => {
          const text = new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(places));
          const ticks = new PriceTicks();
          ticks.observe(trade('X', text.toFixed()));
          expect(ticks.placesOf('X')).toBe(Math.min(text.decimalPlaces(), MAX_TICK_PLACES));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
