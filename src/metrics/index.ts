/** Streaming per-arm statistics: the RxJS operator, its input and output types, and the sketches. */
export { armMetrics } from './arm-metrics.js';
export type { ArmMetricsOptions } from './arm-metrics.js';
export { ArmStats } from './arm-stats.js';
export { IntervalBoundaries, MAX_BOUNDARIES_PER_GAP } from './interval-boundaries.js';
export { LatencyHistogram } from './latency-histogram.js';
export type {
  EquitySample,
  MembershipChange,
  MetricsInput,
  OrderSent,
  StrategyErrorInput,
} from './metrics-input.js';
export { DETAIL_QUANTILES } from './metrics-snapshot.js';
export type { ArmDetail, ArmMetrics, MetricsSnapshot, Quantiles } from './metrics-snapshot.js';
export { REJECT_REASONS } from './reject-reasons.js';
export { SignedHistogram } from './signed-histogram.js';
export type { SignedHistogramOptions } from './signed-histogram.js';
