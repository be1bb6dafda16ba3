import type { ArmQuantiles } from './chart-inputs.js';
import type { ChartOptions } from './chart-options.js';
import { renderCdfChart } from './cdf-chart.js';

/**
 * Fill latency per arm as CDFs on one axis: x = latency (ms; log scale when the values span 50×
 * or more), y = cumulative share of fills (%); the legend gives each arm's p50 and p99.
 *
 * @example renderLatencyChart(report.series.latencyMs) // '<svg ...>...</svg>'
 */
export function renderLatencyChart(
  latencyMs: ArmQuantiles | null | undefined,
  options: ChartOptions = {},
): string {
  return renderCdfChart({
    kind: 'latency',
    title: 'Fill latency distribution per arm (CDF)',
    xName: 'fill latency, ms',
    unit: 'ms',
    logAboveRatio: 50,
    quantiles: latencyMs,
    options,
  });
}
