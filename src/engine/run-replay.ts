import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { concatAll, from, lastValueFrom, type Observable, takeWhile, tap } from 'rxjs';
import { mergeFeeds, openFeed, openFeedInWorker, type FeedSource } from '../../feeds/index.js';
import { createStrategy } from '../../strategies/index.js';
import type { Arm } from '../core/arm.js';
import type { Decision } from '../core/decision.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import type { MarketEvent } from '../core/market-event.js';
import type { Strategy } from '../core/strategy.js';
import type { FaultInjection } from '../execution/index.js';
import { ArmComparison } from '../analysis/index.js';
import { armMetrics, type MetricsInput, type MetricsSnapshot } from '../metrics/index.js';
import { HotSubject } from '../core/hot-subject.js';
import type { ReportJson } from '../report/report-json.js';
import {
  canonicalJson,
  planHash,
  sha256Hex,
  type InputWatermark,
  type OperatorCommand,
  type RolloutPlan,
} from '../rollout/index.js';
import type { AccountResult } from '../report/account-result.js';
import { accountResults } from './account-results.js';
import { buildReport } from './build-report.js';
import type { ReplayConfig } from './replay-config.js';
import type { DecisionTime } from './decision-timer.js';
import { RolloutRunner, type OperatorOutcome } from '../control/index.js';
import { PAPER_ID_PREFIX, TradingEngine } from './trading-engine.js';

export type { ReplayConfig, ReplayRollout } from './replay-config.js';

/** Callbacks while a replay runs. */
export interface ReplayHooks {
  /** Raw bytes read so far over all files, and their total size. */
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Every per-arm metrics snapshot, on the event-time interval. */
  readonly onSnapshot?: (snapshot: MetricsSnapshot) => void;
  /** Every rollout decision, as it is taken. */
  readonly onDecision?: (decision: Decision) => void;
  /**
   * Every execution report (fill or reject) as the books take it, the shadow step's paper ones
   * included (their accounts' ids start with `paper:`): what fills.csv is written from.
   */
  readonly onExecution?: (report: ExecutionReport) => void;
  /**
   * Every scripted operator command with what it did, at the event time it was applied (null:
   * the data ended before its time; it was not applied).
   */
  readonly onOperator?: (
    command: OperatorCommand,
    outcome: OperatorOutcome,
    appliedAtUs: number | null,
  ) => void;
}

/** How a replay runs, beside what it runs (nothing here reaches report.json). */
export interface ReplayRunOptions {
  /**
   * Reads and parses each feed file on a worker thread (`openFeedInWorker`): the same events,
   * with the parsing off this thread. Default false; the `replay` command turns it on, a sweep
   * (already one replay per core) leaves it off.
   */
  readonly parseInWorker?: boolean;
}

/** What a finished replay produced. */
export interface ReplayResult {
  readonly report: ReportJson;
  readonly lastSnapshot: MetricsSnapshot | null;
  /** The rollout, when the replay ran one (audit records, naive baseline, canary counts). */
  readonly rollout: RolloutRunner | null;
  /** Every account's own books at the end (accounts.csv). */
  readonly accounts: readonly AccountResult[];
  /** Each symbol's final mark (the price open positions are valued at in accounts.csv). */
  readonly marks: readonly (readonly [symbol: string, price: Decimal])[];
  /** Event time of the last market event, µs (0 when there was none). */
  readonly lastEventTsUs: number;
  /** Each arm's strategy's wall-clock decision time per market event (not in the report). */
  readonly decisionTime: Readonly<Record<Arm, DecisionTime>>;
}

/**
 * Replays market data files through the router, both strategies, the simulated broker, the
 * ledger, the metrics pipeline and, with a plan, the rollout (analysis, guardrails, controller,
 * audit log), and returns report.json's data. Feed errors (bad input under `onBadLine: 'fail'`)
 * reject the promise with a FeedError.
 */
