import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { ChartDecisionMarker } from '../report-series.js';
import type { TimeChartOptions } from './chart-options.js';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  FONT_FAMILY,
  FONT_SIZE,
  GRID_COLOR,
  MUTED_COLOR,
  TEXT_COLOR,
  type LineLook,
} from './chart-theme.js';
import { decisionMarkersSvg, MARKER_LABEL_ROWS, type PlotRect } from './decision-markers.js';
import { downsampleIndices } from './downsample.js';
import { renderEChartsSvg } from './echarts-svg.js';
import { noDataSvg } from './no-data-svg.js';
import { textWidth } from './text-width.js';
import { crossesUtcDay, utcTimeLabel } from './utc-time-label.js';

/** One line of a time chart: parallel arrays, `tsMs` ascending. */
export interface TimeLine {
  readonly name: string;
  readonly look: LineLook;
  readonly lineWidth?: number;
  /** Steps: each value holds until the next point (the last to the axis' end). */
  readonly step: boolean;
  readonly tsMs: readonly number[];
  readonly values: readonly number[];
}

/** What {@link renderTimeChart} draws. */
export interface TimeChartSpec {
  /** Chart kind, for the default id prefix (`chart-<kind>`). */
  readonly kind: string;
  readonly title: string;
  readonly yName: string;
  /** Plot y downward (positive values below the zero line). */
  readonly yInverse?: boolean;
  readonly yMax?: number;
  readonly lines: readonly TimeLine[];
  readonly markers: readonly ChartDecisionMarker[];
  /** A dot per marker at this y value (the timeline's new weight). */
  readonly markerDotY?: (marker: ChartDecisionMarker) => number;
  /** Markers alone are worth a chart (no "no data" when the lines are empty). */
  readonly markersAreData?: boolean;
  readonly defaultHeight?: number;
  readonly options: TimeChartOptions;
}

const MIN_GRID_LEFT = 64;
const GRID_BOTTOM = 48;
const GRID_TOP_PLAIN = 34;
const GRID_TOP_MARKERS = 30 + MARKER_LABEL_ROWS * 13;

/**
 * A chart over event time (UTC): lines (optionally as steps, downsampled above 4,000 points
 * keeping the markers' times), a legend, and the decision markers drawn on top.
 */
export function renderTimeChart(spec: TimeChartSpec): string {
  const { options } = spec;
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? spec.defaultHeight ?? DEFAULT_HEIGHT;
  const title = options.title ?? spec.title;
  const markers = spec.markers.filter((m) => Number.isFinite(m.tsMs));
  const keepTsMs = markers.map((m) => m.tsMs);
  const lines = spec.lines.map((line) => ({ line, points: linePoints(line, keepTsMs) }));
  const hasPoints = lines.some((l) => l.points.length > 0);
  if (!hasPoints && !(spec.markersAreData === true && markers.length > 0)) {
    return noDataSvg(title, width);
  }
  const range = timeRange(
    lines.flatMap((l) => [l.points[0]?.[0], l.points.at(-1)?.[0]]),
    keepTsMs,
    options.timeRangeMs,
  );
  const span = range[1] - range[0];
  const crossesDay = crossesUtcDay(range[0], range[1]);
  // Room for half of a centered label at the axis' end: `HH:MM:SS`, or a date and time.
  const gridRight = span < 86_400_000 && !crossesDay ? 32 : 64;
  const top = markers.length > 0 ? GRID_TOP_MARKERS : GRID_TOP_PLAIN;
  const yLabels = yLabelWidth(
    lines.flatMap((l) => l.points.map((p) => p[1])),
    spec.yMax,
  );
  // the rotated axis name sits left of the tick labels, which ECharts puts 8 px from the axis
  const nameGap = Math.max(40, Math.ceil(yLabels) + 16);
  const plot: PlotRect = {
    left: Math.max(MIN_GRID_LEFT, nameGap + 22),
    top,
    right: width - gridRight,
    bottom: height - GRID_BOTTOM,
  };
  const series: LineSeriesOption[] = lines.map(({ line, points }) => {
    const last = points.at(-1);
    const data =
      line.step && last !== undefined && last[0] < range[1]
        ? [...points, [range[1], last[1]]]
        : points;
    return {
      type: 'line',
      name: points.length > 0 ? line.name : `${line.name} (no data)`,
      data,
      step: line.step ? 'end' : false,
      showSymbol: data.length < 2,
      symbol: data.length < 2 ? 'circle' : 'none',
      silent: true,
      color: line.look.color,
      lineStyle: {
        color: line.look.color,
        width: line.lineWidth ?? 1.6,
        type: line.look.dash === null ? 'solid' : [...line.look.dash],
      },
    };
  });
  const option: EChartsOption = {
    textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR },
    grid: {
      left: plot.left,
      top: plot.top,
      right: gridRight,
      bottom: GRID_BOTTOM,
      outerBoundsMode: 'none',
    },
    legend: {
      top: 4,
      left: plot.left - 4,
      selectedMode: false,
      itemWidth: 24,
      itemHeight: 10,
      itemGap: 24,
      // A line series' legend icon is its line plus a symbol; hide the symbol.
      itemStyle: { opacity: 0 },
      textStyle: { color: TEXT_COLOR },
    },
    xAxis: {
      type: 'time',
      min: range[0],
      max: range[1],
      name: 'event time (UTC)',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: MUTED_COLOR },
      axisLabel: {
        color: MUTED_COLOR,
        hideOverlap: true,
        formatter: (value: number) => utcTimeLabel(value, span, crossesDay),
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: spec.yName,
      nameLocation: 'middle',
      nameGap,
      nameTextStyle: { color: MUTED_COLOR },
      inverse: spec.yInverse ?? false,
      ...(spec.yMax === undefined ? {} : { max: spec.yMax }),
      axisLabel: { color: MUTED_COLOR },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    series,
  };
  return renderEChartsSvg({
    option,
    width,
    height,
    idPrefix: options.idPrefix ?? `chart-${spec.kind}`,
    title,
    overlay: (pixels) => decisionMarkersSvg(markers, pixels, plot, width, spec.markerDotY),
  });
}

