/** Options every chart renderer takes; all optional. */
export interface ChartOptions {
  /** viewBox width, px (the SVG itself is `width:100%`). Default 800. */
  readonly width?: number;
  /** viewBox height, px. Default 300 (timeline 220). */
  readonly height?: number;
  /**
   * Prefix of the SVG's element ids, which must be unique within one HTML page. Default: one per
   * chart kind (`chart-returns`, ...), enough for a report that shows each chart once.
   */
  readonly idPrefix?: string;
  /** Accessible name of the chart (`aria-label`). */
  readonly title?: string;
}

/** Options of the charts over event time. */
export interface TimeChartOptions extends ChartOptions {
  /**
   * The time axis' range, ms since the epoch, so that several time charts line up (and step
   * series hold their last value to the run's end). Default: the data's and markers' range.
   */
  readonly timeRangeMs?: readonly [number, number];
}
