export {
  CanaryAgent,
  type AgentStats,
  type AgentStatus,
  type CanaryAgentOptions,
  type ReportOutcome,
} from './canary-agent.js';
export { ReportOutbox, type OutboxEntry } from './report-outbox.js';