export async function runReplay(
  config: ReplayConfig,
  hooks: ReplayHooks = {},
  options: ReplayRunOptions = {},
): Promise<ReplayResult> {
  const open = options.parseInWorker === true ? openFeedInWorker : openFeed;
  const sources: FeedSource[] = [];
  for (const file of config.files) sources.push(await open(file, config.feed));
  const strategies: Record<Arm, Strategy> = {
    stable: createStrategy(config.strategies.stable.definition, config.strategies.stable.params),
    canary: createStrategy(config.strategies.canary.definition, config.strategies.canary.params),
  };
  const rolloutConfig = config.rollout;
  const engine = new TradingEngine(
    rolloutConfig === undefined ? config : { ...config, weightBps: 0 },
    strategies,
  );

  let eventsProcessed = 0;
  let runner: RolloutRunner | null = null;
  if (rolloutConfig !== undefined) {
    const inputs =
      rolloutConfig.auditPath === null
        ? []
        : await Promise.all(
            config.files.map(async (path) => ({ path, sha256: await sha256File(path) })),
          );
    runner = new RolloutRunner(engine, {
      plan: rolloutConfig.plan,
      mode: rolloutConfig.mode,
      stableVersion: strategies.stable.id,
      canaryVersion: strategies.canary.id,
      auditPath: rolloutConfig.auditPath,
      configHash: configHash(config, rolloutConfig.plan, inputs),
      naiveBaseline: rolloutConfig.naiveBaseline ?? false,
      watermark: (): InputWatermark => ({
        inputs,
        eventsProcessed,
        lastEventTsUs: eventsProcessed === 0 ? null : engine.clock.nowUs,
      }),
    });
    if (hooks.onDecision !== undefined) {
      const onDecision = hooks.onDecision;
      runner.decision$.subscribe((decision) => onDecision(decision));
    }
  }

  // A fixed weight still compares the arms (nothing acts on it): the same evidence, same inputs
  // as a rollout's analysis.
  const comparison = runner === null ? new ArmComparison() : null;
  if (comparison !== null) {
    engine.metricsInput$.subscribe((input) => {
      if (input.type === 'equity' && (input.beforeFlow === true || input.book === 'real')) return;
      comparison.record(input);
    });
  }

  // One look at each input: a paper one is counted, a real one goes on to the report's metrics.
  const paper = { orders: 0, fills: 0 };
  const realInput$ = new HotSubject<MetricsInput>();
  const onExecution = hooks.onExecution;
  engine.metricsInput$.subscribe({
    next: (input) => {
      if (onExecution !== undefined && (input.type === 'fill' || input.type === 'reject'))
        onExecution(input);
      if (!isPaper(input)) realInput$.next(input);
      else if (input.type === 'order') paper.orders++;
      else if (input.type === 'fill') paper.fills++;
    },
    error: (error: unknown) => realInput$.error(error),
    complete: () => realInput$.complete(),
  });

  let lastSnapshot: MetricsSnapshot | null = null;
  // The report's per-arm figures are real trading only: the shadow step's paper orders and
  // reports feed the analysis, not the report's counts (its paper results have their own section).
  const metricsDone = lastValueFrom(
    realInput$.pipe(
      armMetrics({ intervalMs: config.sampleIntervalMs }),
      tap((snapshot) => {
        lastSnapshot = snapshot;
        hooks.onSnapshot?.(snapshot);
      }),
    ),
    { defaultValue: null },
  );

  const script = rolloutConfig?.operatorScript ?? [];
  let nextScripted = 0;
  const totalBytes = sources.reduce((sum, source) => sum + source.sizeBytes, 0);
  const stopWhenFinished = rolloutConfig?.stopWhenFinished === true;
  const market$: Observable<MarketEvent> = from(mergeFeeds(sources)).pipe(
    tap(() => hooks.onProgress?.(bytesRead(sources), totalBytes)),
    concatAll(),
    takeWhile(() => !(stopWhenFinished && runner !== null && runner.finished)),
  );
  await lastValueFrom(
    market$.pipe(
      tap((event) => {
        if (eventsProcessed === 0) runner?.start(event.tsUs);
        eventsProcessed++;
        engine.process(event);
        while (runner !== null && nextScripted < script.length) {
          const command = script[nextScripted]!;
          if (command.atUs > event.tsUs) break;
          nextScripted++;
          hooks.onOperator?.(command, runner.operateScripted(command, event.tsUs), event.tsUs);
        }
      }),
    ),
    { defaultValue: null },
  );
  for (const command of script.slice(nextScripted)) {
    hooks.onOperator?.(
      command,
      {
        applied: false,
        refusal: { code: 'AFTER_DATA', message: 'the data ended before its time' },
      },
      null,
    );
  }
  engine.finish();
  await metricsDone;
  runner?.close();
  hooks.onProgress?.(totalBytes, totalBytes);

  return {
    report: buildReport({
      config,
      sources,
      engine,
      snapshot: lastSnapshot,
      runner,
      paper,
      comparison,
    }),
    lastSnapshot,
    rollout: runner,
    accounts: accountResults(engine.ledger, config.accounts),
    marks: engine.ledger.markPrices(),
    lastEventTsUs: eventsProcessed === 0 ? 0 : engine.clock.nowUs,
    decisionTime: { stable: engine.decisionTime('stable'), canary: engine.decisionTime('canary') },
  };
}

