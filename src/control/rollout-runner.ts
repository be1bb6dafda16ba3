import { rmSync } from 'node:fs';
import { Subject, type Subscription } from 'rxjs';
import {
  ArmComparison,
  decideStep,
  Guardrails,
  NaiveThresholdJudge,
  type GuardrailView,
  type NaiveVerdict,
} from '../analysis/index.js';
import type { Decision } from '../core/decision.js';
import type { MetricsInput } from '../metrics/index.js';
import {
  AuditLog,
  decisionOfAuditRecord,
  EMPTY_WATERMARK,
  planGuardrailLimits,
  RolloutController,
  stepPolicies,
  stepRequirements,
  type AuditRecord,
  type ControllerOutput,
  type InputWatermark,
  type OperatorCommand,
  type RolloutCommand,
  type RolloutMode,
  type RolloutPlan,
  type RolloutSession,
} from '../rollout/index.js';
import type { RolloutHost } from './rollout-host.js';

/** How a rollout runs on top of a trading engine. */
export interface RolloutRunOptions {
  readonly plan: RolloutPlan;
  readonly mode: RolloutMode;
  /** `name@version` of each arm's strategy (the same in an A/A run). */
  readonly stableVersion: string;
  readonly canaryVersion: string;
  /** Where the audit log goes (truncated first: a replay is a fresh run), or null to keep it in memory. */
  readonly auditPath: string | null;
  /**
   * A persisted session (audit log and state file, resumed when they exist) instead of
   * `auditPath`: the runner drives its controller and commits every output to it.
   */
  readonly session?: RolloutSession;
  /** sha256 of the run's configuration, written on every audit line. */
  readonly configHash: string;
  /** The input watermark for each audit line (files and how far the replay has read). */
  readonly watermark?: () => InputWatermark;
  /** Judge the same data by seed 004's threshold rules too (the calibration's baseline). */
  readonly naiveBaseline?: boolean;
  /** Keep the analysis's promote waiting for approve in auto mode (an A/B/n candidate's lane). */
  readonly holdPromotion?: boolean;
  /**
   * Told, instead of the error escaping from the host's streams (where rxjs reports it on a timer,
   * out of the caller's reach), when acting on an input throws: an audit line or the state could
   * not be written. The runner then acts on nothing more. Without it, the error is thrown on.
   */
  readonly onFailure?: (error: unknown) => void;
}

/** What seed 004's threshold rules would have said, first time each way. */
export interface NaiveOutcome {
  readonly firstRollbackTsUs: number | null;
  readonly firstAdvanceTsUs: number | null;
  readonly lastVerdict: NaiveVerdict | null;
}

/**
 * What an operator command did: `applied`, or refused (not allowed now: a stale proposal, a
 * resume when not halted, a transition in progress…) with the controller's reason code.
 */
export interface OperatorOutcome {
  readonly applied: boolean;
  readonly refusal: { readonly code: string; readonly message: string } | null;
}

/** How a rollout ended (or where the data left it). */
export type RolloutOutcome = 'promoted' | 'rolled_back' | 'halted' | 'in_progress';

/**
 * Runs a rollout plan on a {@link RolloutHost} (the replay's trading engine, or a bot's books): the analysis (anytime-valid comparison, evaluated each
 * time a paired bucket or interval completes, and at every analysis boundary) and the guardrails (checked on every canary
 * execution report and equity sample) propose decisions; the rollout controller applies them (or
 * records them as proposals in manual mode) and commands the engine (weights, shadow, promotion,
 * rollback); every decision and transition is appended to the audit log, flushed, before it takes
 * effect.
 */
export class RolloutRunner {
  readonly controller: RolloutController;
  /** Every audit record, in order. */
  readonly records: AuditRecord[] = [];
  /** Each decision as it is taken (report form), for printing as it happens. */
  readonly decision$ = new Subject<Decision>();
  /** Each audit record once it is written (before its commands are applied), for notifications. */
  readonly record$ = new Subject<AuditRecord>();

