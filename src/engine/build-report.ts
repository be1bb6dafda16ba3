import { basename } from 'node:path';
import type { FeedSource } from '../../feeds/index.js';
import type { Arm } from '../core/arm.js';
import { Decimal, moneyToString, ZERO } from '../core/money.js';
import { usToIso } from '../core/time.js';
import type { ArmDetail, MetricsSnapshot } from '../metrics/index.js';
import {
  REPORT_SCHEMA_VERSION,
  reportDecisionOf,
  type ReportArm,
  type ReportInputFile,
  type ReportJson,
  type ReportOutcome,
  type ReportShadow,
  type ReportStrategy,
} from '../report/report-json.js';
import type { ArmComparison } from '../analysis/index.js';
import { planHash } from '../rollout/index.js';
import { buildReportSeries } from './build-report-series.js';
import { candidateName } from './candidate-name.js';
import type { RolloutRunner } from '../control/index.js';
import type { ArmStrategyConfig, ReplayConfig } from './replay-config.js';
import { TOOL_NAME, TOOL_VERSION } from '../core/tool-version.js';
import type { TradingEngine } from './trading-engine.js';

/** What a finished run hands to {@link buildReport}. */
export interface ReportSources {
  readonly config: ReplayConfig;
  readonly sources: readonly FeedSource[];
  readonly engine: TradingEngine;
  readonly snapshot: MetricsSnapshot | null;
  readonly runner: RolloutRunner | null;
  /** Paper orders and fills of a shadow step. */
  readonly paper: { readonly orders: number; readonly fills: number };
  /** A fixed-weight run's comparison of the arms (null with a plan: the runner has its own). */
  readonly comparison: ArmComparison | null;
  /** Market events the run traded (a segment's: its venue's). */
  readonly eventsTraded: number;
}

/** Assembles report.json's data from a finished run. */
export function buildReport(run: ReportSources): ReportJson {
  const { config, sources, engine, snapshot, runner } = run;
  const files = sources.map(reportInputFile);
  const firstTsUs = minOf(sources.map((s) => s.stats.firstTsUs));
  const lastTsUs = maxOf(sources.map((s) => s.stats.lastTsUs));
  const exposure = engine.router.exposure(config.accounts);
  const track = engine.canaryExposure();
  const totalCapital = config.accounts.reduce((sum, a) => sum.plus(a.capital), ZERO);
  const totalCapitalNum = totalCapital.toNumber();
  const accountCount = config.accounts.length;
  const arm = (which: Arm): ReportArm => reportArm(which, config, engine, snapshot);
  const rollout = config.rollout;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    inputs: {
      files,
      events: files.reduce((sum, f) => sum + f.events, 0),
      firstEventAt: firstTsUs === null ? null : usToIso(firstTsUs),
      lastEventAt: lastTsUs === null ? null : usToIso(lastTsUs),
      seed: config.seed,
      salt: config.salt,
      plan:
        rollout === undefined
          ? { type: 'fixed', weightPct: config.weightBps / 100 }
          : {
              type: 'plan',
              name: rollout.plan.name,
              source: rollout.plan.source,
              hash: planHash(rollout.plan),
              timeScale: rollout.timeScale ?? 1,
              mode: rollout.mode,
              positions: rollout.plan.positions,
              steps: rollout.plan.steps,
              metrics: rollout.plan.metrics,
              guardrails: rollout.plan.guardrails,
              onMaxDuration: rollout.plan.onMaxDuration,
              baselineMs: rollout.plan.baselineMs ?? 0,
              ...(rollout.plan.calendar === undefined ? {} : { calendar: rollout.plan.calendar }),
            },
      accounts: {
        source: config.accountsSource,
        count: accountCount,
        capital: moneyToString(totalCapital),
      },
      strategies: {
        stable: reportStrategy(config.strategies.stable),
        canary: reportStrategy(config.strategies.canary),
      },
      execution: engine.broker.describeFillModel(),
      onBadLine: config.feed.onBadLine,
      sampleIntervalMs: config.sampleIntervalMs,
      command: config.command ?? null,
      ...(config.segment === undefined
        ? {}
        : { segment: { ...config.segment, events: run.eventsTraded } }),
      ...(config.lane === undefined
        ? {}
        : {
            candidate: {
              name: candidateName(config.lane.index),
              lane: config.lane.index,
              candidates: config.lane.candidates,
            },
          }),
    },
    arms: { stable: arm('stable'), canary: arm('canary') },
    exposure: {
      accounts: exposure.accounts,
      canaryAccounts: exposure.canaryAccounts,
      excludedAccounts: exposure.excludedAccounts,
      accountSharePct: round(exposure.accountSharePct, 4),
      capitalSharePct: round(exposure.capitalSharePct, 4),
      maxAccountSharePct: round(share(track.maxAccounts, accountCount), 4),
      maxCapitalSharePct: round(share(track.maxCapital, totalCapitalNum), 4),
      canaryCapitalMinutes: round(track.capitalMinutes, 2),
    },
    shadow: reportShadow(engine, run.paper),
    rollout:
      runner === null
        ? null
        : {
            status: runner.controller.status,
            halted: runner.controller.halted,
            stepIndex: runner.controller.stepIndex,
            finalWeightPct: runner.controller.weightPct,
            auditLog: rollout?.auditPath == null ? null : basename(rollout.auditPath),
            auditRecords: runner.records.length,
            deployments: runner.controller.deployments,
          },
    decisions: runner === null ? [] : runner.decisions.map(reportDecisionOf),
    comparison:
      run.comparison === null
        ? null
        : run.comparison
            .evaluate(undefined, [])
            // No steps: the step scope is the whole run too, so only the rollout's is shown.
            .filter((evidence) => evidence.scope === 'rollout'),
    outcome: outcomeOf(runner),
    series: buildReportSeries({
      detail: { stable: snapshot?.arms.stable.detail, canary: snapshot?.arms.canary.detail },
      exposure: engine.exposureHistory(),
      totalAccounts: accountCount,
      totalCapital: totalCapitalNum,
    }),
  };
}

