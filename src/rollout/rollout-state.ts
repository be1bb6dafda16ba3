import { z } from 'zod';
import type { Arm } from '../core/arm.js';
import type { DecisionReason, GuardrailState } from '../core/decision.js';
import { ConfigError } from '../core/errors.js';
import type { ArmVersions, RecordTrigger, RolloutMode, TransitionType } from './audit-record.js';
import type { RolloutCommand } from './rollout-command.js';

/**
 * Where a rollout is: `pending` (not started, weight 0), `shadow` (step 0 at weight 0: the canary
 * trades on paper), `step` (a step with canary weight > 0), then one of the terminal states
 * `promoted` (weight 100 %, the canary is the stable) or `rolled_back` (weight 0, kill switch on).
 * `halted` is a separate flag (docs/rollout.md, "State machine").
 */
export type RolloutStatus = 'pending' | 'shadow' | 'step' | 'promoted' | 'rolled_back';

/** A transition whose command the engine has not acknowledged yet. */
export interface TransitionInProgress {
  /** Seq of its `transition` record. */
  readonly seq: number;
  readonly type: TransitionType;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  readonly startedUs: number;
  /** The command to (re-)apply, e.g. after a restart. */
  readonly command: RolloutCommand;
}

/** A proposal waiting for the operator (manual mode). */
export interface PendingProposal {
  /** Its record's seq: pass it to `approve` / `reject`. */
  readonly id: number;
  readonly action: 'increase' | 'promote' | 'rollback';
  readonly evaluatedStepIndex: number | null;
  readonly trigger: RecordTrigger;
  readonly proposedUs: number;
  readonly reasons: readonly DecisionReason[];
  readonly guardrails: readonly GuardrailState[];
}

/** A rollback accepted during a transition: it starts when that transition completes. */
export interface QueuedRollback {
  /** Seq of the record that queued it. */
  readonly seq: number;
  readonly trigger: RecordTrigger;
  readonly queuedUs: number;
}

/**
 * A transition a logged record implies but whose own record is not logged yet (a crash between
 * the two lines); `finishInterrupted` writes it. Never set between calls of a live controller.
 */
export interface OwedTransition {
  readonly type: 'start' | 'increase' | 'promote' | 'rollback';
  readonly causeSeq: number;
  readonly trigger: RecordTrigger | null;
}

/** One version's time on one arm; `fromUs` is null for the version deployed before the rollout. */
export interface DeploymentRecord {
  readonly version: string;
  readonly arm: Arm;
  readonly fromUs: number | null;
  readonly toUs: number | null;
}

/** The controller's whole state as JSON: `RolloutController.snapshot()` / `.restore()`. */
export interface RolloutStateSnapshot {
  readonly type: 'rollout-state';
  readonly formatVersion: 1;
  /** `planHash` of the plan the rollout runs; a restore with another plan is refused. */
  readonly planHash: string;
  readonly mode: RolloutMode;
  readonly recordRepeats: boolean;
  /** The version deployed before the rollout, and the canary under test. */
  readonly stableVersion: string;
  readonly canaryVersion: string;
  readonly status: RolloutStatus;
  readonly stepIndex: number | null;
  readonly weightBps: number;
  readonly stepStartUs: number | null;
  readonly halted: boolean;
  readonly haltReason: string | null;
  readonly transition: TransitionInProgress | null;
  readonly pending: PendingProposal | null;
  readonly queuedRollback: QueuedRollback | null;
  readonly owed: OwedTransition | null;
  readonly maxDurationFired: boolean;
  readonly lastNoteKey: string | null;
  /** Seq of the last audit record applied: must match the audit log's. */
  readonly lastSeq: number;
  readonly lastTsUs: number | null;
  readonly versions: ArmVersions;
  readonly deployments: readonly DeploymentRecord[];
}

