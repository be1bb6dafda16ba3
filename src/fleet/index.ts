export {
  CanaryAgent,
  type AgentStats,
  type CanaryAgentCommonOptions,
  type CanaryAgentOptions,
  type ReportOutcome,
  type TransportAgentOptions,
  type WebSocketAgentOptions,
} from './canary-agent.js';
export type {
  AgentMessage,
  AgentStatus,
  AgentTransport,
  AgentTransportEvents,
} from './agent-transport.js';
export {
  WebSocketAgentTransport,
  type WebSocketAgentTransportOptions,
} from './websocket-agent-transport.js';
export { NatsAgentTransport, type NatsAgentTransportOptions } from './nats-agent-transport.js';
export { ReportOutbox, type OutboxEntry } from './report-outbox.js';
