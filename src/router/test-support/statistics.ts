// Small statistics helpers for the router's distribution tests.
import { SeededRng } from '../../core/seeded-rng.js';

/** Standard normal quantiles: Φ⁻¹(0.999) and Φ⁻¹(0.9995) (published tables). */
export const Z_0_999 = 3.090232306167813;
export const Z_0_9995 = 3.290526731491926;

/** Wilson–Hilferty approximation of the chi-square quantile with `k` degrees of freedom at the normal quantile `z`. */
export function chiSquareQuantile(k: number, z: number): number {
  const c = 2 / (9 * k);
  return k * (1 - c + z * Math.sqrt(c)) ** 3;
}

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
export function chiSquareUniform(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi2 = 0;
  for (let i = 0; i < counts.length; i++) chi2 += (counts[i]! - expected) ** 2 / expected;
  return chi2;
}

/** Chi-square statistic of independence of a 2×2 table [[a, b], [c, d]]. */
export function chiSquare2x2(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  return (n * (a * d - b * c) ** 2) / ((a + b) * (c + d) * (a + c) * (b + d));
}

/** Pearson correlation of two equally long samples. */
export function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** `acct-0`, `acct-1`, …: ids as a bot numbers its accounts. */
export function sequentialIds(count: number, prefix = 'acct-'): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(`${prefix}${i}`);
  return ids;
}

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@:',
  'é',
  'ß',
  'π',
  'Ж',
  '日',
  '本',
  '€',
  '😀',
  '🚀',
  '𝔸',
];

/** `count` distinct seeded random ids of 4..16 characters mixing ASCII, 2-, 3- and 4-byte UTF-8. */
export function randomIds(count: number, seed: number): string[] {
  const rng = new SeededRng(seed, 'router/random-ids');
  const ids = new Set<string>();
  while (ids.size < count) {
    let id = '';
    const length = rng.nextInt(4, 16);
    for (let j = 0; j < length; j++) id += ALPHABET[rng.nextInt(0, ALPHABET.length - 1)]!;
    ids.add(id);
  }
  return [...ids];
}
