import type { Arm } from '../core/arm.js';
import type { DecisionReason, GuardrailState } from '../core/decision.js';
import { ConfigError } from '../core/errors.js';
import { usToIso } from '../core/time.js';
import { weightBpsToPct, weightPctToBps } from '../router/index.js';
import type {
  ArmVersions,
  AuditAction,
  AuditDisposition,
  AuditRecord,
  AuditRecordKind,
  RecordDetail,
  RecordTrigger,
  RolloutMode,
  VersionChange,
} from './audit-record.js';
import type { DecisionProposal } from './decision-proposal.js';
import { PlanError } from './plan-error.js';
import { planHash } from './plan-hash.js';
import { stepOnMaxDuration, type PlanStep, type RolloutPlan } from './plan.js';
import { commandOfRecord, type RolloutCommand } from './rollout-command.js';
import { ROLLOUT_CODES } from './rollout-codes.js';
import { TradingCalendar, type CalendarStatus } from './trading-calendar.js';
import {
  parseRolloutState,
  type DeploymentRecord,
  type OwedTransition,
  type PendingProposal,
  type QueuedRollback,
  type RolloutStateSnapshot,
  type RolloutStatus,
  type TransitionInProgress,
} from './rollout-state.js';

/** Options of a new {@link RolloutController}. */
export interface RolloutControllerOptions {
  readonly plan: RolloutPlan;
  readonly mode: RolloutMode;
  /** The version deployed (on every account) before the canary: the only rollback target. */
  readonly stableVersion: string;
  /** The version under test (may carry the stable's label in an A/A run). */
  readonly canaryVersion: string;
  /**
   * Record every hold and every refused proposal (default false: only when it differs from the
   * previous such record, so an analysis looking after every batch does not flood the log).
   */
  readonly recordRepeats?: boolean;
  /**
   * Keep a `promote` the analysis proposes waiting for `approve` even in auto mode (an A/B/n
   * candidate's lane: only the candidate chosen among the survivors is promoted, the others are
   * rolled back; docs/rollout.md, "Several candidates"). Default false.
   */
  readonly holdPromotion?: boolean;
}

/**
 * What one call produced: the audit records to append (in order, each flushed before anything
 * is applied) and the commands for the engine (one per `transition` record).
 */
export interface ControllerOutput {
  readonly records: readonly AuditRecord[];
  readonly commands: readonly RolloutCommand[];
}

const EMPTY_OUTPUT: ControllerOutput = Object.freeze({
  records: Object.freeze([]),
  commands: Object.freeze([]),
});

const NO_REASONS: readonly DecisionReason[] = Object.freeze([]);
const NO_GUARDRAILS: readonly GuardrailState[] = Object.freeze([]);
const FULL_BPS = 10_000;

interface State {
  status: RolloutStatus;
  stepIndex: number | null;
  weightBps: number;
  stepStartUs: number | null;
  halted: boolean;
  haltReason: string | null;
  transition: TransitionInProgress | null;
  pending: PendingProposal | null;
  queuedRollback: QueuedRollback | null;
  owed: OwedTransition | null;
  maxDurationFired: boolean;
  lastNoteKey: string | null;
  lastSeq: number;
  lastTsUs: number | null;
  versions: ArmVersions;
  deployments: DeploymentRecord[];
}

interface Draft {
  readonly kind: AuditRecordKind;
  readonly action: AuditAction;
  readonly disposition: AuditDisposition;
  readonly trigger: RecordTrigger | null;
  readonly evaluatedStepIndex?: number | null;
  readonly ref?: number | null;
  readonly detail?: RecordDetail | null;
  readonly reasons?: readonly DecisionReason[];
  readonly guardrails?: readonly GuardrailState[];
}

/**
 * The rollout state machine (docs/rollout.md). Deterministic and driven by event time only: every
 * input carries `nowUs` (integer µs, never decreasing), and the controller has no clock.
 *
 * Each input returns the audit records it produced and the commands for the engine. The state is
 * a fold over the records: every change goes through the one function that also replays a log on
 * resume, so a controller restored from a snapshot plus the log's later records is identical to
 * one that never stopped.
 *
 * Rules it keeps (each a test): the weight is always the current step's (0 before start and after
 * rollback, 100 % after promotion); no advance without a proposal evaluated at the current step;
 * at most one transition in progress (advances arriving meanwhile are refused, rollbacks are
 * queued and start when it completes); rollbacks go only to the version deployed before the
 * canary; while halted nothing advances (guardrail rollbacks still apply).
 *
 * @example
 * const c = new RolloutController({ plan: PLAN_PRESETS.short, mode: 'auto', stableVersion: 'v1', canaryVersion: 'v2' });
 * const { records, commands } = c.start(t0); // append records, then apply commands, then:
 * c.transitionComplete(t0);
 */
export class RolloutController {
  readonly plan: RolloutPlan;
  readonly mode: RolloutMode;
  readonly stableVersion: string;
  readonly canaryVersion: string;
  readonly recordRepeats: boolean;
  readonly #holdPromotion: boolean;
  readonly #planHash: string;
  readonly #calendar: TradingCalendar | null;
  readonly #s: State;
  #out: AuditRecord[] = [];

