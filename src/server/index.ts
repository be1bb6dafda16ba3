/** The telemetry, control and fleet server of a rollout (docs/server.md). */
export {
  createCanaryServer,
  type CanaryServer,
  type CanaryServerOptions,
  type HealthBody,
  type ServerStats,
} from './create-canary-server.js';
export type { ServerTokens } from './server-tokens.js';
export { DEFAULT_LEASE_MS, type FleetStatus } from './nats-fleet.js';
export type { ClientRole } from '../protocol/index.js';
export {
  DEFAULT_SERVER_LIMITS,
  type RateLimit,
  type ServerLimits,
  type ServerLimitsInput,
} from './server-limits.js';
export type {
  ClientMessage,
  ClockMessage,
  CommandMessage,
  HelloMessage,
  HelloRole,
  MarketMessage,
  OperatorCommand,
  ReportMessage,
} from '../protocol/index.js';
export type {
  AckFrame,
  AssignmentFrame,
  DecisionFrame,
  ErrorFrame,
  MetricsFrame,
  ResultFrame,
  ServerErrorCode,
  ServerFrame,
  StateFrame,
  WelcomeFrame,
} from '../protocol/index.js';
export { tokenMatches } from './token-matches.js';
