import { describe, expect, it } from 'vitest';
import { ACTION_LOOK, ARM_LOOK } from './chart-theme.js';
import { renderTimelineChart } from './timeline-chart.js';
import { EXPOSURE, MARKERS, RUN_MS, T0 } from './test-support/chart-fixtures.js';
import {
  assertWellFormedSvg,
  strokedPathPoints,
  svgTexts,
  svgTitles,
} from './test-support/svg-check.js';

const range = { timeRangeMs: [T0, T0 + RUN_MS] as const };

describe('renderTimelineChart', () => {
  const svg = renderTimelineChart(EXPOSURE, MARKERS, range);

  it('draws the weight as steps and every decision numbered, colored, with a dot', () => {
    assertWellFormedSvg(svg);
    expect(strokedPathPoints(svg, ARM_LOOK.canary.color)).toContain(2 * EXPOSURE.tsMs.length);
    const texts = svgTexts(svg);
    for (const m of MARKERS) expect(texts).toContain(String(m.seq));
    expect(svgTitles(svg)).toHaveLength(MARKERS.length);
    for (const action of ['increase', 'hold', 'promote', 'rollback'] as const) {
      expect(svg).toContain(`<circle cx=`);
      expect(svg).toContain(`fill="${ACTION_LOOK[action].color}" stroke="#fff"`);
      expect(texts).toContain(action); // the key
    }
    expect(svg).toContain('viewBox="0 0 800 220"');
  });

  it('puts close markers on different label rows', () => {
    const close = [
      { ...MARKERS[0]!, seq: 101, tsMs: T0 + 100_000 },
      { ...MARKERS[1]!, seq: 102, tsMs: T0 + 100_500 },
    ];
    const out = renderTimelineChart(EXPOSURE, close, range);
    const y = (seq: number) =>
      new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"[^>]*>${seq}</text>`).exec(out)?.[1];
    expect(y(101)).toBeDefined();
    expect(y(102)).toBeDefined();
    expect(y(101)).not.toBe(y(102));
  });

  it('is deterministic', () => {
    expect(renderTimelineChart(EXPOSURE, MARKERS, range)).toBe(svg);
  });

  it('draws the markers alone when there is no exposure series, "no data" when nothing', () => {
    const markersOnly = renderTimelineChart(null, MARKERS);
    assertWellFormedSvg(markersOnly);
    expect(svgTitles(markersOnly)).toHaveLength(MARKERS.length);
    expect(svgTexts(renderTimelineChart(null, []))).toEqual(['No data']);
  });
});
