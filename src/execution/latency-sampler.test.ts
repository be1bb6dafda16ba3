import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import { LatencySampler } from './latency-sampler.js';

const draw = (sampler: LatencySampler, n: number): number[] =>
  Array.from({ length: n }, () => sampler.nextMs());

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};

describe('LatencySampler', () => {
  const n = 20_000;

  it('has mean base + jitter mean and the log-normal median', () => {
    const xs = draw(new LatencySampler({ baseMs: 15, jitterMs: 5 }, 0, new SeededRng(1, 'l')), n);
    // jitter sd = 5 · sqrt(exp(0.25) - 1) ≈ 2.67 ms: standard error of the mean ≈ 0.019 ms; 5 SE.
    expect(Math.abs(mean(xs) - 20)).toBeLessThan(0.1);
    // Log-normal median = exp(mu) = 5 · exp(-0.5²/2) ≈ 4.412 ms above the base.
    expect(Math.abs(median(xs) - (15 + 5 * Math.exp(-0.125)))).toBeLessThan(0.1);
    expect(Math.min(...xs)).toBeGreaterThan(15);
  });

  it('follows jitterSigma: a wider shape keeps the mean and lowers the median', () => {
    const xs = draw(
      new LatencySampler({ baseMs: 2, jitterMs: 10, jitterSigma: 1 }, 0, new SeededRng(2, 'l')),
      n,
    );
    // sd = 10 · sqrt(e - 1) ≈ 13.1 ms: SE ≈ 0.093 ms; 5 SE.
    expect(Math.abs(mean(xs) - 12)).toBeLessThan(0.5);
    expect(Math.abs(median(xs) - (2 + 10 * Math.exp(-0.5)))).toBeLessThan(0.25);
  });

  it('is constant without jitter, and with sigma 0', () => {
    expect(
      new Set(draw(new LatencySampler({ baseMs: 7, jitterMs: 0 }, 0, new SeededRng(3)), 100)),
    ).toEqual(new Set([7]));
    const flat = draw(
      new LatencySampler({ baseMs: 7, jitterMs: 3, jitterSigma: 0 }, 0, new SeededRng(3)),
      100,
    );
    for (const x of flat) expect(x).toBeCloseTo(10, 12);
  });

  it('adds the injected latency to every draw, leaving the random part unchanged', () => {
    const model = { baseMs: 15, jitterMs: 5 };
    const plain = draw(new LatencySampler(model, 0, new SeededRng(4, 'x')), 1000);
    const slowed = draw(new LatencySampler(model, 20, new SeededRng(4, 'x')), 1000);
    slowed.forEach((x, i) => expect(x - plain[i]!).toBeCloseTo(20, 9));
    expect(new LatencySampler(model, -5, new SeededRng(4)).floorMs).toBe(10);
  });

  it('uses one draw per order whatever the parameters', () => {
    const rngA = new SeededRng(5, 'x');
    const rngB = new SeededRng(5, 'x');
    draw(new LatencySampler({ baseMs: 1, jitterMs: 0 }, 0, rngA), 10);
    draw(new LatencySampler({ baseMs: 1, jitterMs: 4 }, 0, rngB), 10);
    expect(rngA.nextFloat()).toBe(rngB.nextFloat());
  });
});
