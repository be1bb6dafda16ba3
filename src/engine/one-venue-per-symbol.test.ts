import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { MarketEvent } from '../core/market-event.js';
import { OneVenuePerSymbol } from './one-venue-per-symbol.js';

function event(symbol: string, exchange: string): MarketEvent {
  return {
    type: 'trade',
    tsUs: 1,
    exchangeTsUs: null,
    exchange,
    symbol,
    id: null,
    side: 'buy',
    price: '100',
    priceNum: 100,
    size: '1',
    sizeNum: 1,
  };
}

describe('OneVenuePerSymbol', () => {
  it('lets several symbols of one venue, and one symbol of each venue, through', () => {
    const venues = new OneVenuePerSymbol();
    for (const e of [
      event('BTCUSDT', 'binance'),
      event('ETHUSDT', 'binance'),
      event('BTCUSDT', 'binance'),
      event('SOLUSDT', 'binance-futures'),
    ])
      venues.check(e);
  });

  it('refuses a symbol from a second venue, naming it and both venues (E_USAGE)', () => {
    const venues = new OneVenuePerSymbol();
    venues.check(event('BTCUSDT', 'binance'));
    venues.check(event('ETHUSDT', 'binance'));
    let error: unknown;
    try {
      venues.check(event('BTCUSDT', 'binance-futures'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_USAGE');
    expect((error as UsageError).message).toMatch(
      /^BTCUSDT comes from two venues .*binance and binance-futures/u,
    );
  });
});
