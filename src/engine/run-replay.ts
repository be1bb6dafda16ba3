import { concatAll, from, lastValueFrom, type Observable, tap } from 'rxjs';
import { mergeFeeds, openFeed, type FeedOptions, type FeedSource } from '../../feeds/index.js';
import { createStrategy } from '../../strategies/index.js';
import type { Arm } from '../core/arm.js';
import type { MarketEvent } from '../core/market-event.js';
import type { Strategy } from '../core/strategy.js';
import { armMetrics, type MetricsSnapshot } from '../metrics/index.js';
import type { ReportJson } from '../report/report-json.js';
import { buildReport } from './build-report.js';
import type { EngineConfig } from './replay-config.js';
import { TradingEngine } from './trading-engine.js';

/** A replay: the engine's configuration plus the files to read and how. */
export interface ReplayConfig extends EngineConfig {
  readonly files: readonly string[];
  readonly feed: FeedOptions & { readonly onBadLine: 'fail' | 'skip' };
  /** How the accounts were given, for the report: `generated` or the file path. */
  readonly accountsSource: string;
}

/** Callbacks while a replay runs. */
export interface ReplayHooks {
  /** Raw bytes read so far over all files, and their total size. */
  onProgress?(doneBytes: number, totalBytes: number): void;
  /** Every per-arm metrics snapshot, on the event-time interval. */
  onSnapshot?(snapshot: MetricsSnapshot): void;
}

/** What a finished replay produced. */
export interface ReplayResult {
  readonly report: ReportJson;
  readonly lastSnapshot: MetricsSnapshot | null;
}

/**
 * Replays market data files through the router, both strategies, the simulated broker, the
 * ledger and the metrics pipeline, and returns report.json's data. Feed errors (bad input under
 * `onBadLine: 'fail'`) reject the promise with a FeedError.
 */
export async function runReplay(
  config: ReplayConfig,
  hooks: ReplayHooks = {},
): Promise<ReplayResult> {
  const sources: FeedSource[] = [];
  for (const file of config.files) sources.push(await openFeed(file, config.feed));
  const strategies: Record<Arm, Strategy> = {
    stable: createStrategy(config.strategies.stable.definition, config.strategies.stable.params),
    canary: createStrategy(config.strategies.canary.definition, config.strategies.canary.params),
  };
  const engine = new TradingEngine(config, strategies);

  let lastSnapshot: MetricsSnapshot | null = null;
  const metricsDone = lastValueFrom(
    engine.metricsInput$.pipe(
      armMetrics({ intervalMs: config.sampleIntervalMs }),
      tap((snapshot) => {
        lastSnapshot = snapshot;
        hooks.onSnapshot?.(snapshot);
      }),
    ),
    { defaultValue: null },
  );

  const totalBytes = sources.reduce((sum, source) => sum + source.sizeBytes, 0);
  const market$: Observable<MarketEvent> = from(mergeFeeds(sources)).pipe(
    tap(() => hooks.onProgress?.(bytesRead(sources), totalBytes)),
    concatAll(),
  );
  await lastValueFrom(market$.pipe(tap((event) => engine.process(event))), {
    defaultValue: null,
  });
  engine.finish();
  await metricsDone;
  hooks.onProgress?.(totalBytes, totalBytes);

  return { report: buildReport(config, sources, engine, lastSnapshot), lastSnapshot };
}

function bytesRead(sources: readonly FeedSource[]): number {
  let total = 0;
  for (const source of sources) total += source.stats.bytesRead;
  return total;
}
