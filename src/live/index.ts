/**
 * Live mode: a bot with simulated execution that trades the bundled (or your) strategies on a
 * live feed as an agent of a rollout's server (examples/live-bot.ts puts the pieces together).
 */
export type { MarketSink, ReportSink, RoutingSource } from './agent-ports.js';
export { loadArmStrategies, type ArmStrategySpecs } from '../engine/load-arm-strategies.js';
export { botExecutionOf, botOrderOf, botStrategyErrorOf } from './bot-reports.js';
export { describeDecision, type HeardDecision } from './describe-decision.js';
export {
  driveFeed,
  type DriveFeedOptions,
  type DriveFeedResult,
  type FeedEnd,
  type FeedPacer,
} from './drive-feed.js';
export { liveAccounts, type LiveAccountsSpec } from './live-accounts.js';
export { MarketForwarder } from './market-forwarder.js';
export { tapOrders } from './order-tap.js';
export {
  applyRoutingState,
  routingStateOf,
  sameRouting,
  type RoutingState,
} from './routing-state.js';
export {
  SimulatedBot,
  type BotArmCounts,
  type SimulatedBotOptions,
  type SimulatedBotStats,
} from './simulated-bot.js';
