// The rollout's public surface: plans, the controller state machine, audit log, persisted state
// (docs/rollout.md).

// plans
export {
  comparisonStepCount,
  PLAN_METRIC_NAMES,
  segmentPlan,
  candidateLanePlan,
  planGuardrailLimits,
  primaryMetricOf,
  stepOnMaxDuration,
  stepPolicies,
  stepRequirements,
  type MetricOverride,
  type OnMaxDuration,
  type PlanMetricName,
  type PlanMetricPolicy,
  type PlanRequirement,
  type PlanSegment,
  type PlanSegments,
  type PlanStep,
  type PositionsPolicy,
  type RolloutPlan,
} from './plan.js';
export {
  DEFAULT_ANALYSIS_INTERVAL_MS,
  DEFAULT_GUARDRAIL_LIMITS,
  DEFAULT_METRIC_ALPHA,
  DEFAULT_ON_MAX_DURATION,
  DEFAULT_PLAN_METRICS,
  DEFAULT_POSITIONS_POLICY,
  GUARDRAIL_LIMIT_NAMES,
  MAX_DURATION_FACTOR,
} from './plan-defaults.js';
export { PlanError, type PlanIssue } from './plan-error.js';
export { parsePlan, planIssues, validatePlan } from './parse-plan.js';
export {
  isPlanPresetName,
  PLAN_PRESET_NAMES,
  PLAN_PRESETS,
  type PlanPresetName,
} from './plan-presets.js';
export { loadPlan, loadPlanFile } from './load-plan-file.js';
export { scalePlan } from './scale-plan.js';
export { sampleIntervalMisfit } from './sample-interval-fit.js';
export {
  TradingCalendar,
  WEEKDAYS,
  calendarIssues,
  type CalendarBlackout,
  type CalendarClosure,
  type CalendarSession,
  type CalendarStatus,
  type PlanCalendar,
  type Weekday,
} from './trading-calendar.js';
export { canonicalJson } from './canonical-json.js';
export { canonicalPlanJson, planHash, sha256Hex } from './plan-hash.js';

// the controller
export type { DecisionProposal, ProposalTrigger } from './decision-proposal.js';
export {
  RolloutController,
  type ControllerOutput,
  type RolloutControllerOptions,
} from './rollout-controller.js';
export {
  commandOfRecord,
  type PromoteCommand,
  type RollbackCommand,
  type RolloutCommand,
  type SetWeightCommand,
} from './rollout-command.js';
export { ROLLOUT_CODES, type RolloutCode } from './rollout-codes.js';
export {
  applyRouterCommand,
  canaryLive,
  routingBeforeTransition,
  syncRouter,
} from './router-sync.js';

// audit log
export type {
  ArmVersions,
  AuditAction,
  AuditDisposition,
  AuditRecord,
  AuditRecordKind,
  OperatorAction,
  RecordDetail,
  RecordTrigger,
  RolloutMode,
  TransitionType,
  VersionChange,
} from './audit-record.js';
export {
  EMPTY_WATERMARK,
  formatAuditEntry,
  parseAuditEntry,
  type AuditEntry,
  type InputWatermark,
  type WatermarkInput,
} from './audit-entry.js';
export { AuditLog, type AuditLogOptions } from './audit-log.js';
export {
  AuditLogLock,
  LOCK_HEARTBEAT_MS,
  LOCK_STALE_MS,
  type LockHolder,
} from './audit-log-lock.js';
export { decisionOfAuditRecord, decisionsOfAuditLog } from './audit-record-decision.js';
export { readAuditLog, type AuditLogContents, type TornLine } from './read-audit-log.js';
export { repairTornLine, type TornLineRepair } from './repair-torn-line.js';

// persisted state and resume
export {
  parseRolloutState,
  type DeploymentRecord,
  type OwedTransition,
  type PendingProposal,
  type QueuedRollback,
  type RolloutStateSnapshot,
  type RolloutStatus,
  type TransitionInProgress,
} from './rollout-state.js';
export { RolloutStateStore } from './rollout-state-store.js';
export type { CanaryState } from './canary-state.js';
export { RolloutSession, type ResumedFrom, type RolloutSessionOptions } from './rollout-session.js';
export {
  loadOperatorScript,
  parseOperatorScript,
  type OperatorCommand,
  type ScriptedOperatorAction,
} from './operator-script.js';
