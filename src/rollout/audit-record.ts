import type { DecisionAction, DecisionReason, GuardrailState } from '../core/decision.js';
import type { PositionsPolicy } from './plan.js';

/** `auto`: decisions apply; `manual`: they wait as proposals for approve / reject. */
export type RolloutMode = 'auto' | 'manual';

/**
 * What a record is about (docs/rollout.md, "Audit log"):
 * - `start`: the operator started the rollout;
 * - `decision`: a proposal from the analysis or a guardrail;
 * - `timeout`: a step passed its maximum duration (the plan's `onMaxDuration`);
 * - `operator`: approve, reject, halt, resume, force-rollback;
 * - `transition`: a weight change, promotion or rollback begins (the engine gets a command);
 * - `transition-complete`: the engine acknowledged it;
 * - `repair`: a torn last line was moved aside (written by `repairTornLine`, not the controller).
 */
export type AuditRecordKind =
  'start' | 'decision' | 'timeout' | 'operator' | 'transition' | 'transition-complete' | 'repair';

/** The operator commands. */
export type OperatorAction = 'approve' | 'reject' | 'halt' | 'resume' | 'force-rollback';

/** The transitions, one command each. */
export type TransitionType = 'set-weight' | 'promote' | 'rollback';

/** A record's action: a decision's, an operator's, a transition's, or `start` / `halt` / `repair`. */
export type AuditAction = DecisionAction | OperatorAction | TransitionType | 'start' | 'repair';

/**
 * What became of the record's input:
 * - `applied`: took effect (a hold is applied by changing nothing);
 * - `proposed`: manual mode: waits for approve / reject, `seq` is its id;
 * - `queued`: a rollback accepted while a transition is in progress; it starts when that one
 *   completes;
 * - `refused`: not acted on; `detail.code` says why.
 */
export type AuditDisposition = 'applied' | 'proposed' | 'queued' | 'refused';

/** Who or what caused the record. */
export type RecordTrigger = 'analysis' | 'guardrail' | 'operator' | 'max-duration';

/** A stable code and a sentence: why a record was refused, an operator's reason, a note. */
export interface RecordDetail {
  readonly code: string;
  readonly message: string;
}

/** The version each arm runs; `canary` is null when no canary is live. */
export interface ArmVersions {
  readonly stable: string;
  readonly canary: string | null;
}

/** The arms' versions before and after a transition. */
export interface VersionChange {
  readonly from: ArmVersions;
  readonly to: ArmVersions;
}

/**
 * One line of the audit log as the controller produces it (the log adds `configHash` and the
 * input `watermark`, see `AuditEntry`). Deterministic: event time only.
 */
export interface AuditRecord {
  /** 1, 2, 3… without gaps; a proposal's id is its `seq`. */
  readonly seq: number;
  /** Event time, µs. */
  readonly tsUs: number;
  /** The same event time as ISO 8601 with µs. */
  readonly at: string;
  readonly kind: AuditRecordKind;
  readonly action: AuditAction;
  readonly disposition: AuditDisposition;
  /** The controller's mode; null only in a `repair` record of a log with no earlier entry. */
  readonly mode: RolloutMode | null;
  readonly trigger: RecordTrigger | null;
  /** The controller's step after the record (for a transition: the step it moves to); null before start. */
  readonly stepIndex: number | null;
  /** A proposal's own step (the step its analysis was evaluated at), else null. */
  readonly evaluatedStepIndex: number | null;
  /** Canary weight before and after the record, percent (equal unless it is a transition). */
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** The record this one answers: the proposal approved / rejected / superseded, a transition's cause. */
  readonly ref: number | null;
  readonly detail: RecordDetail | null;
  /** Transitions: the positions policy the command carries; else null. */
  readonly positions: PositionsPolicy | null;
  /** Transitions: the version each arm runs before and once it is applied; else null. */
  readonly versions: VersionChange | null;
  /** Evidence, as given by the proposal (empty for operator commands and transitions). */
  readonly reasons: readonly DecisionReason[];
  readonly guardrails: readonly GuardrailState[];
}
