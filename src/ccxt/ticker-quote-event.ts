import type { Ticker } from 'ccxt';
import { CanaryError } from '../core/errors.js';
import type { QuoteEvent } from '../core/market-event.js';
import { moneyToString } from '../core/money.js';
import { decimalFromCcxt, rawString } from './ccxt-decimal.js';
import type { CcxtInstrument } from './ccxt-instrument.js';

/** Where a ticker's own strings are in `info`: Binance REST (`bidPrice`…), its streams (`b`…). */
const RAW_KEYS = {
  bid: ['bidPrice', 'bid1Price', 'b'],
  ask: ['askPrice', 'ask1Price', 'a'],
  bidVolume: ['bidQty', 'bid1Size', 'B'],
  askVolume: ['askQty', 'ask1Size', 'A'],
} as const;

/**
 * A ccxt `Ticker` (fetchTicker, watchTicker) as the canary's quote event for `onMarketEvent`:
 * event time moves to the ticker's time and the instrument is marked at its mid. Prices are exact
 * (`decimalFromCcxt`); a missing size is 0.
 * @throws CanaryError `E_CCXT_NUMBER` for a ticker without a time, a bid or an ask
 */
export function quoteEventOfTicker(
  ticker: Ticker,
  instrument: CcxtInstrument,
  exchange: string,
): QuoteEvent {
  const what = `${ticker.symbol ?? instrument.ccxtSymbol} ticker`;
  if (ticker.timestamp === undefined) {
    throw new CanaryError('E_CCXT_NUMBER', `${what}: no timestamp (event time)`);
  }
  const info: unknown = ticker.info;
  const field = (name: keyof typeof RAW_KEYS, value: number | undefined) =>
    decimalFromCcxt(value, `${what} ${name}`, rawString(info, RAW_KEYS[name]));
  const bid = field('bid', ticker.bid);
  const ask = field('ask', ticker.ask);
  const bidSize = ticker.bidVolume === undefined ? null : field('bidVolume', ticker.bidVolume);
  const askSize = ticker.askVolume === undefined ? null : field('askVolume', ticker.askVolume);
  const tsUs = ticker.timestamp * 1000;
  return {
    type: 'quote',
    tsUs,
    exchangeTsUs: tsUs,
    exchange,
    symbol: instrument.symbol,
    bidPrice: moneyToString(bid),
    bidPriceNum: bid.toNumber(),
    bidSize: bidSize === null ? '0' : moneyToString(bidSize),
    bidSizeNum: bidSize === null ? 0 : bidSize.toNumber(),
    askPrice: moneyToString(ask),
    askPriceNum: ask.toNumber(),
    askSize: askSize === null ? '0' : moneyToString(askSize),
    askSizeNum: askSize === null ? 0 : askSize.toNumber(),
  };
}
