/** The metrics the statistical comparison covers, canary against stable. */
export type MetricName = 'slippageBps' | 'latencyMs' | 'rejectRate' | 'feeBps' | 'edgeBps';

/** Every compared metric, in the order evidence lists them. */
export const METRIC_NAMES: readonly MetricName[] = [
  'slippageBps',
  'latencyMs',
  'rejectRate',
  'feeBps',
  'edgeBps',
];

/** Whether a larger canary − stable difference is bad (`lower`) or good (`higher`). */
export type MetricDirection = 'lower-is-better' | 'higher-is-better';

/** Direction of each metric: only the return per unit of turnover is higher-is-better. */
export function metricDirection(metric: MetricName): MetricDirection {
  return metric === 'edgeBps' ? 'higher-is-better' : 'lower-is-better';
}

/** Unit of each metric's estimate, bounds and margin, as messages and reports print it. */
export function metricUnit(metric: MetricName): string {
  switch (metric) {
    case 'slippageBps':
      return 'bps';
    case 'latencyMs':
      return 'ms';
    case 'rejectRate':
      return 'fraction of orders';
    case 'feeBps':
      return 'bps of notional';
    case 'edgeBps':
      return 'bps of traded notional';
  }
}
