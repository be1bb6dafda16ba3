// The prebuilt bundle, not `echarts/core` and its parts: the same code, but one file instead of
// about 400 modules, so loading it costs about 45 ms instead of about 275 ms on this project's
// machines (`node dist/bench/module-load-probe.js`). Every command line that
// writes a report and every sweep worker loads it. echarts-bundle.d.ts gives it core's types.
import { init, setPlatformAPI } from 'echarts/dist/echarts.esm.min';
import type { EChartsOption } from 'echarts';
import { noDataSvg } from './no-data-svg.js';
import { svgOpenTag } from './svg-markup.js';
import { textWidth } from './text-width.js';

// Text layout from our own width table, never from a canvas that some environment may provide:
// the same widths everywhere, and generous enough for the widest system font.
setPlatformAPI({ measureText: (text, font) => ({ width: textWidth(text, font) }) });

/** Data → pixel mapping of a rendered chart's first grid, for drawing overlays. */
export interface ChartPixels {
  /** x pixel of an x-axis value, NaN when it cannot be placed. */
  readonly x: (value: number) => number;
  /** y pixel of a y-axis value, NaN when it cannot be placed. */
  readonly y: (value: number) => number;
}

/** What {@link renderEChartsSvg} draws. */
export interface EChartsSvgSpec {
  readonly option: EChartsOption;
  readonly width: number;
  readonly height: number;
  /** Replaces ECharts' per-instance id prefix (`zr0-`, `zr1-`, ...), so output is deterministic. */
  readonly idPrefix: string;
  readonly title: string;
  /** Extra SVG markup drawn on top (decision markers), from the chart's pixel mapping. */
  readonly overlay?: (pixels: ChartPixels) => string;
}

/**
 * Renders an ECharts option to a static, deterministic SVG string with ECharts' server-side SVG
 * renderer (no DOM, no canvas): no animation, UTC time axes, ECharts' instance-numbered ids and
 * hover classes replaced or removed, a fixed viewBox at `width:100%`. Never throws: a failure
 * gives a "no data" SVG naming the error.
 */
export function renderEChartsSvg(spec: EChartsSvgSpec): string {
  const { width, height } = spec;
  let chart: ReturnType<typeof init> | undefined;
  try {
    chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
    chart.setOption({ ...spec.option, animation: false, useUTC: true });
    const instance = chart;
    const pixels: ChartPixels = {
      x: (value) => toNumber(instance.convertToPixel({ xAxisIndex: 0 }, value)),
      y: (value) => toNumber(instance.convertToPixel({ yAxisIndex: 0 }, value)),
    };
    const overlay = spec.overlay?.(pixels) ?? '';
    return cleanSvg(chart.renderToSVGString({ useViewBox: true }), spec, overlay);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return noDataSvg(spec.title, width, 120, `chart failed: ${message}`);
  } finally {
    // An SSR instance left undisposed keeps an animation timer alive and the process running.
    chart?.dispose();
  }
}

function toNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

/**
 * Makes ECharts' SVG static and deterministic: drops the hover `<style>`, the `zrN-cls-K` classes
 * and the `ecmeta_*` attributes (interaction hooks for a browser runtime we do not ship), renames
 * the remaining instance-numbered ids (clip paths, `zrN-cK`) to the chart's prefix, swaps the root
 * tag for a scalable one and appends the overlay.
 */
function cleanSvg(svg: string, spec: EChartsSvgSpec, overlay: string): string {
  const body = svg
    .replace(/^<svg[^>]*>/, '')
    .replace(/<\/svg>\s*$/, '')
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/\bzr\d+-/g, `${spec.idPrefix}-`)
    .replace(/\n+/g, '');
  const xlink = body.includes('xlink:');
  return `${svgOpenTag(spec.width, spec.height, spec.title, xlink)}${body}${overlay}</svg>`;
}