  constructor(options: RolloutControllerOptions) {
    if (options.stableVersion === '' || options.canaryVersion === '')
      throw new TypeError('stableVersion and canaryVersion must be non-empty');
    if (options.plan.segments !== undefined)
      throw new PlanError(options.plan.source, [
        {
          path: 'segments',
          message:
            "a plan with segments runs one rollout per segment (replay runs them); a single rollout takes one segment's plan (segmentPlan) or a plan without segments",
        },
      ]);
    this.plan = options.plan;
    this.mode = options.mode;
    this.stableVersion = options.stableVersion;
    this.canaryVersion = options.canaryVersion;
    this.recordRepeats = options.recordRepeats ?? false;
    this.#holdPromotion = options.holdPromotion ?? false;
    this.#planHash = planHash(options.plan);
    this.#calendar =
      options.plan.calendar === undefined ? null : new TradingCalendar(options.plan.calendar);
    this.#s = {
      status: 'pending',
      stepIndex: null,
      weightBps: 0,
      stepStartUs: null,
      halted: false,
      haltReason: null,
      transition: null,
      pending: null,
      queuedRollback: null,
      owed: null,
      maxDurationFired: false,
      lastNoteKey: null,
      lastSeq: 0,
      lastTsUs: null,
      versions: { stable: options.stableVersion, canary: null },
      deployments: [{ version: options.stableVersion, arm: 'stable', fromUs: null, toUs: null }],
    };
  }

  /**
   * A controller in the state of `snapshot`, for `plan` (which must hash as the snapshot says).
   * Throws a `ConfigError` `E_ROLLOUT_STATE` when the snapshot is malformed or contradicts itself
   * or the plan (weight not the step's, history without the deployed stable, …).
   */
  static restore(snapshot: unknown, plan: RolloutPlan, where = 'rollout state'): RolloutController {
    const snap = parseRolloutState(snapshot, where);
    const controller = new RolloutController({
      plan,
      mode: snap.mode,
      stableVersion: snap.stableVersion,
      canaryVersion: snap.canaryVersion,
      recordRepeats: snap.recordRepeats,
    });
    if (snap.planHash !== controller.#planHash)
      throw stateError(
        where,
        `planHash: the state was written for another plan (${snap.planHash.slice(0, 12)}…, this plan is ${controller.#planHash.slice(0, 12)}…)`,
      );
    const s = controller.#s;
    s.status = snap.status;
    s.stepIndex = snap.stepIndex;
    s.weightBps = snap.weightBps;
    s.stepStartUs = snap.stepStartUs;
    s.halted = snap.halted;
    s.haltReason = snap.haltReason;
    s.transition = snap.transition;
    s.pending = snap.pending;
    s.queuedRollback = snap.queuedRollback;
    s.owed = snap.owed;
    s.maxDurationFired = snap.maxDurationFired;
    s.lastNoteKey = snap.lastNoteKey;
    s.lastSeq = snap.lastSeq;
    s.lastTsUs = snap.lastTsUs;
    s.versions = snap.versions;
    s.deployments = snap.deployments.map((d) => ({ ...d }));
    const problem = controller.#inconsistency();
    if (problem !== null) throw stateError(where, problem);
    return controller;
  }

  // ---- view ---------------------------------------------------------------------------------

  get status(): RolloutStatus {
    return this.#s.status;
  }

  /**
   * Current step (0-based), the last one after promotion or rollback; null before start (and after
   * a rollback before it).
   */
  get stepIndex(): number | null {
    return this.#s.stepIndex;
  }

  /** The current step of the plan, or null before start. */
  get step(): PlanStep | null {
    const i = this.#s.stepIndex;
    return i === null ? null : (this.plan.steps[i] ?? null);
  }

  /** Canary weight the router must have now, bps (the step's; 0 / 10000 when over). */
  get weightBps(): number {
    return this.#s.weightBps;
  }

  /** {@link weightBps} in percent. */
  get weightPct(): number {
    return weightBpsToPct(this.#s.weightBps);
  }

  /** Event time the current step began (its weight took effect), µs; null before start. */
  get stepStartUs(): number | null {
    return this.#s.stepStartUs;
  }

  /** The plan's trading calendar at `nowUs` (open, or why closed and until when); null without one. */
  calendarStatus(nowUs: number): CalendarStatus | null {
    return this.#calendar?.status(nowUs) ?? null;
  }

  /**
   * How long the current step has lasted at `nowUs`, ms, as its minimum duration counts it: event
   * time, or the calendar's open time when the plan says `durations: 'open'`. 0 before the first
   * step.
   */
  stepElapsedMs(nowUs: number): number {
    return this.#stepElapsedUs(nowUs, false) / 1000;
  }

  /** What {@link stepElapsedMs} counts: open time when the plan's calendar says so. */
  get stepElapsedCounts(): 'event time' | 'open time' {
    return this.#calendar?.countsOpenTimeOnly === true ? 'open time' : 'event time';
  }

  /**
   * The current step's age in µs, event time or open time. A maximum counts open time whenever
   * the plan has a calendar: a step that the calendar holds is not undecided, and a canary is not
   * halted or rolled back because the market was closed.
   */
  #stepElapsedUs(nowUs: number, forMaximum: boolean): number {
    const startUs = this.#s.stepStartUs;
    if (startUs === null) return 0;
    const calendar = this.#calendar;
    return calendar !== null && (forMaximum || calendar.countsOpenTimeOnly)
      ? calendar.openUsBetween(startUs, nowUs)
      : nowUs - startUs;
  }

  get halted(): boolean {
    return this.#s.halted;
  }

  get haltReason(): string | null {
    return this.#s.haltReason;
  }

  /** The transition waiting for `transitionComplete`, or null. */
  get transition(): TransitionInProgress | null {
    return this.#s.transition;
  }

  /** The proposal waiting for approve / reject, or null. */
  get pendingProposal(): PendingProposal | null {
    return this.#s.pending;
  }

  /** A rollback accepted during a transition, or null. */
  get queuedRollback(): QueuedRollback | null {
    return this.#s.queuedRollback;
  }

  /** True when the log holds a record whose transition record is missing (see `finishInterrupted`). */
  get interrupted(): boolean {
    return this.#s.owed !== null;
  }

  /** Seq of the last record produced or replayed (0 before any). */
  get lastSeq(): number {
    return this.#s.lastSeq;
  }

  /** Event time of the last record, µs; null before any. */
  get lastTsUs(): number | null {
    return this.#s.lastTsUs;
  }

  /** The version each arm runs now. */
  get versions(): ArmVersions {
    return this.#s.versions;
  }

  /** Which version ran on which arm, and when (in order; the first is the pre-rollout stable). */
  get deployments(): readonly DeploymentRecord[] {
    return this.#s.deployments;
  }

  /** The version an account routed to `arm` runs now (null: no canary is live). */
  versionOf(arm: Arm): string | null {
    return arm === 'stable' ? this.#s.versions.stable : this.#s.versions.canary;
  }

  /** The version a rollback returns to: the stable deployed before the canary, while one is live. */
  get rollbackTarget(): string {
    return this.#openDeployment('stable')?.version ?? this.stableVersion;
  }

  /** sha256 of the plan this controller runs. */
  get planHash(): string {
    return this.#planHash;
  }

  // ---- inputs -------------------------------------------------------------------------------

  /**
   * Operator: begin the rollout at the first step (shadow or weight). Refused while halted (a halt
   * before the start holds it until `resume`).
   */
  start(nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    if (this.#s.status !== 'pending')
      this.#emit(nowUs, {
        kind: 'start',
        action: 'start',
        disposition: 'refused',
        trigger: 'operator',
        detail: detail(ROLLOUT_CODES.ALREADY_STARTED, 'the rollout has already started'),
      });
    else if (this.#s.halted)
      this.#emit(nowUs, {
        kind: 'start',
        action: 'start',
        disposition: 'refused',
        trigger: 'operator',
        detail: detail(ROLLOUT_CODES.HALTED, `halted: ${this.#s.haltReason ?? ''}`),
      });
    else {
      this.#emit(nowUs, {
        kind: 'start',
        action: 'start',
        disposition: 'applied',
        trigger: 'operator',
        detail: detail(
          ROLLOUT_CODES.START,
          `rollout of ${this.canaryVersion} over ${this.stableVersion}, plan ${this.plan.name}, ${this.mode} mode`,
        ),
      });
      this.#settle(nowUs);
    }
    return this.#finish();
  }

  /**
   * A proposal of the analysis or of a guardrail check. `auto`: applied when allowed; `manual`:
   * recorded as a proposal waiting for approve / reject. A guardrail rollback applies at once in
   * every mode. Rollbacks apply halted or not and are queued behind a transition in progress;
   * they are never stale (the evidence is cumulative, and rolling back is the safe direction).
   * Advances are refused unless evaluated at the current step, with no transition in progress,
   * no rollback waiting or queued, and not halted.
   */
  onDecision(proposal: DecisionProposal, nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    assertProposal(proposal);
    const s = this.#s;
    const { action } = proposal;
    const base = {
      kind: 'decision' as const,
      action,
      trigger: proposal.trigger,
      evaluatedStepIndex: proposal.stepIndex,
      reasons: proposal.reasons,
      guardrails: proposal.guardrails,
    };
    const over = this.#notRunning();
    if (over !== null) this.#note(nowUs, { ...base, disposition: 'refused', detail: over });
    else if (action === 'hold') {
      this.#note(nowUs, { ...base, disposition: 'applied' });
      this.#checkMaxDuration(nowUs);
    } else if (action === 'rollback') {
      if (s.queuedRollback !== null)
        this.#note(nowUs, { ...base, disposition: 'refused', detail: ROLLBACK_QUEUED });
      else if (proposal.trigger === 'guardrail' || this.mode === 'auto')
        this.#rollback(nowUs, base);
      else if (s.pending?.action === 'rollback')
        this.#note(nowUs, { ...base, disposition: 'refused', detail: alreadyPending(s.pending) });
      else this.#emit(nowUs, { ...base, disposition: 'proposed', ref: s.pending?.id ?? null });
    } else {
      const refusal = this.#advanceRefusal(action, proposal.stepIndex, false, nowUs);
      if (refusal !== null) this.#note(nowUs, { ...base, disposition: 'refused', detail: refusal });
      else if (this.mode === 'manual' || (action === 'promote' && this.#holdPromotion)) {
        if (s.pending !== null)
          this.#note(nowUs, { ...base, disposition: 'refused', detail: alreadyPending(s.pending) });
        else this.#emit(nowUs, { ...base, disposition: 'proposed' });
      } else {
        this.#emit(nowUs, { ...base, disposition: 'applied' });
        this.#settle(nowUs);
      }
    }
    return this.#finish();
  }

  /**
   * Operator: apply the waiting proposal `id`. An advance is re-checked as if it arrived now
   * (refused while halted or during a transition; it stays waiting); a rollback applies, or is
   * queued behind a transition in progress. `note`, when given, is the applied record's reason
   * (an A/B/n rollout's choice of the candidate, with the ranking).
   */
  approve(id: number, nowUs: number, note?: string): ControllerOutput {
    this.#begin(nowUs);
    const pending = this.#s.pending;
    const base = {
      kind: 'operator' as const,
      action: 'approve' as const,
      trigger: 'operator' as const,
      ref: validId(id),
    };
    const why = note === undefined ? {} : { detail: detail(ROLLOUT_CODES.OPERATOR, note) };
    if (pending === null || pending.id !== id)
      this.#emit(nowUs, { ...base, disposition: 'refused', detail: noSuchProposal(id, pending) });
    else if (pending.action === 'rollback') this.#rollback(nowUs, base);
    else {
      const refusal = this.#advanceRefusal(pending.action, pending.evaluatedStepIndex, true, nowUs);
      if (refusal !== null) this.#emit(nowUs, { ...base, disposition: 'refused', detail: refusal });
      else {
        this.#emit(nowUs, { ...base, disposition: 'applied', ...why });
        this.#settle(nowUs);
      }
    }
    return this.#finish();
  }

  /** Operator: drop the waiting proposal `id` (nothing changes). */
  reject(id: number, reason: string, nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    const pending = this.#s.pending;
    const base = {
      kind: 'operator' as const,
      action: 'reject' as const,
      trigger: 'operator' as const,
      ref: validId(id),
    };
    if (pending === null || pending.id !== id)
      this.#emit(nowUs, { ...base, disposition: 'refused', detail: noSuchProposal(id, pending) });
    else
      this.#emit(nowUs, {
        ...base,
        disposition: 'applied',
        detail: detail(ROLLOUT_CODES.OPERATOR, reason),
      });
    return this.#finish();
  }

  /**
   * Operator: stop every automatic advance until `resume` (rollbacks still apply); before the start
   * (a plan's baseline), the start too.
   */
  halt(reason: string, nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    const base = {
      kind: 'operator' as const,
      action: 'halt' as const,
      trigger: 'operator' as const,
    };
    const over = this.#over();
    if (over !== null) this.#emit(nowUs, { ...base, disposition: 'refused', detail: over });
    else if (this.#s.halted)
      this.#emit(nowUs, {
        ...base,
        disposition: 'refused',
        detail: detail(ROLLOUT_CODES.ALREADY_HALTED, `already halted: ${this.#s.haltReason ?? ''}`),
      });
    else
      this.#emit(nowUs, {
        ...base,
        disposition: 'applied',
        detail: detail(ROLLOUT_CODES.OPERATOR, reason),
      });
    return this.#finish();
  }

  /** Operator: lift a halt. The step's clock is not reset; its max-duration action does not fire again. */
  resume(nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    const base = {
      kind: 'operator' as const,
      action: 'resume' as const,
      trigger: 'operator' as const,
    };
    if (!this.#s.halted)
      this.#emit(nowUs, {
        ...base,
        disposition: 'refused',
        detail: detail(ROLLOUT_CODES.NOT_HALTED, 'not halted'),
      });
    else this.#emit(nowUs, { ...base, disposition: 'applied' });
    return this.#finish();
  }

  /**
   * Operator: roll back now, in any mode, halted or not. During a transition in progress it is
   * queued (no second transition starts) and begins the moment that one completes. Before the start
   * (a plan's baseline) it ends the rollout with no account ever on the canary. `toVersion`, when
   * given, must be the version deployed before the canary, else the command is refused.
   */
  forceRollback(reason: string, nowUs: number, toVersion?: string): ControllerOutput {
    this.#begin(nowUs);
    const base = {
      kind: 'operator' as const,
      action: 'force-rollback' as const,
      trigger: 'operator' as const,
      detail: detail(ROLLOUT_CODES.OPERATOR, reason),
    };
    const refusal = this.#over() ?? this.#rollbackTargetRefusal(toVersion);
    if (refusal !== null) this.#emit(nowUs, { ...base, disposition: 'refused', detail: refusal });
    else if (this.#s.queuedRollback !== null)
      this.#emit(nowUs, { ...base, disposition: 'refused', detail: ROLLBACK_QUEUED });
    else this.#rollback(nowUs, base);
    return this.#finish();
  }

  /**
   * The engine's acknowledgement that the transition in progress is done (accounts moved,
   * positions flattened or handed off). A queued rollback starts in the same call. Throws when no
   * transition is in progress (an engine bug, not an input).
   */
  transitionComplete(nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    const transition = this.#s.transition;
    if (transition === null) throw new Error('transitionComplete: no transition in progress');
    this.#emit(nowUs, {
      kind: 'transition-complete',
      action: transition.type,
      disposition: 'applied',
      trigger: null,
      ref: transition.seq,
      detail: detail(
        ROLLOUT_CODES.TRANSITION_COMPLETE,
        `${transition.type} ${transition.fromWeightPct} % → ${transition.toWeightPct} % done`,
      ),
    });
    this.#settle(nowUs);
    return this.#finish();
  }

  /** Event time passes: applies the step's `onMaxDuration` once it is due (also checked on every hold). */
  tick(nowUs: number): ControllerOutput {
    this.#begin(nowUs);
    this.#checkMaxDuration(nowUs);
    return this.#finish();
  }

  // ---- persistence --------------------------------------------------------------------------

  /** The whole state as a JSON-able object (see `RolloutStateStore`). */
  snapshot(): RolloutStateSnapshot {
    const s = this.#s;
    return {
      type: 'rollout-state',
      formatVersion: 1,
      planHash: this.#planHash,
      mode: this.mode,
      recordRepeats: this.recordRepeats,
      stableVersion: this.stableVersion,
      canaryVersion: this.canaryVersion,
      status: s.status,
      stepIndex: s.stepIndex,
      weightBps: s.weightBps,
      stepStartUs: s.stepStartUs,
      halted: s.halted,
      haltReason: s.haltReason,
      transition: s.transition,
      pending: s.pending,
      queuedRollback: s.queuedRollback,
      owed: s.owed,
      maxDurationFired: s.maxDurationFired,
      lastNoteKey: s.lastNoteKey,
      lastSeq: s.lastSeq,
      lastTsUs: s.lastTsUs,
      versions: s.versions,
      deployments: s.deployments.map((d) => ({ ...d })),
    };
  }

  /**
   * Applies one record read back from the audit log (resume: the records after the snapshot's
   * `lastSeq`). Throws a `ConfigError` `E_ROLLOUT_STATE` when the record does not follow from the
   * current state (gap in seq, time going back, a transition that was not owed, weights that do
   * not match…).
   */
  replay(record: AuditRecord): void {
    try {
      this.#apply(record);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw stateError(`audit record ${record.seq}`, (error as Error).message);
    }
  }

  /**
   * After a replay that ended between a record and the transition it implies (a crash between
   * the two appends): writes that transition now, at the last record's event time, exactly as
   * the uninterrupted run did. Returns nothing when nothing is owed.
   */
  finishInterrupted(): ControllerOutput {
    const s = this.#s;
    if (s.owed === null || s.lastTsUs === null) return EMPTY_OUTPUT;
    this.#out = [];
    this.#settle(s.lastTsUs);
    return this.#finish();
  }

  // ---- internals ----------------------------------------------------------------------------

  #begin(nowUs: number): void {
    const s = this.#s;
    if (!Number.isSafeInteger(nowUs) || nowUs < 0)
      throw new RangeError(`event time must be a non-negative integer of µs, got ${String(nowUs)}`);
    if (s.lastTsUs !== null && nowUs < s.lastTsUs)
      throw new RangeError(`event time went back: ${nowUs} µs after ${s.lastTsUs} µs`);
    if (s.owed !== null)
      throw new Error('an interrupted transition must be finished first (finishInterrupted)');
    this.#out = [];
  }

  #finish(): ControllerOutput {
    const records = this.#out;
    if (records.length === 0) return EMPTY_OUTPUT;
    this.#out = [];
    const commands: RolloutCommand[] = [];
    for (const record of records) {
      const command = commandOfRecord(record);
      if (command !== null) commands.push(command);
    }
    return { records, commands };
  }

  #notRunning(): RecordDetail | null {
    if (this.#s.status === 'pending')
      return detail(ROLLOUT_CODES.NOT_STARTED, 'the rollout has not started');
    return this.#over();
  }

  #over(): RecordDetail | null {
    const status = this.#s.status;
    if (status === 'promoted' || status === 'rolled_back')
      return detail(ROLLOUT_CODES.ROLLOUT_OVER, `the rollout is over (${status})`);
    return null;
  }

  #advanceRefusal(
    action: 'increase' | 'promote',
    evaluatedStepIndex: number | null,
    approving: boolean,
    nowUs: number,
  ): RecordDetail | null {
    const s = this.#s;
    const over = this.#notRunning();
    if (over !== null) return over;
    const current = s.stepIndex ?? 0;
    const last = this.plan.steps.length - 1;
    if (s.transition !== null)
      return detail(
        ROLLOUT_CODES.TRANSITION_IN_PROGRESS,
        `a ${s.transition.type} transition (record ${s.transition.seq}) is in progress`,
      );
    if (evaluatedStepIndex !== current)
      return detail(
        ROLLOUT_CODES.STALE_STEP,
        `evaluated at step ${String(evaluatedStepIndex)}, the rollout is at step ${current}`,
      );
    if (action === 'increase' && current === last)
      return detail(ROLLOUT_CODES.LAST_STEP, 'the last step is left by promote, not increase');
    if (action === 'promote' && current !== last)
      return detail(
        ROLLOUT_CODES.NOT_LAST_STEP,
        `promote only from the last step (${last}), the rollout is at step ${current}`,
      );
    if (s.queuedRollback !== null) return ROLLBACK_QUEUED;
    if (!approving && s.pending?.action === 'rollback')
      return detail(
        ROLLOUT_CODES.ROLLBACK_PENDING,
        `rollback proposal ${s.pending.id} waits for the operator`,
      );
    if (s.halted) return detail(ROLLOUT_CODES.HALTED, `halted: ${s.haltReason ?? ''}`);
    return this.#calendarRefusal(nowUs);
  }

  /** CALENDAR_CLOSED while the plan's trading calendar is closed at `nowUs`, else null. */
  #calendarRefusal(nowUs: number): RecordDetail | null {
    const closure = this.#calendar?.closure(nowUs) ?? null;
    if (closure === null) return null;
    const calendar = this.#calendar as TradingCalendar;
    const why =
      closure.blackout === null ? 'outside the trading sessions' : `blackout "${closure.blackout}"`;
    const until =
      closure.opensUs === null
        ? 'it never opens again'
        : `until ${calendar.localTime(closure.opensUs)}`;
    return detail(
      ROLLOUT_CODES.CALENDAR_CLOSED,
      `the trading calendar is closed: ${why}, ${until}`,
    );
  }

  #rollbackTargetRefusal(toVersion: string | undefined): RecordDetail | null {
    if (toVersion === undefined || toVersion === this.rollbackTarget) return null;
    const everDeployed = this.#s.deployments.some((d) => d.version === toVersion);
    return everDeployed
      ? detail(
          ROLLOUT_CODES.ROLLBACK_TARGET_NOT_PREVIOUS,
          `${toVersion} is not the version deployed before the canary (${this.rollbackTarget})`,
        )
      : detail(
          ROLLOUT_CODES.ROLLBACK_TARGET_NEVER_DEPLOYED,
          `${toVersion} was never deployed; a rollback returns to ${this.rollbackTarget}`,
        );
  }

  /** A rollback input that is allowed: applied now, or queued behind the transition in progress. */
  #rollback(nowUs: number, draft: Omit<Draft, 'disposition'>): void {
    if (this.#s.transition !== null) this.#emit(nowUs, { ...draft, disposition: 'queued' });
    else {
      this.#emit(nowUs, { ...draft, disposition: 'applied' });
      this.#settle(nowUs);
    }
  }

  #checkMaxDuration(nowUs: number): void {
    const s = this.#s;
    if (
      (s.status !== 'shadow' && s.status !== 'step') ||
      s.halted ||
      s.transition !== null ||
      s.queuedRollback !== null ||
      s.pending !== null ||
      s.maxDurationFired ||
      s.stepIndex === null ||
      s.stepStartUs === null
    )
      return;
    const step = this.plan.steps[s.stepIndex];
    if (step === undefined || step.maxDurationMs === null) return;
    const maxUs = Math.round(step.maxDurationMs * 1_000);
    if (this.#stepElapsedUs(nowUs, true) < maxUs) return;
    const onMax = stepOnMaxDuration(this.plan, s.stepIndex);
    const note = detail(
      ROLLOUT_CODES.MAX_DURATION,
      `step ${s.stepIndex} (${step.name}) undecided after its maximum of ${step.maxDurationMs} ms${this.#calendar === null ? '' : ' of open time'}: ${
        onMax === 'halt' ? 'halted for an operator (resume or roll back)' : 'rollback'
      }`,
    );
    const base = { kind: 'timeout' as const, trigger: 'max-duration' as const, detail: note };
    if (onMax === 'halt') this.#emit(nowUs, { ...base, action: 'halt', disposition: 'applied' });
    else if (this.mode === 'manual')
      this.#emit(nowUs, { ...base, action: 'rollback', disposition: 'proposed' });
    else {
      this.#emit(nowUs, { ...base, action: 'rollback', disposition: 'applied' });
      this.#settle(nowUs);
    }
  }

  /** Emits a record that changes nothing (a hold, a refused proposal) unless it repeats the last one. */
  #note(nowUs: number, draft: Draft): void {
    if (!this.recordRepeats) {
      const key = noteKey(
        draft.action,
        draft.disposition,
        draft.detail ?? null,
        draft.evaluatedStepIndex ?? null,
        draft.reasons ?? NO_REASONS,
      );
      if (key === this.#s.lastNoteKey) return;
    }
    this.#emit(nowUs, draft);
  }

  /** Emits the transition record a just-applied record implies. */
  #settle(nowUs: number): void {
    const s = this.#s;
    const owed = s.owed;
    if (owed === null) return;
    const plan = this.plan;
    const from = s.versions;
    switch (owed.type) {
      case 'start':
      case 'increase': {
        const target = owed.type === 'start' ? 0 : (s.stepIndex ?? 0) + 1;
        const step = plan.steps[target] as PlanStep;
        const to: ArmVersions = { stable: from.stable, canary: this.canaryVersion };
        this.#emit(nowUs, {
          kind: 'transition',
          action: 'set-weight',
          disposition: 'applied',
          trigger: owed.trigger,
          ref: owed.causeSeq,
          detail: detail(
            ROLLOUT_CODES.SET_WEIGHT,
            `weight ${weightBpsToPct(s.weightBps)} % → ${step.weightPct} %: step ${target} (${step.name})${step.weightPct === 0 ? ', shadow' : ''}`,
          ),
          transition: { stepIndex: target, toWeightPct: step.weightPct, versions: { from, to } },
        });
        return;
      }
      case 'promote': {
        const to: ArmVersions = { stable: this.canaryVersion, canary: this.canaryVersion };
        this.#emit(nowUs, {
          kind: 'transition',
          action: 'promote',
          disposition: 'applied',
          trigger: owed.trigger,
          ref: owed.causeSeq,
          detail: detail(
            ROLLOUT_CODES.PROMOTE,
            `${this.canaryVersion} becomes the stable for every account (was ${from.stable})`,
          ),
          transition: { stepIndex: s.stepIndex ?? 0, toWeightPct: 100, versions: { from, to } },
        });
        return;
      }
      case 'rollback': {
        const to: ArmVersions = { stable: this.rollbackTarget, canary: null };
        this.#emit(nowUs, {
          kind: 'transition',
          action: 'rollback',
          disposition: 'applied',
          trigger: owed.trigger,
          ref: owed.causeSeq,
          detail: detail(
            ROLLOUT_CODES.ROLLBACK,
            `every account back to ${to.stable}; ${from.canary ?? 'the canary'} taken down`,
          ),
          transition: { stepIndex: s.stepIndex, toWeightPct: 0, versions: { from, to } },
        });
        return;
      }
    }
  }

  #emit(
    nowUs: number,
    draft: Draft & {
      readonly transition?: {
        readonly stepIndex: number | null;
        readonly toWeightPct: number;
        readonly versions: VersionChange;
      };
    },
  ): void {
    const s = this.#s;
    const fromWeightPct = weightBpsToPct(s.weightBps);
    const t = draft.transition;
    const record: AuditRecord = {
      seq: s.lastSeq + 1,
      tsUs: nowUs,
      at: usToIso(nowUs),
      kind: draft.kind,
      action: draft.action,
      disposition: draft.disposition,
      mode: this.mode,
      trigger: draft.trigger,
      stepIndex: t !== undefined ? t.stepIndex : s.stepIndex,
      evaluatedStepIndex: draft.evaluatedStepIndex ?? null,
      fromWeightPct,
      toWeightPct: t !== undefined ? t.toWeightPct : fromWeightPct,
      ref: draft.ref ?? null,
      detail: draft.detail ?? null,
      positions: t !== undefined ? this.plan.positions : null,
      versions: t !== undefined ? t.versions : null,
      reasons: draft.reasons ?? NO_REASONS,
      guardrails: draft.guardrails ?? NO_GUARDRAILS,
    };
    this.#apply(record);
    this.#out.push(record);
  }

  /**
   * The fold: the only place the state changes, for live inputs and for replayed records alike.
   * Checks that the record follows from the state; a violation is a bug (live) or a log that does
   * not belong to this state (replay).
   */
  #apply(r: AuditRecord): void {
    const s = this.#s;
    const fail = (message: string): never => {
      throw stateError(`audit record ${r.seq}`, message);
    };
    if (r.seq !== s.lastSeq + 1) fail(`expected seq ${s.lastSeq + 1}`);
    if (!Number.isSafeInteger(r.tsUs) || (s.lastTsUs !== null && r.tsUs < s.lastTsUs))
      fail(`event time ${r.tsUs} goes back from ${String(s.lastTsUs)}`);
    const weightPct = weightBpsToPct(s.weightBps);
    if (r.fromWeightPct !== weightPct)
      fail(`fromWeightPct ${r.fromWeightPct} but the weight is ${weightPct} %`);
    if (r.kind !== 'transition' && r.toWeightPct !== weightPct)
      fail(`a ${r.kind} record cannot change the weight`);
    if (s.owed !== null && r.kind !== 'transition' && r.kind !== 'repair')
      fail(`a ${s.owed.type} transition (cause ${s.owed.causeSeq}) is owed first`);
    const applied = r.disposition === 'applied';
    switch (r.kind) {
      case 'start':
        if (applied) {
          if (s.status !== 'pending') fail('start of a rollout that already started');
          if (s.halted) fail('start while halted');
          s.owed = { type: 'start', causeSeq: r.seq, trigger: 'operator' };
        }
        s.lastNoteKey = null;
        break;
      case 'decision':
        this.#applyDecision(r, fail);
        break;
      case 'timeout':
        s.maxDurationFired = true;
        s.lastNoteKey = null;
        if (r.action === 'halt' && applied) {
          s.halted = true;
          s.haltReason = r.detail?.message ?? 'maximum duration';
        } else if (r.action === 'rollback' && applied)
          s.owed = { type: 'rollback', causeSeq: r.seq, trigger: 'max-duration' };
        else if (r.action === 'rollback' && r.disposition === 'proposed') s.pending = pendingOf(r);
        else fail(`unexpected timeout record ${r.action}/${r.disposition}`);
        break;
      case 'operator':
        this.#applyOperator(r, fail);
        break;
      case 'transition':
        this.#applyTransition(r, fail);
        break;
      case 'transition-complete': {
        const t = s.transition;
        if (t === null || r.ref !== t.seq) fail('completes no transition in progress');
        s.transition = null;
        s.lastNoteKey = null;
        const queued = s.queuedRollback;
        if (queued !== null) {
          s.owed = { type: 'rollback', causeSeq: queued.seq, trigger: queued.trigger };
          s.queuedRollback = null;
        }
        break;
      }
      case 'repair':
        break;
    }
    s.lastSeq = r.seq;
    s.lastTsUs = r.tsUs;
  }

  #applyDecision(r: AuditRecord, fail: (message: string) => never): void {
    const s = this.#s;
    switch (r.disposition) {
      case 'applied':
        if (r.action === 'hold') {
          // A newer analysis that no longer passes voids a waiting advance (never a rollback).
          if (s.pending !== null && s.pending.action !== 'rollback') s.pending = null;
          s.lastNoteKey = noteKeyOf(r);
          return;
        }
        if (r.action !== 'increase' && r.action !== 'promote' && r.action !== 'rollback')
          fail(`unknown decision action ${r.action}`);
        if (r.action !== 'rollback') this.#assertAdvanceAllowed(r.evaluatedStepIndex, fail);
        s.owed = {
          type: r.action,
          causeSeq: r.seq,
          trigger: r.trigger,
        };
        s.lastNoteKey = null;
        return;
      case 'proposed':
        s.pending = pendingOf(r);
        s.lastNoteKey = null;
        return;
      case 'queued':
        if (s.transition === null) fail('a rollback is queued only behind a transition');
        s.queuedRollback = { seq: r.seq, trigger: r.trigger ?? 'analysis', queuedUs: r.tsUs };
        s.pending = null;
        s.lastNoteKey = null;
        return;
      case 'refused':
        s.lastNoteKey = noteKeyOf(r);
        return;
    }
  }

  /** The fold's own guard: an advance applies only fresh, unhalted, between transitions. */
  #assertAdvanceAllowed(evaluatedStepIndex: number | null, fail: (message: string) => never): void {
    const s = this.#s;
    if (s.status !== 'shadow' && s.status !== 'step') fail(`advance from ${s.status}`);
    if (evaluatedStepIndex !== s.stepIndex)
      fail(`advance evaluated at step ${String(evaluatedStepIndex)}, not ${String(s.stepIndex)}`);
    if (s.transition !== null) fail('advance during a transition');
    if (s.halted) fail('advance while halted');
  }

  #applyOperator(r: AuditRecord, fail: (message: string) => never): void {
    const s = this.#s;
    s.lastNoteKey = null;
    if (r.disposition === 'refused') return;
    switch (r.action) {
      case 'approve': {
        const pending = s.pending;
        if (pending === null || pending.id !== r.ref) return fail('approves no waiting proposal');
        if (pending.action !== 'rollback')
          this.#assertAdvanceAllowed(pending.evaluatedStepIndex, fail);
        s.pending = null;
        if (r.disposition === 'queued') {
          if (s.transition === null) fail('a rollback is queued only behind a transition');
          s.queuedRollback = { seq: r.seq, trigger: 'operator', queuedUs: r.tsUs };
        } else s.owed = { type: pending.action, causeSeq: r.seq, trigger: 'operator' };
        return;
      }
      case 'reject':
        if (s.pending === null || s.pending.id !== r.ref) fail('rejects no waiting proposal');
        s.pending = null;
        return;
      case 'halt':
        s.halted = true;
        s.haltReason = r.detail?.message ?? '';
        return;
      case 'resume':
        s.halted = false;
        s.haltReason = null;
        return;
      case 'force-rollback':
        if (r.disposition === 'queued') {
          if (s.transition === null) fail('a rollback is queued only behind a transition');
          s.queuedRollback = { seq: r.seq, trigger: 'operator', queuedUs: r.tsUs };
          s.pending = null;
        } else s.owed = { type: 'rollback', causeSeq: r.seq, trigger: 'operator' };
        return;
      default:
        fail(`unknown operator action ${r.action}`);
    }
  }

  #applyTransition(r: AuditRecord, fail: (message: string) => never): void {
    const s = this.#s;
    const owed = s.owed;
    if (owed === null || owed.causeSeq !== r.ref) return fail('a transition nothing asked for');
    if (s.transition !== null) fail(`transition ${s.transition.seq} is still in progress`);
    if (s.queuedRollback !== null) fail('a queued rollback must start first');
    const versions = r.versions;
    if (versions === null || r.positions === null) return fail('a transition without versions');
    if (!sameVersions(versions.from, s.versions))
      fail(
        `versions.from does not match the arms (${s.versions.stable}, ${String(s.versions.canary)})`,
      );
    const last = this.plan.steps.length - 1;
    switch (r.action) {
      case 'set-weight': {
        if (owed.type !== 'start' && owed.type !== 'increase')
          fail(`a set-weight for ${owed.type}`);
        const target = owed.type === 'start' ? 0 : (s.stepIndex ?? -1) + 1;
        const step = this.plan.steps[target];
        if (step === undefined || r.stepIndex !== target || r.toWeightPct !== step.weightPct)
          return fail(`set-weight must go to step ${target}`);
        if (owed.type === 'increase' && s.status !== 'shadow' && s.status !== 'step')
          fail(`increase from ${s.status}`);
        if (versions.to.stable !== s.versions.stable || versions.to.canary !== this.canaryVersion)
          fail(`set-weight must run ${this.canaryVersion} on the canary arm`);
        if (owed.type === 'start')
          s.deployments.push({
            version: this.canaryVersion,
            arm: 'canary',
            fromUs: r.tsUs,
            toUs: null,
          });
        s.status = step.weightPct === 0 ? 'shadow' : 'step';
        s.stepIndex = target;
        s.weightBps = weightPctToBps(step.weightPct);
        s.stepStartUs = r.tsUs;
        s.maxDurationFired = false;
        break;
      }
      case 'promote': {
        if (owed.type !== 'promote') fail(`a promote for ${owed.type}`);
        if ((s.status !== 'step' && s.status !== 'shadow') || s.stepIndex !== last)
          fail('promote only from the last step');
        if (r.toWeightPct !== 100 || versions.to.stable !== this.canaryVersion)
          fail(`promote must make ${this.canaryVersion} the stable at 100 %`);
        this.#closeDeployment('stable', r.tsUs);
        this.#closeDeployment('canary', r.tsUs);
        s.deployments.push({
          version: this.canaryVersion,
          arm: 'stable',
          fromUs: r.tsUs,
          toUs: null,
        });
        s.status = 'promoted';
        s.weightBps = FULL_BPS;
        break;
      }
      case 'rollback': {
        if (owed.type !== 'rollback') fail(`a rollback for ${owed.type}`);
        // From pending: an operator's rollback before the start (a plan's baseline).
        const pending = s.status === 'pending';
        if (s.status !== 'step' && s.status !== 'shadow' && !pending)
          fail(`rollback from ${s.status}`);
        const deployed = this.#openDeployment('stable');
        const canary = this.#openDeployment('canary');
        // Never to a version that was not deployed: the stable live before the canary began.
        if (
          deployed === undefined ||
          versions.to.stable !== deployed.version ||
          (canary === undefined) !== pending ||
          (canary !== undefined &&
            deployed.fromUs !== null &&
            canary.fromUs !== null &&
            deployed.fromUs > canary.fromUs)
        )
          fail(
            `rollback target ${versions.to.stable} is not the version deployed before the canary`,
          );
        if (r.toWeightPct !== 0 || versions.to.canary !== null) fail('rollback must end at 0 %');
        this.#closeDeployment('canary', r.tsUs);
        s.status = 'rolled_back';
        s.weightBps = 0;
        break;
      }
      default:
        fail(`unknown transition ${r.action}`);
    }
    const command = commandOfRecord(r) as RolloutCommand;
    s.transition = {
      seq: r.seq,
      type: r.action,
      fromWeightPct: r.fromWeightPct,
      toWeightPct: r.toWeightPct,
      startedUs: r.tsUs,
      command,
    };
    s.versions = versions.to;
    s.owed = null;
    s.pending = null;
    s.lastNoteKey = null;
  }

  #openDeployment(arm: Arm): DeploymentRecord | undefined {
    const list = this.#s.deployments;
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i] as DeploymentRecord;
      if (d.arm === arm && d.toUs === null) return d;
    }
    return undefined;
  }

  #closeDeployment(arm: Arm, tsUs: number): void {
    const list = this.#s.deployments;
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i] as DeploymentRecord;
      if (d.arm === arm && d.toUs === null) list[i] = { ...d, toUs: tsUs };
    }
  }

  /** A description of what is wrong with a restored state, or null. */
  #inconsistency(): string | null {
    const s = this.#s;
    const steps = this.plan.steps;
    const last = steps.length - 1;
    if (s.status === 'pending') {
      if (s.stepIndex !== null || s.weightBps !== 0 || s.transition !== null)
        return 'status: pending with a step, a weight or a transition';
    } else if (s.stepIndex === null ? s.status !== 'rolled_back' : s.stepIndex > last)
      return `stepIndex: ${String(s.stepIndex)} is not a step of the plan (0..${last})`;
    const step = s.stepIndex === null ? undefined : steps[s.stepIndex];
    const expectedBps =
      s.status === 'promoted'
        ? FULL_BPS
        : s.status === 'rolled_back' || s.status === 'pending' || step === undefined
          ? 0
          : weightPctToBps(step.weightPct);
    if (s.weightBps !== expectedBps)
      return `weightBps: ${s.weightBps} but ${s.status} at step ${String(s.stepIndex)} means ${expectedBps}`;
    if (s.status === 'shadow' && step?.weightPct !== 0)
      return 'status: shadow on a step with weight';
    if (s.status === 'step' && step?.weightPct === 0) return 'status: step on the shadow step';
    if (s.status === 'promoted' && s.stepIndex !== last)
      return 'status: promoted before the last step';
    if (s.lastSeq === 0 && s.status !== 'pending') return 'lastSeq: 0 after start';
    const stable = this.#openDeployment('stable');
    if (stable === undefined) return 'deployments: no version deployed on the stable arm';
    if (stable.version !== s.versions.stable)
      return `deployments: the stable arm runs ${s.versions.stable} but the history says ${stable.version}`;
    if (
      !s.deployments.some(
        (d) => d.version === this.stableVersion && d.arm === 'stable' && d.fromUs === null,
      )
    )
      return `deployments: ${this.stableVersion} was never deployed before the rollout`;
    const canary = this.#openDeployment('canary');
    const canaryLive = s.status === 'shadow' || s.status === 'step';
    if (
      canaryLive !== (canary !== undefined) ||
      (canary !== undefined && canary.version !== s.versions.canary)
    )
      return 'deployments: the canary arm does not match the status';
    if (canaryLive && s.versions.canary !== this.canaryVersion)
      return `versions: the canary arm runs ${String(s.versions.canary)}, not ${this.canaryVersion}`;
    if (s.status === 'promoted' && s.versions.stable !== this.canaryVersion)
      return 'versions: promoted but the stable arm does not run the canary version';
    if (
      s.status === 'rolled_back' &&
      (s.versions.stable !== this.stableVersion || s.versions.canary !== null)
    )
      return `versions: rolled back but not to ${this.stableVersion}`;
    if (s.queuedRollback !== null && s.transition === null)
      return 'queuedRollback: without a transition in progress';
    if (s.transition !== null && s.transition.toWeightPct !== weightBpsToPct(s.weightBps))
      return 'transition: does not end at the current weight';
    return null;
  }
}

