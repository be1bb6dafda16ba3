// All six charts of one report from the fixtures, for the determinism tests (run in-process and in
// a fresh child process).
import * as charts from '../index.js';
import {
  EXPOSURE,
  LATENCY,
  MARKERS,
  returnSeries,
  RUN_MS,
  SLIPPAGE,
  T0,
} from './chart-fixtures.js';

export function renderAllCharts(): string[] {
  const returns = { stable: returnSeries(2_000, 7), canary: returnSeries(2_000, 11) };
  const range = { timeRangeMs: [T0, T0 + RUN_MS] as const };
  return [
    charts.renderReturnChart(returns, MARKERS, range),
    charts.renderDrawdownChart(returns, [], range),
    charts.renderLatencyChart(LATENCY),
    charts.renderSlippageChart(SLIPPAGE),
    charts.renderExposureChart(EXPOSURE, range),
    charts.renderTimelineChart(EXPOSURE, MARKERS, range),
  ];
}