/** Finite `[tsMs, value]` pairs, downsampled above 4,000 points (keeping `keepTsMs`). */
function linePoints(line: TimeLine, keepTsMs: readonly number[]): [number, number][] {
  const ts: number[] = [];
  const values: number[] = [];
  const n = Math.min(line.tsMs.length, line.values.length);
  for (let i = 0; i < n; i++) {
    const t = line.tsMs[i] ?? Number.NaN;
    const v = line.values[i] ?? Number.NaN;
    if (Number.isFinite(t) && Number.isFinite(v)) {
      ts.push(t);
      values.push(v);
    }
  }
  return downsampleIndices(ts, values, { keepTsMs }).map((i) => [ts[i] ?? 0, values[i] ?? 0]);
}

/** The axis range: the given one if valid, else the data's and markers' extent (never empty). */
function timeRange(
  ends: readonly (number | undefined)[],
  markerTs: readonly number[],
  given: readonly [number, number] | undefined,
): [number, number] {
  if (given !== undefined && Number.isFinite(given[0]) && given[1] > given[0]) {
    return [given[0], given[1]];
  }
  const all = [...ends, ...markerTs].filter((t): t is number => t !== undefined);
  let from = Math.min(...all);
  let to = Math.max(...all);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [0, 1_000];
  if (to <= from) {
    from -= 500;
    to += 500;
  }
  return [from, to];
}

/**
 * About how wide the y axis' tick labels will be, px: the labels of ECharts' "nice" ticks (steps
 * of 1, 2, 5 × 10^k over about 5 intervals, zero included) at the extremes, with the step's
 * decimals and thousands separators. Generous on purpose: it only sizes the left margin.
 */
function yLabelWidth(values: readonly number[], yMax: number | undefined): number {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, yMax ?? 0, ...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi - lo <= 0) return textWidth('0.0');
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * magnitude).find((x) => x >= raw) ?? 10 * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const label = (v: number): string => {
    const [int = '', frac] = (Math.round(v / step) * step).toFixed(decimals).split('.');
    const grouped = int.replace(/\B(?=(\d{3})+$)/g, ',');
    return frac === undefined ? grouped : `${grouped}.${frac}`;
  };
  const ends = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  return Math.max(...ends.map((v) => textWidth(label(v))));
}
