/**
 * The ccxt adapter (`strategy-canary/ccxt`): a bot's ccxt orders and trades as the canary's
 * reports (docs/embedding.md, "Using ccxt"). Its imports of ccxt are types only: ccxt is an
 * optional peer dependency, and nothing else of the package loads this module.
 */
export { decimalFromCcxt, rawString } from './ccxt-decimal.js';
export {
  instrumentOf,
  unifiedSymbol,
  type CcxtInstrument,
  type SymbolOf,
} from './ccxt-instrument.js';
export {
  CcxtOrderTracker,
  type AwaitingTrades,
  type CcxtOrderIntent,
  type CcxtOrderTrackerOptions,
} from './ccxt-order-tracker.js';
export { feeInQuote, type CcxtFeeInput, type FeeCurrencyRate } from './fee-in-quote.js';
export {
  ccxtUpdates,
  followCcxtStreams,
  type CcxtStreams,
  type FollowCcxtStreamsOptions,
} from './follow-ccxt-streams.js';
export { orderFillFigures, slippageBps, type OrderFillFigures } from './order-fill-figures.js';
export {
  recordedFetch,
  type FetchImplementation,
  type RecordedRequest,
  type RecordedResponse,
} from './recorded-fetch.js';
export { rejectReasonOfError } from './reject-reason.js';
export { quoteEventOfTicker } from './ticker-quote-event.js';
