// Deterministic inputs for the chart tests: a 10-minute run with return series, exposure steps,
// quantiles and four decision markers.
import type {
  ChartDecisionMarker,
  ReportExposureSeries,
  ReportQuantiles,
  ReportReturnSeries,
} from '../../report-series.js';

export const T0 = Date.UTC(2024, 7, 8, 12, 0, 0);
export const RUN_MS = 600_000;

/** A random-walk return series of `n` points over the run (a seeded LCG, no Math.random). */
export function returnSeries(n: number, seed: number): ReportReturnSeries {
  let s = seed;
  const rnd = (): number => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647 - 0.5;
  const tsMs: number[] = [];
  const returnPct: number[] = [];
  const drawdownPct: number[] = [];
  let x = 0;
  let peak = 1;
  for (let i = 0; i < n; i++) {
    tsMs.push(T0 + Math.round((i * RUN_MS) / Math.max(1, n - 1)));
    x += rnd() * 0.05;
    const value = 1 + x / 100;
    peak = Math.max(peak, value);
    returnPct.push(Number(x.toFixed(6)));
    drawdownPct.push(Number(((1 - value / peak) * 100).toFixed(6)));
  }
  return { tsMs, returnPct, drawdownPct };
}

export const MARKERS: readonly ChartDecisionMarker[] = [
  {
    seq: 11,
    tsMs: T0 + 60_000,
    action: 'increase',
    fromWeightPct: 1,
    toWeightPct: 5,
    reason: 'NON_INFERIOR: canary not worse',
  },
  {
    seq: 12,
    tsMs: T0 + 120_000,
    action: 'hold',
    fromWeightPct: 5,
    toWeightPct: 5,
    reason: 'TOO_FEW_FILLS: 12 < 30',
  },
  {
    seq: 13,
    tsMs: T0 + 300_000,
    action: 'promote',
    fromWeightPct: 5,
    toWeightPct: 100,
    reason: 'BETTER: p < 0.05 & "fine"',
  },
  {
    seq: 14,
    tsMs: T0 + 420_000,
    action: 'rollback',
    fromWeightPct: 100,
    toWeightPct: 0,
    reason: 'DRAWDOWN: canary drawdown 3.1% > 2%',
  },
];

export const EXPOSURE: ReportExposureSeries = {
  tsMs: [T0, T0 + 60_000, T0 + 300_000, T0 + 420_000],
  weightPct: [1, 5, 100, 0],
  accountSharePct: [1.1, 4.9, 100, 0],
  capitalSharePct: [0.8, 5.3, 100, 0],
};

const Q = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];
export const LATENCY: Readonly<Record<'stable' | 'canary', ReportQuantiles>> = {
  stable: { q: Q, value: [2, 3, 4, 5, 7, 10, 30, 80, 150] },
  canary: { q: Q, value: [2.5, 3.5, 4.5, 6, 9, 14, 45, 120, 300] },
};
export const SLIPPAGE: Readonly<Record<'stable' | 'canary', ReportQuantiles>> = {
  stable: { q: Q, value: [-3, -1, 0, 0.5, 1.2, 2.5, 6, 9, 12] },
  canary: { q: Q, value: [-2, -0.5, 0.2, 0.9, 1.9, 3.4, 8, 11, 15] },
};
