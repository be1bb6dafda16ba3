import { describe, expect, it } from 'vitest';
import { SeededRng } from './seeded-rng.js';

const take = (rng: SeededRng, n: number): number[] =>
  Array.from({ length: n }, () => rng.nextFloat());

describe('SeededRng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    expect(take(new SeededRng(7, 'a'), 5)).toEqual(take(new SeededRng(7, 'a'), 5));
  });

  it('gives different sequences for different seeds or streams', () => {
    const base = take(new SeededRng(7, 'a'), 5);
    expect(take(new SeededRng(8, 'a'), 5)).not.toEqual(base);
    expect(take(new SeededRng(7, 'b'), 5)).not.toEqual(base);
    expect(take(new SeededRng(7).fork('x'), 5)).not.toEqual(take(new SeededRng(7).fork('y'), 5));
  });

  it('draws uniform floats in [0, 1) with the right mean', () => {
    const values = take(new SeededRng(1), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = new SeededRng(3);
    const xs = Array.from({ length: 20_000 }, () => rng.nextNormal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
