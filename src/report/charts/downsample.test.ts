import { describe, expect, it } from 'vitest';
import { downsampleIndices, MAX_POINTS, TARGET_POINTS } from './downsample.js';

function series(n: number): { ts: number[]; values: number[] } {
  const ts = Array.from({ length: n }, (_, i) => 1_000_000 + i * 10);
  const values = ts.map((_, i) => Math.sin(i / 50) * 10 + (i % 7));
  return { ts, values };
}

describe('downsampleIndices', () => {
  it('returns every index up to the threshold', () => {
    const { ts, values } = series(MAX_POINTS);
    expect(downsampleIndices(ts, values)).toEqual(ts.map((_, i) => i));
  });

  it('shrinks a long series to about the target, ascending, keeping the first and last', () => {
    const { ts, values } = series(20_000);
    const kept = downsampleIndices(ts, values);
    expect(kept.length).toBeGreaterThan(TARGET_POINTS / 2);
    expect(kept.length).toBeLessThanOrEqual(TARGET_POINTS);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(19_999);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(new Set(kept).size).toBe(kept.length);
  });

  it('keeps the global minimum and maximum (per-bucket min/max)', () => {
    const { ts, values } = series(20_000);
    values[12_345] = 1_000;
    values[7_777] = -1_000;
    const kept = downsampleIndices(ts, values);
    expect(kept).toContain(12_345);
    expect(kept).toContain(7_777);
  });

  it('keeps the point at (or nearest to) each decision time', () => {
    const { ts, values } = series(20_000);
    const exact = ts[4_321]!;
    const between = ts[15_000]! + 3; // nearer to 15_000 than to 15_001
    const kept = downsampleIndices(ts, values, { keepTsMs: [exact, between] });
    expect(kept).toContain(4_321);
    expect(kept).toContain(15_000);
    // without the kept times those indices are not picked (a flat stretch has one min and max)
    const flat = values.map(() => 0);
    expect(downsampleIndices(ts, flat)).not.toContain(4_321);
    expect(downsampleIndices(ts, flat, { keepTsMs: [exact] })).toContain(4_321);
  });

  it('never picks a non-finite value as a bucket extreme', () => {
    const { ts, values } = series(10_000);
    values.fill(Number.NaN, 100, 9_900);
    const kept = downsampleIndices(ts, values);
    expect(kept.filter((i) => i > 0 && i < 9_999).every((i) => Number.isFinite(values[i]))).toBe(
      true,
    );
  });
});
