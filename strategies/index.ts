/**
 * strategy-canary's strategies: the bundled definitions, the registry, the loader for user
 * modules, and the contract a strategy implements (docs/strategies.md).
 */

// The contract
export type {
  AccountView,
  Strategy,
  StrategyDefinition,
  TargetPosition,
} from '../src/core/strategy.js';
export type { MarketEvent, QuoteEvent, TradeEvent } from '../src/core/market-event.js';
export { referencePrice } from '../src/core/market-event.js';

// Bundled strategies
export {
  momentumV1,
  momentumV1ParamsSchema,
  type MomentumV1Params,
} from './momentum/momentum-v1.js';
export {
  momentumV2,
  momentumV2ParamsSchema,
  type MomentumV2Params,
} from './momentum/momentum-v2.js';
export { MomentumStrategy, type MomentumSettings } from './momentum/momentum-strategy.js';
export {
  meanReversionV1,
  meanReversionV1ParamsSchema,
  type MeanReversionV1Params,
} from './mean-reversion/mean-reversion-v1.js';
export {
  MeanReversionStrategy,
  type MeanReversionSettings,
} from './mean-reversion/mean-reversion-strategy.js';

// Registry and loading
export {
  BUNDLED_STRATEGIES,
  getStrategyDefinition,
  listStrategies,
  listStrategyIds,
} from './registry.js';
export { loadStrategyDefinition, type LoadStrategyOptions } from './load-strategy.js';
export {
  createStrategy,
  createStrategyFromParsed,
  parseStrategyParams,
} from './create-strategy.js';
export { strategyId } from './strategy-id.js';
export {
  isStrategyDefinition,
  strategyDefinitionProblems,
  strategyProblems,
} from './validate-strategy.js';

// Helpers for writing strategies
export { sizeByExposure } from './shared/size-by-exposure.js';
