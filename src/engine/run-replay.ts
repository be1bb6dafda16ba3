import { from, lastValueFrom, type Observable, takeWhile, tap } from 'rxjs';
import {
  mergeFeeds,
  openFeed,
  openFeedInWorker,
  type FeedOptions,
  type FeedSource,
  type ParsedFeedCache,
} from '../../feeds/index.js';
import type { Arm } from '../core/arm.js';
import { fileDigests } from '../core/file-digests.js';
import { UsageError } from '../core/errors.js';
import type { Decision } from '../core/decision.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import type { MarketEvent } from '../core/market-event.js';
import type { MetricsSnapshot } from '../metrics/index.js';
import type { ReportJson } from '../report/report-json.js';
import { sampleIntervalMisfit, validatePlan, type OperatorCommand } from '../rollout/index.js';
import type { AccountResult } from '../report/account-result.js';
import type { ReplayConfig } from './replay-config.js';
import type { DecisionTime } from './decision-timer.js';
import type { OperatorOutcome, RolloutRunner } from '../control/index.js';
import { OneVenuePerSymbol } from './one-venue-per-symbol.js';
import { ReplayLane, type AuditedInput } from './replay-lane.js';

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
   * Stops the replay at the next batch of events once it aborts (the command's Ctrl-C): the
   * replay then rejects with the signal's reason, and returns nothing.
   */
  readonly signal?: AbortSignal;
  /**
   * Reads and parses each feed file on a worker thread (`openFeedInWorker`): the same events,
   * with the parsing off this thread. Default false; the `replay` command turns it on, a sweep
   * (already one replay per core) leaves it off.
   */
  readonly parseInWorker?: boolean;
  /**
   * Without `parseInWorker`: files already parsed by this thread are taken from this cache, and
   * those read now are kept in it (feeds/parsed-feed-cache.ts): for a thread that replays the
   * same files again and again (a sweep's worker, a calibration worker). The same events and
   * statistics as a fresh read.
   */
  readonly feedCache?: ParsedFeedCache;
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
  validateReplayPlan(config);
  const sources = await openSources(config, options);
  const lane = new ReplayLane(config, hooks, await auditedInputs(config));
  const stopWhenFinished = config.rollout?.stopWhenFinished === true;
  const venues = new OneVenuePerSymbol();
  await replayEvents(sources, { ...hooks, signal: options.signal }, (event) => {
    venues.check(event);
    if (!lane.started) lane.start(event.tsUs);
    lane.process(event);
    return !(stopWhenFinished && lane.runner !== null && lane.runner.finished);
  });
  return lane.finish(sources);
}

/**
 * Checks the rollout plan of `config`, if any, as a plan file is checked (a plan built in code
 * with a guardrail out of range is a `PlanError`, `E_PLAN`), and that the equity samples can
 * drive it (`UsageError`, `E_USAGE`: {@link sampleIntervalMisfit}), before any file is opened.
 */
export function validateReplayPlan(config: ReplayConfig): void {
  const plan = config.rollout?.plan;
  if (plan === undefined) return;
  validatePlan(plan, `plan:${plan.name}`);
  const misfit = sampleIntervalMisfit(plan, config.sampleIntervalMs);
  if (misfit !== null) throw new UsageError(`--interval: ${misfit}`);
}

/**
 * Opens every feed file of `config`: on worker threads when `options.parseInWorker`, else through
 * `options.feedCache` when given.
 */
export async function openSources(
  config: ReplayConfig,
  options: ReplayRunOptions,
): Promise<FeedSource[]> {
  const cache = options.feedCache;
  const open =
    options.parseInWorker === true
      ? openFeedInWorker
      : cache !== undefined
        ? (path: string, feed: FeedOptions) => cache.open(path, feed)
        : openFeed;
  const sources: FeedSource[] = [];
  for (const file of config.files) sources.push(await open(file, config.feed));
  return sources;
}

/**
 * The input files with their sha256, for the audit log's watermark (none without an audit log);
 * a file this thread hashed before and that has not changed since is not read again.
 */
export async function auditedInputs(config: ReplayConfig): Promise<readonly AuditedInput[]> {
  if (config.rollout === undefined || config.rollout.auditPath === null) return [];
  return Promise.all(
    config.files.map(async (path) => ({ path, sha256: await fileDigests.sha256(path) })),
  );
}

/**
 * Reads the sources merged by event time and hands each event to `onEvent` until the data ends
 * or `onEvent` returns false; reports progress on `hooks`. Once `hooks.signal` aborts, rejects with
 * its reason before the next batch (the sources are closed, as on a feed error).
 */
export async function replayEvents(
  sources: readonly FeedSource[],
  hooks: ReplayHooks & { readonly signal?: AbortSignal | undefined },
  onEvent: (event: MarketEvent) => boolean,
): Promise<void> {
  const { signal } = hooks;
  const totalBytes = sources.reduce((sum, source) => sum + source.sizeBytes, 0);
  let going = true;
  // RxJS carries the market data batch by batch, and a batch's events go to `onEvent` in a loop:
  // an operator per event (`concatAll`, `takeWhile`, `tap`) cost a subscriber hop each, a few
  // percent of a replay (`npm run bench`).
  const batches$: Observable<readonly MarketEvent[]> = from(mergeFeeds(sources)).pipe(
    tap(() => hooks.onProgress?.(bytesRead(sources), totalBytes)),
    takeWhile(() => going),
    tap((batch) => {
      signal?.throwIfAborted();
      for (let i = 0; i < batch.length && going; i++) going = onEvent(batch[i]!);
    }),
  );
  await lastValueFrom(batches$, { defaultValue: null });
  hooks.onProgress?.(totalBytes, totalBytes);
}

function bytesRead(sources: readonly FeedSource[]): number {
  let total = 0;
  for (const source of sources) total += source.stats.bytesRead;
  return total;
}
