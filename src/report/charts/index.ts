// report.html's charts: plain data in, a static, deterministic SVG string out (ECharts SSR).
export type { ArmQuantiles, ArmReturnSeries } from './chart-inputs.js';
export type { ChartOptions, TimeChartOptions } from './chart-options.js';
export { ACTION_LOOK, ARM_LOOK, FONT_FAMILY, type LineLook } from './chart-theme.js';
export {
  downsampleIndices,
  MAX_POINTS,
  TARGET_POINTS,
  type DownsampleOptions,
} from './downsample.js';
export { noDataSvg } from './no-data-svg.js';
export { utcTimeLabel } from './utc-time-label.js';

export { renderReturnChart } from './returns-chart.js';
export { renderDrawdownChart } from './drawdown-chart.js';
export { renderLatencyChart } from './latency-chart.js';
export { renderSlippageChart } from './slippage-chart.js';
export { renderExposureChart } from './exposure-chart.js';
export { renderTimelineChart } from './timeline-chart.js';
