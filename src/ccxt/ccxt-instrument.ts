import type { MarketInterface } from 'ccxt';
import { CanaryError } from '../core/errors.js';
import { Decimal } from '../core/money.js';
import { decimalFromCcxt } from './ccxt-decimal.js';

/** What the adapter needs of a ccxt market: its currencies, contract size and the canary's symbol. */
export interface CcxtInstrument {
  /** The symbol the canary books it under (and marks it by: `onMarketEvent`'s `symbol`). */
  readonly symbol: string;
  /** ccxt's unified symbol: `BTC/USDT` (spot), `BTC/USDT:USDT` (USDⓈ-M perpetual). */
  readonly ccxtSymbol: string;
  readonly base: string;
  /** The currency money is booked in: prices, fees, P&L. */
  readonly quote: string;
  /** Base units per unit of ccxt's `amount`: 1 for spot, `contractSize` for linear contracts. */
  readonly contractSize: Decimal;
}

/** The canary's name for a ccxt market; by default ccxt's unified symbol. */
export type SymbolOf = (market: MarketInterface) => string;

/** ccxt's unified symbol: spot and perpetual of one pair stay apart in the books. */
export const unifiedSymbol: SymbolOf = (market) => market.symbol;

/**
 * A ccxt market as the canary books it: spot, or a linear contract (USDⓈ-M: settled in the quote
 * currency, `amount` in contracts of `contractSize` base units, prices in quote per base unit).
 *
 * @throws CanaryError `E_CCXT_MARKET` for an inverse or quanto contract (settled in another
 *   currency than the quote: the books keep money in the quote currency) or an option
 */
export function instrumentOf(
  market: MarketInterface,
  symbolOf: SymbolOf = unifiedSymbol,
): CcxtInstrument {
  const name = market.symbol;
  if (market.option === true) {
    throw new CanaryError('E_CCXT_MARKET', `${name}: options are not supported`);
  }
  if (market.contract === true) {
    if (market.linear !== true || market.inverse === true || market.settle !== market.quote) {
      throw new CanaryError(
        'E_CCXT_MARKET',
        `${name}: only linear contracts settled in the quote currency (USDⓈ-M) are supported, not inverse or quanto ones: the books keep money in the quote currency`,
      );
    }
  }
  let contractSize = new Decimal(1);
  if (market.contract === true) {
    if (market.contractSize === undefined || !(market.contractSize > 0)) {
      throw new CanaryError('E_CCXT_MARKET', `${name}: no positive contract size`);
    }
    contractSize = decimalFromCcxt(market.contractSize, `${name} contractSize`);
  }
  return {
    symbol: symbolOf(market),
    ccxtSymbol: name,
    base: market.base,
    quote: market.quote,
    contractSize,
  };
}
