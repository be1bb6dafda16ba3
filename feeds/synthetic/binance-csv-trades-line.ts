import type { TradeEvent } from '../../src/core/market-event.js';
import { multiplyDecimalTexts } from './multiply-decimal-texts.js';

/**
 * One trade as a line of a data.binance.vision spot trades CSV (no newline), as Binance writes
 * them from 2025 on: `id,price,qty,quote_qty,time,is_buyer_maker,is_best_match`, `time` in µs,
 * `quote_qty` the exact product `price × qty`, `is_buyer_maker` `True` for a sell (the aggressor
 * sold to a resting buyer), `is_best_match` `True`. The `binance-csv-trades` reader reads it back
 * to the same id, price, size, time and side (docs/feed-formats.md).
 *
 * Throws `TypeError` for a trade the format cannot hold: no integer id, no side, a price or size
 * that is not a plain decimal.
 *
 * @example
 * formatBinanceCsvTradesLine(trade); // '17,60000.01,0.00150,90.0000150,1704067200123456,False,True'
 */
export function formatBinanceCsvTradesLine(trade: TradeEvent): string {
  if (trade.id === null || !/^\d+$/.test(trade.id))
    throw new TypeError(`binance-csv-trades: a trade id must be an integer, got ${trade.id}`);
  if (trade.side === null) throw new TypeError('binance-csv-trades: a trade needs a side');
  const buyerIsMaker = trade.side === 'sell' ? 'True' : 'False';
  return `${trade.id},${trade.price},${trade.size},${multiplyDecimalTexts(trade.price, trade.size)},${trade.tsUs},${buyerIsMaker},True`;
}
