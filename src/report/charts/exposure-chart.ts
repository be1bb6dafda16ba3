import type { ReportExposureSeries } from '../report-series.js';
import type { TimeChartOptions } from './chart-options.js';
import { ARM_LOOK, MUTED_COLOR, TEXT_COLOR } from './chart-theme.js';
import { renderTimeChart } from './time-chart.js';

/**
 * The canary's exposure over event time (UTC), as steps, %: its share of real capital (solid
 * orange), the router's weight (dashed) and its share of accounts (dotted). Each value holds to
 * the next change; the last to the end of `options.timeRangeMs` (default: the last change).
 *
 * @example renderExposureChart(report.series.exposure, { timeRangeMs: [startMs, endMs] })
 */
export function renderExposureChart(
  exposure: ReportExposureSeries | null | undefined,
  options: TimeChartOptions = {},
): string {
  const tsMs = exposure?.tsMs ?? [];
  return renderTimeChart({
    kind: 'exposure',
    title: 'Canary exposure over time',
    yName: 'canary share, %',
    lines: [
      {
        name: 'share of capital',
        look: { color: ARM_LOOK.canary.color, dash: null },
        lineWidth: 2,
        step: true,
        tsMs,
        values: exposure?.capitalSharePct ?? [],
      },
      {
        name: 'weight',
        look: { color: TEXT_COLOR, dash: [6, 3] },
        step: true,
        tsMs,
        values: exposure?.weightPct ?? [],
      },
      {
        name: 'share of accounts',
        look: { color: MUTED_COLOR, dash: [1.5, 3] },
        step: true,
        tsMs,
        values: exposure?.accountSharePct ?? [],
      },
    ],
    markers: [],
    options,
  });
}