function outcomeOf(runner: RolloutRunner | null): ReportOutcome {
  return runner === null ? 'fixed_weight' : runner.outcome;
}

function reportShadow(
  engine: TradingEngine,
  paper: { readonly orders: number; readonly fills: number },
): ReportShadow | null {
  if (engine.paperAccountsCreated === 0) return null;
  const totals = engine.paperLedger.armTotals('canary');
  return {
    paperAccounts: engine.paperAccountsCreated,
    orders: paper.orders,
    fills: paper.fills,
    realizedPnl: moneyToString(totals.realizedPnl),
    unrealizedPnl: moneyToString(totals.unrealizedPnl),
    fees: moneyToString(totals.fees),
    pnl: moneyToString(totals.pnl),
  };
}

function reportArm(
  arm: Arm,
  config: ReplayConfig,
  engine: TradingEngine,
  snapshot: MetricsSnapshot | null,
): ReportArm {
  const totals = engine.ledger.armTotals(arm);
  const stats = snapshot?.arms[arm];
  const detail = stats?.detail;
  const activity = engine.activity(arm);
  const trades = engine.ledger.armTradeStats(arm);
  const intervalsPerYear = MS_PER_YEAR / config.sampleIntervalMs;
  return {
    id: config.strategies[arm].definition.name + '@' + config.strategies[arm].definition.version,
    accounts: totals.accounts,
    capital: moneyToString(totals.capital),
    orders: stats?.orders ?? 0,
    fills: stats?.fills ?? 0,
    rejects: stats?.rejects ?? 0,
    rejectsByReason: sortedRecord(stats?.rejectsByReason ?? {}),
    strategyErrors: activity.strategyErrors,
    targetChanges: activity.targetChanges,
    realizedPnl: moneyToString(totals.realizedPnl),
    unrealizedPnl: moneyToString(totals.unrealizedPnl),
    fees: moneyToString(totals.fees),
    pnl: moneyToString(totals.pnl),
    equity: moneyToString(totals.equity),
    ordersBelowMinNotional: activity.ordersBelowMinNotional,
    // From the equity curve: compounded interval returns, so account moves count as flows.
    returnPct: round(stats?.returnPct ?? 0, 6),
    maxDrawdownPct: round(stats?.maxDrawdownPct ?? 0, 6),
    maxDrawdownStartAt: isoOrNull(detail?.maxDrawdownPeakTsUs ?? null),
    maxDrawdownEndAt: isoOrNull(detail?.maxDrawdownTroughTsUs ?? null),
    fillRatio:
      stats === undefined || stats.orders === 0 ? null : round(stats.fills / stats.orders, 6),
    sharpe: annualizedRatio(detail, detail?.intervalReturnStdDev ?? 0, intervalsPerYear),
    sortino: annualizedRatio(detail, detail?.intervalReturnDownsideDev ?? 0, intervalsPerYear),
    closedTrades: trades.closedTrades,
    winRatePct:
      trades.closedTrades === 0
        ? null
        : round((trades.winningTrades / trades.closedTrades) * 100, 4),
    profitFactor: trades.grossLoss > 0 ? round(trades.grossProfit / trades.grossLoss, 4) : null,
    latencyMs: {
      p50: roundOrNull(stats?.latencyMs.p50 ?? null, 3),
      p99: roundOrNull(stats?.latencyMs.p99 ?? null, 3),
    },
    slippageBps: {
      mean: roundOrNull(stats?.slippageBps.mean ?? null, 4),
      p95: roundOrNull(stats?.slippageBps.p95 ?? null, 4),
    },
  };
}

