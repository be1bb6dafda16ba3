/** The seeded synthetic market-data generator (docs/synthetic-feed.md). */
export { syntheticEvents } from './synthetic-events.js';
export { writeSyntheticFeed, type SyntheticFeedSummary } from './write-synthetic-feed.js';
export {
  checkSyntheticFeedFormat,
  SYNTHETIC_FEED_FORMATS,
  type SyntheticFeedFileOptions,
  type SyntheticFeedFormat,
} from './synthetic-feed-format.js';
export { formatBinanceCsvTradesLine } from './binance-csv-trades-line.js';
export {
  DEFAULT_EXCITATION,
  DEFAULT_SYNTHETIC_FEED_PARAMETERS,
  DEFAULT_VOLATILITY_REGIMES,
  type ExcitationKernel,
  type SyntheticFeedOptions,
  type VolatilityRegime,
} from './synthetic-feed-options.js';
export { SyntheticMarket } from './synthetic-market.js';
export {
  resolveSyntheticFeedOptions,
  type ResolvedSyntheticFeedOptions,
} from './resolve-synthetic-feed-options.js';
