import { describe, expect, it } from 'vitest';
import { renderEChartsSvg, type EChartsSvgSpec } from './echarts-svg.js';
import { assertWellFormedSvg } from './test-support/svg-check.js';

const spec: EChartsSvgSpec = {
  option: {
    xAxis: { type: 'value' },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'line',
        data: [
          [0, 1],
          [1, 3],
          [2, 2],
        ],
        silent: true,
      },
    ],
  },
  width: 400,
  height: 200,
  idPrefix: 'chart-test',
  title: 'A test chart',
};

describe('renderEChartsSvg', () => {
  it('returns a scalable, well-formed SVG with a fixed viewBox', () => {
    const svg = renderEChartsSvg(spec);
    assertWellFormedSvg(svg);
    expect(svg).toMatch(
      /^<svg [^>]*viewBox="0 0 400 200" style="width:100%;height:auto;display:block"/,
    );
    expect(svg).toContain('aria-label="A test chart"');
  });

  it('replaces ECharts instance-numbered ids and drops its hover styles', () => {
    const svg = renderEChartsSvg(spec);
    expect(svg).not.toMatch(/zr\d+-/);
    expect(svg).not.toContain('<style');
    expect(svg).not.toContain('ecmeta_');
    // the line's clip path survives, under the chart's prefix, and is referenced
    const id = /<clipPath id="(chart-test-[^"]+)"/.exec(svg)?.[1];
    expect(id).toBeDefined();
    expect(svg).toContain(`url(#${id})`);
  });

  it('gives the same bytes on every render in one process (ECharts counts instances)', () => {
    const first = renderEChartsSvg(spec);
    renderEChartsSvg({ ...spec, width: 300 }); // another instance in between
    expect(renderEChartsSvg(spec)).toBe(first);
  });

  it('maps data to pixels for the overlay and appends it', () => {
    const svg = renderEChartsSvg({
      ...spec,
      overlay: (px) => `<circle cx="${px.x(1)}" cy="${px.y(3)}" r="2" data-probe="1"/>`,
    });
    const m = /<circle cx="([\d.]+)" cy="([\d.]+)" r="2" data-probe="1"\/><\/svg>$/.exec(svg);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(400);
  });

  it('turns a failure into a "no data" SVG instead of throwing', () => {
    const svg = renderEChartsSvg({
      ...spec,
      overlay: () => {
        throw new Error('boom <x>');
      },
    });
    assertWellFormedSvg(svg);
    expect(svg).toContain('No data (chart failed: boom &lt;x&gt;)');
  });
});
