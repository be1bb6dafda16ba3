import {
  renderDrawdownChart,
  renderExposureChart,
  renderLatencyChart,
  renderReturnChart,
  renderSlippageChart,
  renderTimelineChart,
} from './charts/index.js';
import type { ReportDecision, ReportJson } from './report-json.js';
import type { ChartDecisionMarker } from './report-series.js';
import type { ReportChartSvgs } from './render-report-html.js';
import { isMarkedDecision } from './report-view.js';

/** The chart markers of the decisions worth marking ({@link isMarkedDecision}). */
export function chartMarkersOf(decisions: readonly ReportDecision[]): ChartDecisionMarker[] {
  return decisions.filter(isMarkedDecision).map((d) => {
    const reason = d.reasons[0];
    return {
      seq: d.seq,
      tsMs: isoToMs(d.at),
      action: d.action,
      fromWeightPct: d.fromWeightPct,
      toWeightPct: d.toWeightPct,
      reason: reason === undefined ? '' : `${reason.code}: ${reason.message}`,
    };
  });
}

/** The time range of the run, ms since the epoch, so every time chart lines up; null without data. */
function timeRangeOf(report: ReportJson): readonly [number, number] | null {
  const { firstEventAt, lastEventAt } = report.inputs;
  if (firstEventAt === null || lastEventAt === null) return null;
  return [isoToMs(firstEventAt), isoToMs(lastEventAt)];
}

/** An ISO time with µs (`…SS.ffffffZ`) as ms since the epoch, the µs kept as decimals. */
function isoToMs(iso: string): number {
  return Date.parse(iso) + Number(`0.${iso.slice(23, 26)}`);
}

/** Every chart of report.html, from report.json alone (so `report DIR` can redraw them). */
export function renderReportCharts(report: ReportJson): ReportChartSvgs {
  const markers = chartMarkersOf(report.decisions);
  const range = timeRangeOf(report);
  const time = range === null ? {} : { timeRangeMs: range };
  const series = report.series;
  return {
    timeline: renderTimelineChart(series.exposure, markers, time),
    returns: renderReturnChart(series.returns, markers, time),
    drawdown: renderDrawdownChart(series.returns, markers, time),
    latency: renderLatencyChart(series.latencyMs),
    slippage: renderSlippageChart(series.slippageBps),
    exposure: renderExposureChart(series.exposure, time),
  };
}