function reportInputFile(source: FeedSource): ReportInputFile {
  const s = source.stats;
  return {
    path: source.path,
    format: source.format,
    sha256: s.sha256 ?? '',
    bytes: source.sizeBytes,
    lines: s.lines,
    events: s.events,
    trades: s.trades,
    quotes: s.quotes,
    skipped: sortedRecord(s.skipped),
    badLines: s.badLines,
    outOfOrder: s.outOfOrder,
    firstEventAt: s.firstTsUs === null ? null : usToIso(s.firstTsUs),
    lastEventAt: s.lastTsUs === null ? null : usToIso(s.lastTsUs),
  };
}

const MS_PER_YEAR = 365 * 24 * 60 * 60 * 1000;

/** mean / dispersion × √(intervals per year); null with fewer than two intervals or none of it. */
function annualizedRatio(
  detail: ArmDetail | undefined,
  dispersion: number,
  intervalsPerYear: number,
): number | null {
  if (detail === undefined || detail.riskIntervals < 2 || !(dispersion > 0)) return null;
  return roundOrNull((detail.intervalReturnMean / dispersion) * Math.sqrt(intervalsPerYear), 4);
}

function isoOrNull(tsUs: number | null): string | null {
  return tsUs === null ? null : usToIso(tsUs);
}

function share(part: number, whole: number): number {
  return whole <= 0 ? 0 : (part / whole) * 100;
}

/** Rounds for the report (statistics only; money is never rounded), keeping JSON stable. */
function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const rounded = new Decimal(value).toDecimalPlaces(decimals).toNumber();
  return Object.is(rounded, -0) ? 0 : rounded;
}

function roundOrNull(value: number | null, decimals: number): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value, decimals);
}

function sortedRecord(record: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function minOf(values: readonly (number | null)[]): number | null {
  let min: number | null = null;
  for (const v of values) if (v !== null && (min === null || v < min)) min = v;
  return min;
}

function maxOf(values: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const v of values) if (v !== null && (max === null || v > max)) max = v;
  return max;
}

/** An arm's strategy as report.json names it: as given, what it says it is, and its file's hash. */
function reportStrategy(strategy: ArmStrategyConfig): ReportStrategy {
  return {
    id: strategy.spec,
    version: `${strategy.definition.name}@${strategy.definition.version}`,
    sha256: strategy.moduleSha256 ?? null,
    params: strategy.params,
  };
}