const ROLLBACK_QUEUED: RecordDetail = {
  code: ROLLOUT_CODES.ROLLBACK_QUEUED,
  message: 'a rollback is queued behind the transition in progress',
};

function detail(code: string, message: string): RecordDetail {
  return { code, message };
}

function alreadyPending(pending: PendingProposal): RecordDetail {
  return detail(
    ROLLOUT_CODES.PROPOSAL_ALREADY_PENDING,
    `proposal ${pending.id} (${pending.action}) already waits for the operator`,
  );
}

function noSuchProposal(id: number, pending: PendingProposal | null): RecordDetail {
  return detail(
    ROLLOUT_CODES.NO_SUCH_PROPOSAL,
    pending === null
      ? `no proposal waits (asked for ${id})`
      : `proposal ${id} does not wait; proposal ${pending.id} (${pending.action}) does`,
  );
}

/** A proposal id as the log can carry it (a positive integer), else null. */
function validId(id: number): number | null {
  return Number.isSafeInteger(id) && id >= 1 ? id : null;
}

function pendingOf(r: AuditRecord): PendingProposal {
  return {
    id: r.seq,
    action: r.action as PendingProposal['action'],
    evaluatedStepIndex: r.evaluatedStepIndex,
    trigger: r.trigger ?? 'analysis',
    proposedUs: r.tsUs,
    reasons: r.reasons,
    guardrails: r.guardrails,
  };
}

