import type { MarketEvent } from '../src/core/market-event.js';

/**
 * strategy-canary's own normalized CSV (format id `normalized`), written by `generate-feed` and
 * readable by `replay`. One header line, then one event per line:
 *
 * ```
 * ts_us,exchange,symbol,type,side,price,size,bid_price,bid_size,ask_price,ask_size,id
 * 1723161255342000,binance,BTCUSDT,trade,sell,61837.63,0.02,,,,,3735683259
 * 1723161255343000,binance,BTCUSDT,quote,,,,61837.63,3.78826,61837.64,1.54698,
 * ```
 *
 * - `ts_us`: event time, integer µs since epoch, non-decreasing;
 * - `type`: `trade` (fills `side`, `price`, `size`, optional `id`) or `quote` (fills the four
 *   `bid_*`/`ask_*` columns); the other type's columns stay empty;
 * - `side`: aggressor side `buy` or `sell`, or empty when unknown;
 * - prices and sizes: plain decimals, prices > 0, trade sizes > 0, quote sizes >= 0.
 */
export const NORMALIZED_CSV_HEADER =
  'ts_us,exchange,symbol,type,side,price,size,bid_price,bid_size,ask_price,ask_size,id';

/** One event as a normalized CSV line (no trailing newline). */
export function formatNormalizedCsvLine(event: MarketEvent): string {
  if (event.type === 'trade') {
    return `${event.tsUs},${event.exchange},${event.symbol},trade,${event.side ?? ''},${event.price},${event.size},,,,,${event.id ?? ''}`;
  }
  return `${event.tsUs},${event.exchange},${event.symbol},quote,,,,${event.bidPrice},${event.bidSize},${event.askPrice},${event.askSize},`;
}
