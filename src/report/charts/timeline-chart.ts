import type { ChartDecisionMarker, ReportExposureSeries } from '../report-series.js';
import type { TimeChartOptions } from './chart-options.js';
import { ARM_LOOK } from './chart-theme.js';
import { renderTimeChart } from './time-chart.js';

/**
 * The rollout's timeline: the canary's weight over event time (UTC) as steps on a 0–100 % axis,
 * each decision a numbered, colored marker with a dot at its new weight (hover: the reason).
 * Drawn from the markers alone when the exposure series is empty. Default height 220.
 *
 * @example renderTimelineChart(report.series.exposure, markers, { timeRangeMs: [startMs, endMs] })
 */
export function renderTimelineChart(
  exposure: ReportExposureSeries | null | undefined,
  markers: readonly ChartDecisionMarker[] = [],
  options: TimeChartOptions = {},
): string {
  return renderTimeChart({
    kind: 'timeline',
    title: 'Canary weight and decisions over time',
    yName: 'canary weight, %',
    yMax: 100,
    defaultHeight: 220,
    lines: [
      {
        name: 'canary weight',
        look: { color: ARM_LOOK.canary.color, dash: null },
        lineWidth: 2,
        step: true,
        tsMs: exposure?.tsMs ?? [],
        values: exposure?.weightPct ?? [],
      },
    ],
    markers,
    markerDotY: (marker) => marker.toWeightPct,
    markersAreData: true,
    options,
  });
}
