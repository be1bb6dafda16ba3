import type { FeedFormat } from './feed-source.js';
import { NORMALIZED_CSV_HEADER } from './normalized-csv-format.js';
import { TARDIS_HEADERS } from './tardis-csv-parser.js';

const BINANCE_TRADES_HEADER = 'id,price,qty,quote_qty,time,is_buyer_maker';
const BINANCE_AGGTRADES_HEADER =
  'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker';

const INTEGER = /^\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false|True|False)$/;

/**
 * The format of a feed from its first non-empty lines (content only, never the file name), or
 * null when nothing matches. Rules, first match wins (docs/feed-formats.md):
 * - a JSON object, or digits + space + JSON object: `binance-ws`;
 * - a known header line: its format;
 * - headerless CSV by column count and column shapes: 12 columns with `trade`/`quote` in the 4th
 *   is `normalized`; 8 columns starting with a non-numeric exchange and two integer times is Tardis
 *   (`buy`/`sell`/`unknown` in the 6th: trades, else quotes); all-numeric Binance rows end in one
 *   or two booleans: 6 columns or 7 with a boolean 6th are `trades`, 7 with an integer 6th or 8
 *   are `aggTrades`.
 *
 * @example
 * detectFeedFormat(['1723161255342,61837.63,0.02,1236.75,1723161255342,True,True']); // 'binance-csv-trades'
 */
export function detectFeedFormat(firstLines: readonly string[]): FeedFormat | null {
  const line = firstLines
    .find((candidate) => /[^ \t\r\uFEFF]/.test(candidate))
    ?.replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  if (line === undefined) return null;
  if (line.startsWith('{') || /^\d+ +\{/.test(line)) return 'binance-ws';
  if (line === NORMALIZED_CSV_HEADER) return 'normalized';
  if (line === TARDIS_HEADERS.trades) return 'tardis-trades';
  if (line === TARDIS_HEADERS.quotes) return 'tardis-quotes';
  if (line === BINANCE_TRADES_HEADER || line === `${BINANCE_TRADES_HEADER},is_best_match`)
    return 'binance-csv-trades';
  if (line === BINANCE_AGGTRADES_HEADER || line === `${BINANCE_AGGTRADES_HEADER},is_best_match`)
    return 'binance-csv-aggtrades';

  const c = line.split(',');
  const is = (pattern: RegExp, index: number): boolean => pattern.test(c[index] ?? '');
  if (c.length === 12 && is(INTEGER, 0) && (c[3] === 'trade' || c[3] === 'quote'))
    return 'normalized';
  if (
    c.length === 8 &&
    !is(DECIMAL, 0) &&
    (c[0] ?? '') !== '' &&
    is(INTEGER, 2) &&
    is(INTEGER, 3)
  ) {
    if (c[5] === 'buy' || c[5] === 'sell' || c[5] === 'unknown') return 'tardis-trades';
    const quoteField = (index: number): boolean => c[index] === '' || is(DECIMAL, index);
    if (quoteField(4) && quoteField(5) && quoteField(6) && quoteField(7)) return 'tardis-quotes';
    return null;
  }
  if (!is(INTEGER, 0) || !is(DECIMAL, 1) || !is(DECIMAL, 2)) return null;
  const last = c.length - 1;
  if (!is(BOOLEAN, last)) return null;
  if (c.length === 6 && is(DECIMAL, 3) && is(INTEGER, 4)) return 'binance-csv-trades';
  if (c.length === 7 && is(DECIMAL, 3) && is(INTEGER, 4) && is(BOOLEAN, 5))
    return 'binance-csv-trades';
  if (c.length === 7 && is(INTEGER, 3) && is(INTEGER, 4) && is(INTEGER, 5))
    return 'binance-csv-aggtrades';
  if (c.length === 8 && is(INTEGER, 3) && is(INTEGER, 4) && is(INTEGER, 5) && is(BOOLEAN, 6))
    return 'binance-csv-aggtrades';
  return null;
}