function sameVersions(a: ArmVersions, b: ArmVersions): boolean {
  return a.stable === b.stable && a.canary === b.canary;
}

function noteKey(
  action: AuditAction,
  disposition: AuditDisposition,
  note: RecordDetail | null,
  evaluatedStepIndex: number | null,
  reasons: readonly DecisionReason[],
): string {
  let key = `${action}|${disposition}|${note?.code ?? ''}|${String(evaluatedStepIndex)}|`;
  for (const reason of reasons) key += `${reason.code},`;
  return key;
}

function noteKeyOf(r: AuditRecord): string {
  return noteKey(r.action, r.disposition, r.detail, r.evaluatedStepIndex, r.reasons);
}

function stateError(where: string, message: string): ConfigError {
  return new ConfigError('E_ROLLOUT_STATE', `${where}: ${message}`);
}

const ACTIONS: readonly string[] = ['increase', 'promote', 'hold', 'rollback'];

function assertProposal(p: DecisionProposal): void {
  if (
    p === null ||
    typeof p !== 'object' ||
    p.type !== 'decision-proposal' ||
    !ACTIONS.includes(p.action) ||
    !Number.isInteger(p.stepIndex) ||
    (p.trigger !== 'analysis' && p.trigger !== 'guardrail') ||
    !Array.isArray(p.reasons) ||
    !Array.isArray(p.guardrails)
  )
    throw new TypeError(`not a decision proposal: ${JSON.stringify(p)}`);
}
