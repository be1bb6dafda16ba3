import { describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../src/core/market-event.js';
import { formatBinanceCsvTradesLine } from './binance-csv-trades-line.js';

const trade: TradeEvent = {
  type: 'trade',
  tsUs: 1_704_067_200_123_456,
  exchangeTsUs: null,
  exchange: 'synthetic',
  symbol: 'BTCUSDT',
  id: '17',
  side: 'buy',
  price: '60000.01',
  priceNum: 60000.01,
  size: '0.00150',
  sizeNum: 0.0015,
};

describe('formatBinanceCsvTradesLine', () => {
  it('writes id, price, qty, exact quote_qty, µs time, is_buyer_maker, is_best_match', () => {
    expect(formatBinanceCsvTradesLine(trade)).toBe(
      '17,60000.01,0.00150,90.0000150,1704067200123456,False,True',
    );
    // A sell: the buyer was the resting maker.
    expect(formatBinanceCsvTradesLine({ ...trade, side: 'sell' })).toBe(
      '17,60000.01,0.00150,90.0000150,1704067200123456,True,True',
    );
  });

  it('refuses trades the format cannot hold', () => {
    expect(() => formatBinanceCsvTradesLine({ ...trade, id: null })).toThrow(TypeError);
    expect(() => formatBinanceCsvTradesLine({ ...trade, id: 'a1' })).toThrow(TypeError);
    expect(() => formatBinanceCsvTradesLine({ ...trade, side: null })).toThrow(TypeError);
    expect(() => formatBinanceCsvTradesLine({ ...trade, price: '6e4' })).toThrow(TypeError);
  });
});
