import { lastValueFrom, tap } from 'rxjs';
import type { FeedSource } from '../../feeds/index.js';
import { createStrategyFromParsed } from '../../strategies/index.js';
import type { Arm } from '../core/arm.js';
import type { MarketEvent } from '../core/market-event.js';
import type { Strategy } from '../core/strategy.js';
import { HotSubject } from '../core/hot-subject.js';
import { ArmComparison } from '../analysis/index.js';
import { armMetrics, type MetricsInput, type MetricsSnapshot } from '../metrics/index.js';
import { RolloutRunner } from '../control/index.js';
import type { InputWatermark } from '../rollout/index.js';
import { accountResults } from './account-results.js';
import { buildReport } from './build-report.js';
import { configHash } from './config-hash.js';
import type { ReplayConfig } from './replay-config.js';
import type { ReplayHooks, ReplayResult } from './run-replay.js';
import { PAPER_ID_PREFIX, TradingEngine } from './trading-engine.js';

/** An input file and its sha256, as the audit log's watermark names it. */
export interface AuditedInput {
  readonly path: string;
  readonly sha256: string;
}

/**
 * One rollout (or fixed-weight run) over a stream of market events: its trading engine, its
 * rollout runner with the audit log, the fixed-weight comparison, the report's metrics. A replay
 * runs one lane over every event; a segmented replay one lane per segment, each over its venue's
 * events (docs/rollout.md, "Segments").
 */
export class ReplayLane {
  readonly engine: TradingEngine;
  /** The rollout, when the lane runs a plan. */
  readonly runner: RolloutRunner | null;
  readonly #config: ReplayConfig;
  readonly #hooks: ReplayHooks;
  readonly #comparison: ArmComparison | null;
  readonly #paper = { orders: 0, fills: 0 };
  readonly #metricsDone: Promise<unknown>;
  #lastSnapshot: MetricsSnapshot | null = null;
  #eventsProcessed = 0;
  #nextScripted = 0;
  #started = false;

