import { ARMS } from '../../core/arm.js';
import type { ChartDecisionMarker } from '../report-series.js';
import type { ArmReturnSeries } from './chart-inputs.js';
import type { TimeChartOptions } from './chart-options.js';
import { ARM_LOOK } from './chart-theme.js';
import { renderTimeChart } from './time-chart.js';

/**
 * Cumulative return per arm (stable solid blue-grey, canary dashed orange), in % of capital, over
 * event time (UTC), with a numbered, colored marker per decision (hover: the reason).
 *
 * @example renderReturnChart(report.series.returns, markers) // '<svg ...>...</svg>'
 */
export function renderReturnChart(
  returns: ArmReturnSeries | null | undefined,
  markers: readonly ChartDecisionMarker[] = [],
  options: TimeChartOptions = {},
): string {
  return renderTimeChart({
    kind: 'returns',
    title: 'Cumulative return per arm',
    yName: 'cumulative return, %',
    lines: ARMS.map((arm) => ({
      name: arm,
      look: ARM_LOOK[arm],
      step: false,
      tsMs: returns?.[arm]?.tsMs ?? [],
      values: returns?.[arm]?.returnPct ?? [],
    })),
    markers,
    options,
  });
}
