import { ARMS } from '../../core/arm.js';
import type { ChartDecisionMarker } from '../report-series.js';
import type { ArmReturnSeries } from './chart-inputs.js';
import type { TimeChartOptions } from './chart-options.js';
import { ARM_LOOK } from './chart-theme.js';
import { renderTimeChart } from './time-chart.js';

/**
 * Drawdown from the running peak per arm, %, plotted downward from a zero line at the top (axis
 * labels stay positive: "5" is 5 % below the peak), over event time (UTC); decision markers
 * optional.
 *
 * @example renderDrawdownChart(report.series.returns) // '<svg ...>...</svg>'
 */
export function renderDrawdownChart(
  returns: ArmReturnSeries | null | undefined,
  markers: readonly ChartDecisionMarker[] = [],
  options: TimeChartOptions = {},
): string {
  return renderTimeChart({
    kind: 'drawdown',
    title: 'Drawdown per arm',
    yName: 'drawdown from peak, %',
    yInverse: true,
    lines: ARMS.map((arm) => ({
      name: arm,
      look: ARM_LOOK[arm],
      step: false,
      tsMs: returns?.[arm]?.tsMs ?? [],
      values: returns?.[arm]?.drawdownPct ?? [],
    })),
    markers,
    options,
  });
}
