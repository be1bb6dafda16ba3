/**
 * strategy-canary: roll out a new version of a trading strategy safely.
 *
 * The public surface, grouped as the data flows (README "Architecture"). Feed readers and the
 * bundled strategies also have their own entry points: `strategy-canary/feeds` and
 * `strategy-canary/strategies`.
 */

// Core types and units
export { ARMS, otherArm, type Arm } from './core/arm.js';
export type { Account, RoutingOverride } from './core/account.js';
export {
  referencePrice,
  type MarketEvent,
  type QuoteEvent,
  type Side,
  type TradeEvent,
} from './core/market-event.js';
export type { Order } from './core/order.js';
export type {
  ExecutionReport,
  FillReport,
  RejectReason,
  RejectReport,
} from './core/execution-report.js';
export type { Decision, DecisionAction, DecisionReason } from './core/decision.js';
export type { AccountView, Strategy, StrategyDefinition, TargetPosition } from './core/strategy.js';
export { Decimal, ZERO, isDecimalString, moneyToString } from './core/money.js';
export { EventClock } from './core/event-clock.js';
export { SeededRng } from './core/seeded-rng.js';
export { usToIso } from './core/time.js';
export { CanaryError, ConfigError, FeedError, UsageError, type ErrorCode } from './core/errors.js';

// Routing
export {
  BUCKET_COUNT,
  Router,
  bucketOf,
  candidateOfBucket,
  laneWidth,
  murmur3x86_32,
  weightPctToBps,
  weightBpsToPct,
  type CanaryExposure,
  type RouterOptions,
} from './router/index.js';

// Execution
export {
  DEFAULT_EXECUTION_CONFIG,
  SimulatedBroker,
  SimulatedFill,
  parseInjectSpecs,
  type AccountSubsetFaults,
  type ConditionalFaults,
  type ExecutionConfig,
  type FaultInjection,
  type FaultValues,
  type FillModelDescription,
  type LatencyModel,
  type OutageModel,
} from './execution/index.js';

// Ledger
export {
  EquityCurve,
  Ledger,
  type AccountSnapshot,
  type ArmTotals,
  type LedgerAccount,
  type LedgerAccountView,
} from './ledger/index.js';

// Metrics
export {
  armMetrics,
  type ArmMetrics,
  type MetricsInput,
  type MetricsSnapshot,
} from './metrics/index.js';

// Engine
export { TradingEngine, type ArmActivity } from './engine/trading-engine.js';
export {
  runReplay,
  type ReplayConfig,
  type ReplayHooks,
  type ReplayResult,
} from './engine/run-replay.js';
export type { ArmStrategyConfig, EngineConfig } from './engine/replay-config.js';
export { generateAccounts } from './engine/generate-accounts.js';
export { loadAccountsFile } from './engine/load-accounts-file.js';

// Rollout plans (docs/rollout.md, "Plans")
export {
  loadPlan,
  parsePlan,
  segmentPlan,
  type PlanSegment,
  type PlanSegments,
  type PlanStep,
  type RolloutPlan,
} from './rollout/index.js';

// Embedding in a trading bot
export {
  createCanary,
  type Canary,
  type CanaryAccount,
  type CanaryOptions,
  type CanaryState,
  type CommandOutcome,
  type RejectionCounts,
  type WaitingProposal,
} from './embed/create-canary.js';
export {
  createSegmentedCanary,
  type SegmentedCanary,
  type SegmentedCanaryOptions,
  type SegmentedRecordOptions,
} from './embed/create-segmented-canary.js';
export type {
  BotFill,
  BotOrder,
  BotReject,
  BotReport,
  BotStrategyError,
} from './embed/bot-report.js';
export type { AssignmentChange } from './embed/embedded-books.js';
export type {
  RecordResult,
  ReportRejection,
  ReportRejectionCode,
} from './embed/report-rejection.js';

// Reports
export {
  REPORT_SCHEMA_VERSION,
  renderReportJson,
  type ReportArm,
  type ReportJson,
} from './report/report-json.js';

// Server: telemetry, control and fleet (docs/server.md)
export {
  DEFAULT_LEASE_MS,
  DEFAULT_SERVER_LIMITS,
  createCanaryServer,
  tokenMatches,
  type AckFrame,
  type AssignmentFrame,
  type CanaryServer,
  type CanaryServerOptions,
  type ClientMessage,
  type ClientRole,
  type ClockMessage,
  type CommandMessage,
  type DecisionFrame,
  type ErrorFrame,
  type FleetStatus,
  type HealthBody,
  type HelloMessage,
  type HelloRole,
  type MarketMessage,
  type MetricsFrame,
  type OperatorCommand,
  type RateLimit,
  type ReportMessage,
  type ResultFrame,
  type ServerErrorCode,
  type ServerFrame,
  type ServerLimits,
  type ServerLimitsInput,
  type ServerStats,
  type ServerTokens,
  type StateFrame,
  type WelcomeFrame,
} from './server/index.js';

// The fleet protocol's parsers (docs/server.md, "Protocol"): what a dashboard or a bot reads
export {
  parseClientMessage,
  parseServerFrame,
  type ParsedClientMessage,
  type ParsedServerFrame,
} from './protocol/index.js';

// Webhooks of a rollout's decisions, operator commands and transitions (docs/server.md, "Webhooks")
export {
  notifyWebhooks,
  verifyWebhookSignature,
  webhookSignature,
  WebhookSender,
  type NotifyWebhooksOptions,
  type WebhookEvent,
  type WebhookNotifications,
  type WebhookSenderOptions,
  type WebhookTarget,
} from './notify/index.js';

// Fleet: a bot as the server's agent (docs/server.md, "Fleet")
export {
  CanaryAgent,
  NatsAgentTransport,
  ReportOutbox,
  WebSocketAgentTransport,
  type AgentMessage,
  type AgentStats,
  type AgentStatus,
  type AgentTransport,
  type AgentTransportEvents,
  type CanaryAgentCommonOptions,
  type CanaryAgentOptions,
  type NatsAgentTransportOptions,
  type OutboxEntry,
  type ReportOutcome,
  type TransportAgentOptions,
  type WebSocketAgentOptions,
  type WebSocketAgentTransportOptions,
} from './fleet/index.js';
