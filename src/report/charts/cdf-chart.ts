import type { EChartsOption, LineSeriesOption } from 'echarts';
import { ARMS } from '../../core/arm.js';
import type { ReportQuantiles } from '../report-series.js';
import type { ArmQuantiles } from './chart-inputs.js';
import type { ChartOptions } from './chart-options.js';
import {
  ARM_LOOK,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  FONT_FAMILY,
  FONT_SIZE,
  GRID_COLOR,
  MUTED_COLOR,
  TEXT_COLOR,
} from './chart-theme.js';
import { renderEChartsSvg } from './echarts-svg.js';
import { noDataSvg } from './no-data-svg.js';

/** What {@link renderCdfChart} draws. */
export interface CdfChartSpec {
  readonly kind: string;
  readonly title: string;
  /** x-axis name, with its unit. */
  readonly xName: string;
  /** Unit in the legend's p50/p99, e.g. `ms`. */
  readonly unit: string;
  /** Log x axis when every value is positive and max/min is at least this (never if undefined). */
  readonly logAboveRatio?: number;
  readonly quantiles: ArmQuantiles | null | undefined;
  readonly options: ChartOptions;
}

/**
 * Each arm's distribution as a CDF on one axis: x = value, y = cumulative share (%), straight
 * lines between the quantiles; the legend names each arm's p50 and p99.
 */
export function renderCdfChart(spec: CdfChartSpec): string {
  const { options } = spec;
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const title = options.title ?? spec.title;
  const arms = ARMS.map((arm) => ({ arm, points: cdfPoints(spec.quantiles?.[arm] ?? null) }));
  const values = arms.flatMap((a) => a.points.map((p) => p[0]));
  if (values.length === 0) return noDataSvg(title, width);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const log = spec.logAboveRatio !== undefined && min > 0 && max / min >= spec.logAboveRatio;
  const series: LineSeriesOption[] = arms.map(({ arm, points }) => ({
    type: 'line',
    name: legendName(arm, points, spec.unit),
    data: points,
    showSymbol: points.length < 2,
    symbol: points.length < 2 ? 'circle' : 'none',
    silent: true,
    color: ARM_LOOK[arm].color,
    lineStyle: {
      color: ARM_LOOK[arm].color,
      width: 1.8,
      type: ARM_LOOK[arm].dash === null ? 'solid' : [...(ARM_LOOK[arm].dash ?? [])],
    },
  }));
  const option: EChartsOption = {
    textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR },
    grid: { left: 64, top: 34, right: 32, bottom: 48, outerBoundsMode: 'none' },
    legend: {
      top: 4,
      left: 60,
      selectedMode: false,
      itemWidth: 24,
      itemHeight: 10,
      itemGap: 24,
      itemStyle: { opacity: 0 },
      textStyle: { color: TEXT_COLOR },
    },
    xAxis: {
      type: log ? 'log' : 'value',
      scale: true,
      name: log ? `${spec.xName} (log scale)` : spec.xName,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: MUTED_COLOR },
      axisLabel: { color: MUTED_COLOR, hideOverlap: true },
      axisLine: { onZero: false },
      splitLine: { lineStyle: { color: GRID_COLOR } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      name: 'cumulative share, %',
      axisLine: { onZero: false },
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: { color: MUTED_COLOR },
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
  });
}

/** `[value, q %]` pairs with finite numbers and q in [0, 1], by q. */
function cdfPoints(quantiles: ReportQuantiles | null): [number, number][] {
  if (quantiles === null) return [];
  const points: [number, number][] = [];
  const n = Math.min(quantiles.q.length, quantiles.value.length);
  for (let i = 0; i < n; i++) {
    const q = quantiles.q[i] ?? Number.NaN;
    const v = quantiles.value[i] ?? Number.NaN;
    if (Number.isFinite(q) && Number.isFinite(v) && q >= 0 && q <= 1) points.push([v, q * 100]);
  }
  return points.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

function legendName(arm: string, points: readonly [number, number][], unit: string): string {
  if (points.length === 0) return `${arm} (no data)`;
  const p50 = valueAt(points, 50);
  const p99 = valueAt(points, 99);
  return `${arm}: p50 ${formatValue(p50)} ${unit}, p99 ${formatValue(p99)} ${unit}`;
}

/** The value at cumulative share `pct`, linear between the quantiles (clamped at the ends). */
function valueAt(points: readonly [number, number][], pct: number): number {
  const first = points[0];
  if (first === undefined || pct <= first[1]) return first?.[0] ?? Number.NaN;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a === undefined || b === undefined || pct > b[1]) continue;
    return b[1] === a[1] ? b[0] : a[0] + ((b[0] - a[0]) * (pct - a[1])) / (b[1] - a[1]);
  }
  return points.at(-1)?.[0] ?? Number.NaN;
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return String(Number(value.toPrecision(3)));
}