  readonly #engine: RolloutHost;
  readonly #options: RolloutRunOptions;
  readonly #comparison: ArmComparison;
  readonly #guardrails: Guardrails;
  readonly #naive: NaiveThresholdJudge | null;
  readonly #log: AuditLog | null;
  readonly #session: RolloutSession | null;
  readonly #subscriptions: Subscription[] = [];
  #naiveOutcome: { firstRollbackTsUs: number | null; firstAdvanceTsUs: number | null } = {
    firstRollbackTsUs: null,
    firstAdvanceTsUs: null,
  };
  #lastNaive: NaiveVerdict | null = null;
  #stepIndexSeen: number | null = null;
  #canaryFillsAtStepStart = 0;
  /** The step the comparison's step-scope sequences belong to. */
  #comparisonStep: number | null = null;
  /** New evidence since the last evaluation (a paired bucket or interval completed). */
  #evaluationDue = false;
  /** The latest event time the rollout acted at (see `#actingTime`). */
  #actedAtUs = 0;
  #started = false;
  /** While the plan's baseline runs (every account on stable): the event time it ends, µs. */
  #baselineEndsUs: number | null = null;
  readonly #decisions: Decision[] = [];
  /** Acting on an input threw (told to `onFailure`): nothing more is acted on. */
  #failed = false;

  constructor(engine: RolloutHost, options: RolloutRunOptions) {
    this.#engine = engine;
    this.#options = options;
    this.#guardrails = new Guardrails(planGuardrailLimits(options.plan));
    this.#comparison = new ArmComparison({ intervalMs: options.plan.analysisIntervalMs });
    this.#naive = options.naiveBaseline === true ? new NaiveThresholdJudge() : null;
    this.#session = options.session ?? null;
    if (this.#session !== null && options.auditPath !== null) {
      throw new RangeError('a rollout runs with a session or an audit path, not both');
    }
    if (options.auditPath !== null) rmSync(options.auditPath, { force: true }); // a fresh run
    this.#log =
      options.auditPath === null
        ? null
        : // A replay's log: its run directory is staged and moved into place whole, no line of it
          // is acted on for real, so a line needs no fsync of its own (AuditLogOptions).
          AuditLog.open(options.auditPath, { configHash: options.configHash, syncEachLine: false });
    this.controller =
      this.#session?.controller ??
      new RolloutController({
        plan: options.plan,
        mode: options.mode,
        stableVersion: options.stableVersion,
        canaryVersion: options.canaryVersion,
        ...(options.holdPromotion === true ? { holdPromotion: true } : {}),
      });
    engine.positionsPolicy = options.plan.positions;
    engine.holdAllOnStable();
    this.#subscriptions.push(
      engine.metricsInput$.subscribe((input) => this.#guarded(() => this.#onInput(input))),
      engine.transitionComplete$.subscribe((tsUs) =>
        this.#guarded(() =>
          this.#handle(this.controller.transitionComplete(this.#actingTime(tsUs))),
        ),
      ),
    );
  }

  /** Runs what an input of the host's streams calls for, its failure told to `onFailure`. */
  #guarded(act: () => void): void {
    const onFailure = this.#options.onFailure;
    if (onFailure === undefined) {
      act();
      return;
    }
    if (this.#failed) return;
    try {
      act();
    } catch (error) {
      this.#failed = true;
      onFailure(error);
    }
  }

  /**
   * Starts the rollout (call before the first market event is processed): at the first step, or,
   * when the plan has a baseline, once `baselineMs` of event time have passed with every account
   * on stable (the analysis learns each account's own effect meanwhile). Operator commands apply
   * during the baseline: after a halt the first step waits for `resume`; a rollback ends the
   * rollout before it.
   */
  start(nowUs: number): void {
    if (this.#started || this.#baselineEndsUs !== null) return;
    this.#engine.clock.advance(nowUs);
    const baselineMs = this.#options.plan.baselineMs ?? 0;
    if (baselineMs > 0) {
      this.#comparison.startBaseline(nowUs);
      this.#baselineEndsUs = nowUs + baselineMs * 1000;
      return;
    }
    this.#begin(nowUs);
  }

  /**
   * True while the plan's baseline runs, or has run and a halt holds the first step: the rollout
   * has not started it yet (nor been rolled back).
   */
  get inBaseline(): boolean {
    return this.#baselineEndsUs !== null;
  }

  #begin(nowUs: number): void {
    this.#started = true;
    this.#handle(this.controller.start(nowUs));
  }

  /**
   * Resumes a persisted rollout (a session opened on an existing state or log) instead of
   * `start`: the host's router must already be in the controller's state (`syncRouter`); the
   * commands `recovered` still owes are applied, or else the transition still in progress (a
   * crash came before its acknowledgement) is applied again and acknowledged.
   */
  resume(recovered: ControllerOutput): void {
    if (this.#started) return;
    this.#started = true;
    this.#engine.positionsPolicy = this.#options.plan.positions;
    this.#syncComparisonStep();
    const cutShort = this.controller.transition;
    const commands =
      recovered.commands.length > 0 || cutShort === null ? recovered.commands : [cutShort.command];
    for (const command of commands) this.#apply(command);
  }

  /**
   * Records and applies what an operator call on `controller` produced (approve, reject, halt,
   * resume, force-rollback): audited first, then the commands go to the host.
   */
  handle(output: ControllerOutput): void {
    this.#handle(output);
  }

  /**
   * Runs an operator call on the controller at event time `nowUs` (audited and applied like any
   * other output) and says whether it took effect.
   */
  operate(
    action: (controller: RolloutController, nowUs: number) => ControllerOutput,
    nowUs: number,
  ): OperatorOutcome {
    const output = action(this.controller, nowUs);
    this.#handle(output);
    const refused = output.records.find((r) => r.disposition === 'refused');
    if (refused !== undefined) {
      return {
        applied: false,
        refusal: refused.detail ?? { code: 'REFUSED', message: `${refused.action} refused` },
      };
    }
    return output.records.length > 0
      ? { applied: true, refusal: null }
      : { applied: false, refusal: { code: 'NO_CHANGE', message: 'nothing to change' } };
  }

  /** A scripted operator's command (`replay --operator`), at event time `nowUs`. */
  operateScripted(command: OperatorCommand, nowUs: number): OperatorOutcome {
    return this.operate((controller, now) => {
      switch (command.action) {
        case 'halt':
          return controller.halt(command.reason, now);
        case 'resume':
          return controller.resume(now);
        case 'rollback':
          return controller.forceRollback(command.reason, now);
        case 'approve':
          return controller.approve(command.id!, now);
        case 'reject':
          return controller.reject(command.id!, command.reason, now);
      }
    }, nowUs);
  }

  /** True once the rollout has promoted or rolled back and no transition is left in progress. */
  get finished(): boolean {
    const status = this.controller.status;
    return (
      (status === 'promoted' || status === 'rolled_back') &&
      this.controller.transition === null &&
      !this.#engine.transitionInProgress
    );
  }

  /** Where the rollout is: promoted, rolled back, halted, or still under way when the data ended. */
  get outcome(): RolloutOutcome {
    const status = this.controller.status;
    if (status === 'promoted') return 'promoted';
    if (status === 'rolled_back') return 'rolled_back';
    if (this.controller.halted) return 'halted';
    return 'in_progress';
  }

  /** The decisions taken so far, in report form. */
  get decisions(): readonly Decision[] {
    return this.#decisions;
  }

  /** What seed 004's rules would have decided on the same data (when `naiveBaseline` is on). */
  get naiveOutcome(): NaiveOutcome {
    return { ...this.#naiveOutcome, lastVerdict: this.#lastNaive };
  }

  /** Canary fills, orders and rejects the analysis has counted. */
  canaryCounts(): ReturnType<ArmComparison['counts']> {
    return this.#comparison.counts('canary');
  }

  /** Stops listening to the engine and closes the audit log. */
  close(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#log?.close();
    this.#session?.close();
    this.decision$.complete();
    this.record$.complete();
  }

  #live(): boolean {
    const status = this.controller.status;
    return this.#started && (status === 'shadow' || status === 'step');
  }

  #onInput(input: MetricsInput): void {
    // A sample just before accounts move is taken mid-move: it is for the equity curves only; in
    // a shadow step the analysis reads the canary's paper-inclusive sample, not the real one.
    if (input.type === 'equity' && (input.beforeFlow === true || input.book === 'real')) return;
    if (this.#comparison.record(input)) this.#evaluationDue = true;
    this.#naive?.record(input);
    // The baseline ends at a boundary's last sample (the canary's), as a decision would act; an
    // operator's halt during it holds the first step until resume, a rollback cancels it.
    const baselineEnd = this.#baselineEndsUs;
    if (baselineEnd !== null && this.controller.status !== 'pending') this.#baselineEndsUs = null;
    else if (
      baselineEnd !== null &&
      input.type === 'equity' &&
      input.arm === 'canary' &&
      input.tsUs >= baselineEnd &&
      !this.controller.halted
    ) {
      this.#baselineEndsUs = null;
      this.#begin(this.#actingTime(input.tsUs));
      return;
    }
    if (!this.#live()) return;
    const nowUs = this.#actingTime(input.tsUs);
    // A boundary's samples come stable first, then canary, before the event that passed it is
    // processed: act on the canary's (the last), so nothing the rollout does in between (a
    // transition's orders, stamped with the event's time) can precede the boundary's own tick.
    if (input.type === 'equity' && input.arm === 'stable') return;
    // Guardrails on every canary execution report, strategy error and equity sample.
    if (input.type === 'equity' || (input.type !== 'membership' && input.arm === 'canary')) {
      const report =
        input.type === 'fill' || input.type === 'reject' || input.type === 'strategy-error'
          ? input
          : null;
      if (input.type === 'equity' || report !== null) {
        const breach = this.#guardrails.check(this.#guardrailView(), report);
        if (breach !== null) {
          this.#handle(
            this.controller.onDecision(
              {
                type: 'decision-proposal',
                action: 'rollback',
                stepIndex: this.controller.stepIndex ?? 0,
                trigger: 'guardrail',
                reasons: [breach.reason],
                guardrails: breach.states,
              },
              nowUs,
            ),
          );
          return;
        }
      }
    }
    if (input.type === 'equity') this.#handle(this.controller.tick(nowUs));
    // New evidence, or an analysis boundary: a step's time gate can open without new evidence.
    const boundary =
      input.type === 'equity' &&
      input.arm === 'canary' &&
      input.tsUs % (this.#options.plan.analysisIntervalMs * 1000) === 0;
    if (this.#evaluationDue || boundary) {
      this.#evaluationDue = false;
      this.#evaluate(nowUs);
    }
  }

  /**
   * The event time the rollout acts at for a record stamped `tsUs`: never ahead of the host's
   * clock (a report may be stamped later than it: an immediate reject carries its decision time
   * plus latency, a bot reports an order before its fill moves the books' clock) and never before
   * what it already acted at (one market event can pass several sample boundaries; a transition
   * decided at the first is applied at the clock's time, before the later boundaries' samples).
   */
  #actingTime(tsUs: number): number {
    const at = Math.max(Math.min(tsUs, this.#engine.clock.nowUs), this.#actedAtUs);
    this.#actedAtUs = at;
    return at;
  }

  /** Runs the analysis and the decision rule at the current step and proposes the result. */
  #evaluate(nowUs: number): void {
    if (!this.#live() || this.controller.transition !== null) return;
    const stepIndex = this.controller.stepIndex;
    const step = this.controller.step;
    const startUs = this.controller.stepStartUs;
    if (stepIndex === null || step === null || startUs === null) return;
    const plan = this.#options.plan;
    const canaryFills = this.#comparison.counts('canary').fills;
    if (this.#stepIndexSeen !== stepIndex) {
      this.#stepIndexSeen = stepIndex;
      this.#canaryFillsAtStepStart = canaryFills;
    }
    const required = stepRequirements(plan, stepIndex);
    const evidence = this.#comparison.evaluate(stepPolicies(plan, stepIndex), required);
    const next = plan.steps[stepIndex + 1] ?? null;
    const decision = decideStep(evidence, this.#guardrails.states(this.#guardrailView()), {
      stepIndex,
      isLastStep: next === null,
      isShadow: step.weightPct === 0,
      weightPct: step.weightPct,
      nextWeightPct: next?.weightPct ?? null,
      elapsedInStepMs: this.controller.stepElapsedMs(nowUs),
      elapsedCounts: this.controller.stepElapsedCounts,
      minDurationMs: step.minDurationMs,
      // The controller enforces the maximum duration (tick), so the rule never has to.
      maxDurationMs: null,
      canaryFillsInStep: canaryFills - this.#canaryFillsAtStepStart,
      minCanaryFills: step.minCanaryFills,
      onMaxDuration: step.onMaxDuration ?? plan.onMaxDuration,
      requiredMetrics: required,
    });
    // Halted, the operator decides: the rule may still roll back on harm, but records no holds
    // (nor increases the controller would refuse) as if it still drove the rollout.
    const heldForOperator = this.controller.halted && decision.action !== 'rollback';
    if (decision.action !== 'halt' && !heldForOperator) {
      this.#handle(
        this.controller.onDecision(
          {
            type: 'decision-proposal',
            action: decision.action,
            stepIndex,
            trigger: 'analysis',
            reasons: decision.reasons,
            guardrails: this.#guardrails.states(this.#guardrailView()),
          },
          nowUs,
        ),
      );
    }
    this.#judgeNaively(nowUs);
  }

  #judgeNaively(nowUs: number): void {
    if (this.#naive === null) return;
    const verdict = this.#naive.evaluate();
    this.#lastNaive = verdict;
    if (verdict.action === 'rollback') this.#naiveOutcome.firstRollbackTsUs ??= nowUs;
    if (verdict.action === 'advance') this.#naiveOutcome.firstAdvanceTsUs ??= nowUs;
  }

  #guardrailView(): GuardrailView {
    const canary = this.#engine.canaryEquityNum();
    return {
      canaryEquity: canary.equity,
      canaryContributed: canary.contributed,
      canaryGrossExposure: canary.grossNotional,
      canaryBook: this.#engine.paperAccountsOpen > 0 ? 'paper' : 'real',
    };
  }

  /** Appends the records (each flushed before anything is applied), then applies the commands. */
  #handle(output: ControllerOutput): void {
    const decisions: Decision[] = [];
    const watermark = this.#options.watermark?.() ?? EMPTY_WATERMARK;
    this.#session?.commit(output, watermark);
    for (const record of output.records) {
      this.#log?.append(record, watermark);
      this.records.push(record);
      const decision = decisionOfAuditRecord(record);
      if (decision !== null) decisions.push(decision);
      // A transition says which weight the decision it refers to leads to.
      if (record.kind === 'transition' && record.ref !== null) {
        const index = decisions.findIndex((d) => d.seq === record.ref);
        const led = decisions[index];
        if (led !== undefined) decisions[index] = { ...led, toWeightPct: record.toWeightPct };
      }
    }
    for (const decision of decisions) {
      this.#decisions.push(decision);
      this.decision$.next(decision);
    }
    for (const record of output.records) this.record$.next(record);
    this.#syncComparisonStep();
    for (const command of output.commands) this.#apply(command);
  }

  /**
   * A new step restarts the comparison's step-scope sequences, before the commands that move
   * accounts are applied: every order decided from the step's start on is the step's evidence.
   */
  #syncComparisonStep(): void {
    const stepIndex = this.controller.stepIndex;
    const startUs = this.controller.stepStartUs;
    if (stepIndex === null || startUs === null || stepIndex === this.#comparisonStep) return;
    this.#comparisonStep = stepIndex;
    this.#comparison.startStep(stepIndex, startUs);
  }

  #apply(command: RolloutCommand): void {
    const engine = this.#engine;
    engine.positionsPolicy = command.positions;
    switch (command.type) {
      case 'set-weight':
        if (command.shadow) engine.startShadow();
        else engine.goLive(command.toWeightBps);
        break;
      case 'promote':
        engine.promote();
        break;
      case 'rollback':
        engine.rollback();
        break;
    }
    // A move with nothing to flatten is done at once; otherwise the engine says when.
    if (!engine.transitionInProgress) {
      this.#handle(this.controller.transitionComplete(this.#actingTime(engine.clock.nowUs)));
    }
  }
}
