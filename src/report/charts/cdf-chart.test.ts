import { describe, expect, it } from 'vitest';
import { ARM_LOOK } from './chart-theme.js';
import { renderLatencyChart } from './latency-chart.js';
import { renderSlippageChart } from './slippage-chart.js';
import { LATENCY, SLIPPAGE } from './test-support/chart-fixtures.js';
import { assertWellFormedSvg, strokedPathPoints, svgTexts } from './test-support/svg-check.js';

describe('renderLatencyChart', () => {
  const svg = renderLatencyChart(LATENCY);

  it('draws each arm as a CDF through its quantiles, with p50 and p99 in the legend', () => {
    assertWellFormedSvg(svg);
    expect(strokedPathPoints(svg, ARM_LOOK.stable.color)).toContain(LATENCY.stable.q.length);
    expect(strokedPathPoints(svg, ARM_LOOK.canary.color)).toContain(LATENCY.canary.q.length);
    const texts = svgTexts(svg);
    expect(texts).toContain('stable: p50 5 ms, p99 30 ms');
    expect(texts).toContain('canary: p50 6 ms, p99 45 ms');
    expect(texts).toContain('cumulative share, %');
  });

  it('uses a log axis when latencies span two orders of magnitude, else a linear one', () => {
    expect(svgTexts(svg)).toContain('fill latency, ms (log scale)');
    const narrow = { stable: { q: [0, 0.5, 1], value: [4, 5, 9] }, canary: null };
    expect(svgTexts(renderLatencyChart(narrow))).toContain('fill latency, ms');
  });

  it('is deterministic and gives "no data" when neither arm has observations', () => {
    expect(renderLatencyChart(LATENCY)).toBe(svg);
    for (const input of [null, undefined, { stable: null, canary: null }]) {
      const out = renderLatencyChart(input);
      assertWellFormedSvg(out);
      expect(svgTexts(out)).toEqual(['No data']);
    }
    const garbage = { stable: { q: [Number.NaN], value: [1] }, canary: { q: [], value: [] } };
    expect(svgTexts(renderLatencyChart(garbage))).toEqual(['No data']);
  });
});

describe('renderSlippageChart', () => {
  it('draws negative and positive bps on a linear axis', () => {
    const svg = renderSlippageChart(SLIPPAGE);
    assertWellFormedSvg(svg);
    expect(strokedPathPoints(svg, ARM_LOOK.canary.color)).toContain(SLIPPAGE.canary.q.length);
    const texts = svgTexts(svg);
    expect(texts).toContain('slippage, bps (positive = worse)');
    expect(texts).toContain('-3');
    expect(texts).toContain('stable: p50 0.5 bps, p99 6 bps');
  });

  it('names an arm without observations "no data"', () => {
    const svg = renderSlippageChart({ stable: SLIPPAGE.stable, canary: null });
    expect(svgTexts(svg)).toContain('canary (no data)');
    expect(svgTexts(renderSlippageChart(null))).toEqual(['No data']);
  });
});
