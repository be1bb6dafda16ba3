import type { ArmQuantiles } from './chart-inputs.js';
import type { ChartOptions } from './chart-options.js';
import { renderCdfChart } from './cdf-chart.js';

/**
 * Slippage against the decision price per arm as CDFs on one axis: x = slippage (bps, positive =
 * worse), y = cumulative share of fills (%); the legend gives each arm's p50 and p99.
 *
 * @example renderSlippageChart(report.series.slippageBps) // '<svg ...>...</svg>'
 */
export function renderSlippageChart(
  slippageBps: ArmQuantiles | null | undefined,
  options: ChartOptions = {},
): string {
  return renderCdfChart({
    kind: 'slippage',
    title: 'Slippage distribution per arm (CDF)',
    xName: 'slippage, bps (positive = worse)',
    unit: 'bps',
    quantiles: slippageBps,
    options,
  });
}
