import { describe, expect, it } from 'vitest';
import { ARM_LOOK } from './chart-theme.js';
import { renderDrawdownChart } from './drawdown-chart.js';
import { MARKERS, returnSeries } from './test-support/chart-fixtures.js';
import {
  assertWellFormedSvg,
  strokedPathPoints,
  svgTexts,
  svgTitles,
} from './test-support/svg-check.js';

const returns = { stable: returnSeries(2_000, 7), canary: returnSeries(2_000, 11) };

describe('renderDrawdownChart', () => {
  it('draws each arm downward from a zero line at the top, labelled as drawdown', () => {
    const svg = renderDrawdownChart(returns);
    assertWellFormedSvg(svg);
    expect(Math.max(...strokedPathPoints(svg, ARM_LOOK.stable.color))).toBeGreaterThan(1_000);
    expect(Math.max(...strokedPathPoints(svg, ARM_LOOK.canary.color))).toBeGreaterThan(1_000);
    const texts = svgTexts(svg);
    expect(texts).toContain('drawdown from peak, %');
    // inverse axis: the "0" label sits above every other y label
    const yLabels = [
      ...svg.matchAll(/transform="translate\(\d+(?:\.\d+)? ([\d.]+)\)"[^>]*>([\d.]+)<\/text>/g),
    ]
      .filter((m) => !m[2]!.includes(':'))
      .map((m) => ({ y: Number(m[1]), value: Number(m[2]) }));
    const zero = yLabels.find((l) => l.value === 0);
    expect(zero).toBeDefined();
    expect(yLabels.every((l) => l.value === 0 || l.y > zero!.y)).toBe(true);
  });

  it('draws the markers when given', () => {
    expect(svgTitles(renderDrawdownChart(returns))).toHaveLength(0);
    expect(svgTitles(renderDrawdownChart(returns, MARKERS))).toHaveLength(MARKERS.length);
  });

  it('is deterministic and handles empty input', () => {
    expect(renderDrawdownChart(returns)).toBe(renderDrawdownChart(returns));
    expect(svgTexts(renderDrawdownChart(null))).toEqual(['No data']);
  });
});