const tsUs = z.number().int().min(0);
const nullableTsUs = tsUs.nullable();
const trigger = z.enum(['analysis', 'guardrail', 'operator', 'max-duration']);
const positions = z.enum(['flatten', 'handoff']);
const weightPct = z.number().min(0).max(100);
const reason = z.looseObject({ code: z.string() });
const guardrail = z.looseObject({ name: z.string() });

const command = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('set-weight'),
    transitionSeq: z.number().int().min(1),
    stepIndex: z.number().int().min(0),
    fromWeightPct: weightPct,
    toWeightPct: weightPct,
    fromWeightBps: z.number().int().min(0).max(10_000),
    toWeightBps: z.number().int().min(0).max(10_000),
    shadow: z.boolean(),
    positions,
  }),
  z.strictObject({
    type: z.literal('promote'),
    transitionSeq: z.number().int().min(1),
    fromWeightPct: weightPct,
    toWeightPct: z.literal(100),
    version: z.string(),
    replacedVersion: z.string(),
    positions,
  }),
  z.strictObject({
    type: z.literal('rollback'),
    transitionSeq: z.number().int().min(1),
    fromWeightPct: weightPct,
    toWeightPct: z.literal(0),
    toVersion: z.string(),
    fromVersion: z.string(),
    positions,
  }),
]);

const snapshotSchema = z.strictObject({
  type: z.literal('rollout-state'),
  formatVersion: z.literal(1),
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  mode: z.enum(['auto', 'manual']),
  recordRepeats: z.boolean(),
  stableVersion: z.string().min(1),
  canaryVersion: z.string().min(1),
  status: z.enum(['pending', 'shadow', 'step', 'promoted', 'rolled_back']),
  stepIndex: z.number().int().min(0).nullable(),
  weightBps: z.number().int().min(0).max(10_000),
  stepStartUs: nullableTsUs,
  halted: z.boolean(),
  haltReason: z.string().nullable(),
  transition: z
    .strictObject({
      seq: z.number().int().min(1),
      type: z.enum(['set-weight', 'promote', 'rollback']),
      fromWeightPct: weightPct,
      toWeightPct: weightPct,
      startedUs: tsUs,
      command,
    })
    .nullable(),
  pending: z
    .strictObject({
      id: z.number().int().min(1),
      action: z.enum(['increase', 'promote', 'rollback']),
      evaluatedStepIndex: z.number().int().min(0).nullable(),
      trigger,
      proposedUs: tsUs,
      reasons: z.array(reason),
      guardrails: z.array(guardrail),
    })
    .nullable(),
  queuedRollback: z
    .strictObject({ seq: z.number().int().min(1), trigger, queuedUs: tsUs })
    .nullable(),
  owed: z
    .strictObject({
      type: z.enum(['start', 'increase', 'promote', 'rollback']),
      causeSeq: z.number().int().min(1),
      trigger: trigger.nullable(),
    })
    .nullable(),
  maxDurationFired: z.boolean(),
  lastNoteKey: z.string().nullable(),
  lastSeq: z.number().int().min(0),
  lastTsUs: nullableTsUs,
  versions: z.strictObject({ stable: z.string().min(1), canary: z.string().min(1).nullable() }),
  deployments: z.array(
    z.strictObject({
      version: z.string().min(1),
      arm: z.enum(['stable', 'canary']),
      fromUs: nullableTsUs,
      toUs: nullableTsUs,
    }),
  ),
});

/**
 * Checks the shape of a snapshot read from JSON (every field, types, ranges). Throws a
 * `ConfigError` `E_ROLLOUT_STATE` naming `where` and the bad fields; the controller's `restore`
 * checks the meaning (weights against the plan, history, pending transitions).
 */
export function parseRolloutState(input: unknown, where: string): RolloutStateSnapshot {
  const result = snapshotSchema.safeParse(input);
  if (result.success) return result.data as RolloutStateSnapshot;
  const parts: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.length === 0 ? '(state)' : issue.path.map(String).join('.');
    parts.push(`${path}: ${issue.message}`);
  }
  throw new ConfigError('E_ROLLOUT_STATE', `${where}: invalid rollout state: ${parts.join('; ')}`);
}
