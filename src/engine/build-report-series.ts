import type { Arm } from '../core/arm.js';
import type { ArmDetail, Quantiles } from '../metrics/index.js';
import type {
  ReportExposureSeries,
  ReportQuantiles,
  ReportReturnSeries,
  ReportSeries,
} from '../report/report-series.js';
import type { CanaryExposurePoint } from './trading-engine.js';

/** What the chart series are built from: each arm's final metrics detail and the exposure steps. */
export interface SeriesSources {
  readonly detail: Readonly<Record<Arm, ArmDetail | undefined>>;
  readonly exposure: readonly CanaryExposurePoint[];
  readonly totalAccounts: number;
  readonly totalCapital: number;
}

/**
 * report.json's `series`: each arm's cumulative return and drawdown from its equity curve's chart
 * series (bounded, so a day-long run stays small), the canary's exposure as exact steps, and the
 * latency and slippage distributions as quantiles. Numbers are rounded for a stable, compact file.
 */
export function buildReportSeries(sources: SeriesSources): ReportSeries {
  return {
    returns: {
      stable: returnSeries(sources.detail.stable),
      canary: returnSeries(sources.detail.canary),
    },
    exposure: exposureSeries(sources),
    latencyMs: {
      stable: quantiles(sources.detail.stable?.latencyMs ?? null, 3),
      canary: quantiles(sources.detail.canary?.latencyMs ?? null, 3),
    },
    slippageBps: {
      stable: quantiles(sources.detail.stable?.slippageBps ?? null, 4),
      canary: quantiles(sources.detail.canary?.slippageBps ?? null, 4),
    },
  };
}

function returnSeries(detail: ArmDetail | undefined): ReportReturnSeries {
  const tsMs: number[] = [];
  const returnPct: number[] = [];
  const drawdownPct: number[] = [];
  let peak = 1;
  for (const point of detail?.curve ?? []) {
    const value = 1 + point.returnPct / 100;
    if (value > peak) peak = value;
    tsMs.push(msOf(point.tsUs));
    returnPct.push(roundTo(point.returnPct, 6));
    drawdownPct.push(roundTo(peak > 0 ? (1 - value / peak) * 100 : 0, 6));
  }
  return { tsMs, returnPct, drawdownPct };
}

function exposureSeries(sources: SeriesSources): ReportExposureSeries {
  const { exposure, totalAccounts, totalCapital } = sources;
  return {
    tsMs: exposure.map((p) => msOf(p.tsUs)),
    weightPct: exposure.map((p) => p.weightBps / 100),
    accountSharePct: exposure.map((p) => roundTo(share(p.accounts, totalAccounts), 4)),
    capitalSharePct: exposure.map((p) => roundTo(share(p.capital, totalCapital), 4)),
  };
}

function quantiles(source: Quantiles | null, decimals: number): ReportQuantiles | null {
  if (source === null) return null;
  return { q: source.q, value: source.value.map((v) => roundTo(v, decimals)) };
}

function share(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

/** µs → ms since the epoch, exact (a µs is 0.001 ms; whole-µs times print with ≤ 3 decimals). */
function msOf(tsUs: number): number {
  return Math.round(tsUs) / 1000;
}

/** Rounds a statistic to `decimals` places (never −0), for a stable and compact report.json. */
function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}
