/** The metrics the statistical comparison covers, canary against stable. */
export type MetricName = 'slippageBps' | 'latencyMs' | 'rejectRate' | 'returnBps';

/** Every compared metric, in the order evidence lists them. */
export const METRIC_NAMES: readonly MetricName[] = [
  'slippageBps',
  'latencyMs',
  'rejectRate',
  'returnBps',
];

/** Whether a larger canary − stable difference is bad (`lower`) or good (`higher`). */
export type MetricDirection = 'lower-is-better' | 'higher-is-better';

/** Direction of each metric: only returns are higher-is-better. */
export function metricDirection(metric: MetricName): MetricDirection {
  return metric === 'returnBps' ? 'higher-is-better' : 'lower-is-better';
}

/** Unit of each metric's estimate, interval and margin, as messages print it. */
export function metricUnit(metric: MetricName): string {
  switch (metric) {
    case 'slippageBps':
      return 'bps';
    case 'latencyMs':
      return 'ms';
    case 'rejectRate':
      return 'fraction of orders';
    case 'returnBps':
      return 'bps per hour';
  }
}
