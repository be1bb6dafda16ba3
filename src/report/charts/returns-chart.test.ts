import { describe, expect, it } from 'vitest';
import { ACTION_LOOK, ARM_LOOK } from './chart-theme.js';
import { renderReturnChart } from './returns-chart.js';
import { MARKERS, returnSeries, RUN_MS, T0 } from './test-support/chart-fixtures.js';
import {
  assertWellFormedSvg,
  strokedPathPoints,
  svgTexts,
  svgTitles,
} from './test-support/svg-check.js';

const returns = { stable: returnSeries(2_000, 7), canary: returnSeries(2_000, 11) };

describe('renderReturnChart', () => {
  const svg = renderReturnChart(returns, MARKERS);

  it('draws both arms as lines in their colors (zrender merges sub-pixel steps)', () => {
    assertWellFormedSvg(svg);
    expect(Math.max(...strokedPathPoints(svg, ARM_LOOK.stable.color))).toBeGreaterThan(1_000);
    expect(Math.max(...strokedPathPoints(svg, ARM_LOOK.canary.color))).toBeGreaterThan(1_000);
    expect(svg).toContain('stroke-dasharray="6,3"'); // canary dashed, for grayscale print
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['stable', 'canary']));
  });

  it('numbers each decision marker, colors it by action and gives it the reason as a tooltip', () => {
    const texts = svgTexts(svg);
    for (const m of MARKERS) expect(texts).toContain(String(m.seq));
    expect(svg).toContain(`fill="${ACTION_LOOK.rollback.color}">14</text>`);
    expect(svg).toContain(`fill="${ACTION_LOOK.promote.color}">13</text>`);
    const titles = svgTitles(svg);
    expect(titles).toHaveLength(MARKERS.length);
    expect(titles[3]).toBe(
      '#14 rollback at 2024-08-08 12:07:00.000 UTC: 100 % → 0 %\nDRAWDOWN: canary drawdown 3.1% &gt; 2%',
    );
    expect(titles[2]).toContain('BETTER: p &lt; 0.05 &amp; &quot;fine&quot;');
  });

  it('labels the time axis in UTC as HH:MM:SS', () => {
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['12:01:00', '12:05:00']));
  });

  it('puts the date before the times when the run goes past a UTC midnight', () => {
    const toMidnight = (series: typeof returns.stable): typeof returns.stable => ({
      ...series,
      tsMs: series.tsMs.map((t) => t + 12 * 3_600_000 - RUN_MS / 2), // 23:55 → 00:05
    });
    const late = renderReturnChart(
      { stable: toMidnight(returns.stable), canary: toMidnight(returns.canary) },
      [],
    );
    const labels = svgTexts(late).filter((t) => /\d\d:\d\d:\d\d/.test(t));
    expect(labels).toEqual(expect.arrayContaining(['08-08 23:56:00', '08-09 00:04:00']));
    expect(labels.every((t) => /^08-0[89] \d\d:\d\d:\d\d$/.test(t))).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderReturnChart(returns, MARKERS)).toBe(svg);
  });

  it('stays well under 200 KB for 2,000 points per arm', () => {
    expect(svg.length).toBeLessThan(100_000);
  });

  it('downsamples a 20,000-point series to a bounded SVG', () => {
    const long = { stable: returnSeries(20_000, 3), canary: returnSeries(20_000, 5) };
    const big = renderReturnChart(long, MARKERS);
    assertWellFormedSvg(big);
    const points = Math.max(...strokedPathPoints(big, ARM_LOOK.stable.color));
    expect(points).toBeGreaterThan(1_000);
    expect(points).toBeLessThanOrEqual(2_010);
    expect(big.length).toBeLessThan(200_000);
  });

  it('leaves out markers outside the time axis', () => {
    const out = renderReturnChart(returns, MARKERS, { timeRangeMs: [T0, T0 + 200_000] });
    expect(svgTitles(out).map((t) => t.slice(0, 3))).toEqual(['#11', '#12']);
    expect(
      svgTitles(renderReturnChart(returns, MARKERS, { timeRangeMs: [T0, T0 + RUN_MS] })),
    ).toHaveLength(4);
  });

  it('gives a "no data" SVG for null, missing or empty series', () => {
    const empty = { tsMs: [], returnPct: [], drawdownPct: [] };
    for (const input of [null, undefined, {}, { stable: empty, canary: null }]) {
      const out = renderReturnChart(input, MARKERS);
      assertWellFormedSvg(out);
      expect(svgTexts(out)).toEqual(['No data']);
    }
  });

  it('draws the arm it has and names the other "no data"', () => {
    const out = renderReturnChart({ stable: returns.stable, canary: null });
    expect(svgTexts(out)).toContain('canary (no data)');
    expect(Math.max(...strokedPathPoints(out, ARM_LOOK.stable.color))).toBeGreaterThan(1_000);
  });
});
