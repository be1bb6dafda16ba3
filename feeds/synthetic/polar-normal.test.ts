import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/seeded-rng.js';
import { PolarNormal } from './polar-normal.js';

describe('PolarNormal', () => {
  it('draws standard normals: mean 0, variance 1, normal tails, independent pairs', () => {
    const normal = new PolarNormal(new SeededRng(5, 'test'));
    const xs = Array.from({ length: 40_000 }, () => normal.next());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    // P(|Z| > 1.96) = 5 %, P(|Z| > 3) = 0.27 %.
    expect(Math.abs(xs.filter((x) => Math.abs(x) > 1.96).length / xs.length - 0.05)).toBeLessThan(
      0.005,
    );
    expect(xs.filter((x) => Math.abs(x) > 3).length / xs.length).toBeLessThan(0.005);
    // The two halves of each pair are uncorrelated.
    let cross = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) cross += xs[i]! * xs[i + 1]!;
    expect(Math.abs(cross / (xs.length / 2))).toBeLessThan(0.03);
  });

  it('repeats for the same seed', () => {
    const a = new PolarNormal(new SeededRng(9));
    const b = new PolarNormal(new SeededRng(9));
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });
});