/** A shadow step's paper trading: its orders, reports, and the canary samples that include it. */
function isPaper(input: MetricsInput): boolean {
  if (input.type === 'fill' || input.type === 'reject') {
    return input.accountId.startsWith(PAPER_ID_PREFIX);
  }
  if (input.type === 'equity') return input.book === 'with-paper';
  return input.type === 'order' && input.paper === true;
}

function bytesRead(sources: readonly FeedSource[]): number {
  let total = 0;
  for (const source of sources) total += source.stats.bytesRead;
  return total;
}

/** Hex sha256 of a file's bytes, streamed. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** An injection as hashed: `feeBps` and `conditional` only when set (older hashes stay valid). */
function hashedInjection(injection: FaultInjection): object {
  const { feeBps, conditional, ...rest } = injection;
  return {
    ...rest,
    ...(feeBps === 0 ? {} : { feeBps }),
    ...(conditional === undefined || conditional.length === 0 ? {} : { conditional }),
  };
}

/**
 * The configuration's hash, written on every audit line: plan, strategies and parameters, accounts,
 * routing, execution model, injections, input files and a trades-only read. A resumed or compared
 * run with another hash is another experiment.
 */
function configHash(
  config: ReplayConfig,
  plan: RolloutPlan,
  inputs: readonly { path: string; sha256: string }[],
): string {
  return sha256Hex(
    canonicalJson({
      plan: planHash(plan),
      strategies: {
        stable: { spec: config.strategies.stable.spec, params: config.strategies.stable.params },
        canary: { spec: config.strategies.canary.spec, params: config.strategies.canary.params },
      },
      accounts: sha256Hex(
        config.accounts.map((a) => `${a.id},${a.capital.toFixed()},${a.override ?? ''}`).join('\n'),
      ),
      salt: config.salt,
      seed: config.seed,
      execution: {
        feeBps: config.execution.feeBps,
        minNotional: config.execution.minNotional.toFixed(),
        protectionBandBps: config.execution.protectionBandBps,
        latency: config.execution.latency,
        // Later additions only when set, so that the hash of a run without them is unchanged.
        ...((config.execution.accountSlippageSdBps ?? 0) === 0
          ? {}
          : { accountSlippageSdBps: config.execution.accountSlippageSdBps }),
        ...((config.execution.outages ?? null) === null
          ? {}
          : { outages: config.execution.outages }),
      },
      injections: {
        stable: hashedInjection(config.injections.stable),
        canary: hashedInjection(config.injections.canary),
      },
      maxLeverage: config.maxLeverage,
      quantityDecimals: config.quantityDecimals,
      sampleIntervalMs: config.sampleIntervalMs,
      inputs,
      // Only when set, so the hashes of runs that read quotes stay what they were.
      ...(config.feed.tradesOnly === true ? { tradesOnly: true } : {}),
    }),
  );
}
