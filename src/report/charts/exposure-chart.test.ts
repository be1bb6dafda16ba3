import { describe, expect, it } from 'vitest';
import { ARM_LOOK } from './chart-theme.js';
import { renderExposureChart } from './exposure-chart.js';
import { EXPOSURE, RUN_MS, T0 } from './test-support/chart-fixtures.js';
import { assertWellFormedSvg, strokedPathPoints, svgTexts } from './test-support/svg-check.js';

describe('renderExposureChart', () => {
  const svg = renderExposureChart(EXPOSURE, { timeRangeMs: [T0, T0 + RUN_MS] });

  it('draws share of capital, weight and share of accounts as steps to the run end', () => {
    assertWellFormedSvg(svg);
    // 4 changes as steps: a horizontal and a vertical segment per change, plus the hold to the end
    expect(strokedPathPoints(svg, ARM_LOOK.canary.color)).toContain(2 * EXPOSURE.tsMs.length);
    expect(svgTexts(svg)).toEqual(
      expect.arrayContaining(['share of capital', 'weight', 'share of accounts']),
    );
    const path = /<path d="([^"]*)"[^>]*stroke="#d9730d" stroke-width="2"/.exec(svg)?.[1] ?? '';
    const ys = [...path.matchAll(/[ML]([\d.]+) ([\d.]+)/g)];
    // steps: every second point keeps the previous y (horizontal segment), then x stays (vertical)
    for (let i = 1; i < ys.length; i += 2) expect(ys[i]![2]).toBe(ys[i - 1]![2]);
    for (let i = 2; i < ys.length; i += 2) expect(ys[i]![1]).toBe(ys[i - 1]![1]);
  });

  it('is deterministic and handles empty input', () => {
    expect(renderExposureChart(EXPOSURE, { timeRangeMs: [T0, T0 + RUN_MS] })).toBe(svg);
    const empty = { tsMs: [], weightPct: [], accountSharePct: [], capitalSharePct: [] };
    expect(svgTexts(renderExposureChart(empty))).toEqual(['No data']);
    expect(svgTexts(renderExposureChart(null))).toEqual(['No data']);
  });
});