  constructor(config: ReplayConfig, hooks: ReplayHooks, inputs: readonly AuditedInput[]) {
    this.#config = config;
    this.#hooks = hooks;
    const strategies: Record<Arm, Strategy> = {
      stable: createStrategyFromParsed(
        config.strategies.stable.definition,
        config.strategies.stable.params,
      ),
      canary: createStrategyFromParsed(
        config.strategies.canary.definition,
        config.strategies.canary.params,
      ),
    };
    const rolloutConfig = config.rollout;
    const engine = new TradingEngine(
      rolloutConfig === undefined ? config : { ...config, weightBps: 0 },
      strategies,
    );
    this.engine = engine;
    let runner: RolloutRunner | null = null;
    if (rolloutConfig !== undefined) {
      runner = new RolloutRunner(engine, {
        plan: rolloutConfig.plan,
        mode: rolloutConfig.mode,
        stableVersion: strategies.stable.id,
        canaryVersion: strategies.canary.id,
        auditPath: rolloutConfig.auditPath,
        configHash: configHash(config, rolloutConfig.plan, inputs),
        naiveBaseline: rolloutConfig.naiveBaseline ?? false,
        ...(rolloutConfig.holdPromotion === true ? { holdPromotion: true } : {}),
        watermark: (): InputWatermark => ({
          inputs,
          eventsProcessed: this.#eventsProcessed,
          lastEventTsUs: this.#eventsProcessed === 0 ? null : engine.clock.nowUs,
        }),
      });
      if (hooks.onDecision !== undefined) {
        const onDecision = hooks.onDecision;
        runner.decision$.subscribe((decision) => onDecision(decision));
      }
    }
    this.runner = runner;

    // A fixed weight still compares the arms (nothing acts on it): the same evidence, same inputs
    // as a rollout's analysis.
    const comparison = runner === null ? new ArmComparison() : null;
    this.#comparison = comparison;

    // One look at each input: the comparison's (one subscriber for both: a subscriber more is a
    // few calls more per order and fill), then a paper one is counted, a real one goes on to the
    // report's metrics.
    const paper = this.#paper;
    const realInput$ = new HotSubject<MetricsInput>();
    const onExecution = hooks.onExecution;
    engine.metricsInput$.subscribe({
      next: (input) => {
        if (
          comparison !== null &&
          !(input.type === 'equity' && (input.beforeFlow === true || input.book === 'real'))
        )
          comparison.record(input);
        if (onExecution !== undefined && (input.type === 'fill' || input.type === 'reject'))
          onExecution(input);
        if (!isPaper(input, engine)) realInput$.next(input);
        else if (input.type === 'order') paper.orders++;
        else if (input.type === 'fill') paper.fills++;
      },
      error: (error: unknown) => realInput$.error(error),
      complete: () => realInput$.complete(),
    });

    // The report's per-arm figures are real trading only: the shadow step's paper orders and
    // reports feed the analysis, not the report's counts (its paper results have their own section).
    this.#metricsDone = lastValueFrom(
      realInput$.pipe(
        armMetrics({ intervalMs: config.sampleIntervalMs }),
        tap((snapshot) => {
          this.#lastSnapshot = snapshot;
          hooks.onSnapshot?.(snapshot);
        }),
      ),
      { defaultValue: null },
    );
    // A failure (a snapshot hook's throw, an engine error) rejects this mid-run, long before
    // `finish` awaits it: marked handled here, so that it is not an unhandled rejection (which
    // ends the process); `finish` still throws it.
    this.#metricsDone.catch(() => undefined);
  }

  /** True once {@link start} ran. */
  get started(): boolean {
    return this.#started;
  }

  /** Events this lane has processed. */
  get eventsProcessed(): number {
    return this.#eventsProcessed;
  }

  /** Starts the rollout at event time `tsUs` (call before processing the event at that time). */
  start(tsUs: number): void {
    this.#started = true;
    this.runner?.start(tsUs);
  }

  /** Trades one market event, then applies the scripted operator's commands due by its time. */
  process(event: MarketEvent): void {
    this.#eventsProcessed++;
    this.engine.process(event);
    const runner = this.runner;
    const script = this.#config.rollout?.operatorScript ?? [];
    while (runner !== null && this.#nextScripted < script.length) {
      const command = script[this.#nextScripted]!;
      if (command.atUs > event.tsUs) break;
      this.#nextScripted++;
      this.#hooks.onOperator?.(command, runner.operateScripted(command, event.tsUs), event.tsUs);
    }
  }

  /**
   * Ends the lane after the last event: the scripted commands never reached are reported
   * `AFTER_DATA`, the engine settles, the audit log closes; returns report.json's data.
   */
  async finish(sources: readonly FeedSource[]): Promise<ReplayResult> {
    const script = this.#config.rollout?.operatorScript ?? [];
    for (const command of script.slice(this.#nextScripted)) {
      this.#hooks.onOperator?.(
        command,
        {
          applied: false,
          refusal: { code: 'AFTER_DATA', message: 'the data ended before its time' },
        },
        null,
      );
    }
    const engine = this.engine;
    engine.finish();
    await this.#metricsDone;
    this.runner?.close();
    return {
      report: buildReport({
        config: this.#config,
        sources,
        engine,
        snapshot: this.#lastSnapshot,
        runner: this.runner,
        paper: this.#paper,
        comparison: this.#comparison,
        eventsTraded: this.#eventsProcessed,
      }),
      lastSnapshot: this.#lastSnapshot,
      rollout: this.runner,
      accounts: accountResults(engine.ledger, this.#config.accounts),
      marks: engine.ledger.markPrices(),
      lastEventTsUs: this.#eventsProcessed === 0 ? 0 : engine.clock.nowUs,
      decisionTime: {
        stable: engine.decisionTime('stable'),
        canary: engine.decisionTime('canary'),
      },
    };
  }
}

/** A shadow step's paper trading: its orders, reports, and the canary samples that include it. */
function isPaper(input: MetricsInput, engine: TradingEngine): boolean {
  if (input.type === 'fill' || input.type === 'reject') {
    // With no paper account open, no report is paper (a paper account closes after its last
    // report): its id, a string scattered in memory, is then not read, which with 100,000
    // accounts cost a cache miss or two a fill.
    return engine.paperAccountsOpen > 0 && input.accountId.startsWith(PAPER_ID_PREFIX);
  }
  if (input.type === 'equity') return input.book === 'with-paper';
  return input.type === 'order' && input.paper === true;
}
