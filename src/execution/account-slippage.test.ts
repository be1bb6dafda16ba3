import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountSlippageBps,
  accountSlippageZ,
  MAX_ACCOUNT_SLIPPAGE_Z,
} from './account-slippage.js';

const ids = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `acct-${String(i + 1).padStart(5, '0')}`);

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('accountSlippageBps', () => {
  it('is a pure function of (seed, account id): same offset on every call', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.string(), (seed, id) => {
        const offset = accountSlippageBps(seed, id, 1.5);
        expect(accountSlippageBps(seed, id, 1.5)).toBe(offset);
        expect(Math.abs(offset)).toBeLessThanOrEqual(1.5 * MAX_ACCOUNT_SLIPPAGE_Z + 1e-4);
      }),
    );
  });

  it('is 0 with a standard deviation of 0, and rounded to 0.0001 bp', () => {
    expect(accountSlippageBps(7, 'acct-1', 0)).toBe(0);
    for (const id of ids(100)) {
      const offset = accountSlippageBps(7, id, 0.7);
      expect(Math.round(offset * 10_000) / 10_000).toBe(offset);
    }
  });

  it('scales one standard normal score per account', () => {
    const z = accountSlippageZ(3, 'acct-00042');
    expect(accountSlippageBps(3, 'acct-00042', 2)).toBeCloseTo(2 * z, 4);
  });

  it('looks standard normal over 20,000 sequential ids, uncorrelated with the next id', () => {
    const zs = ids(20_000).map((id) => accountSlippageZ(11, id));
    // Standard error of the mean 1/√20000 ≈ 0.0071: 4 SE. Of the sd ≈ 0.005.
    expect(Math.abs(mean(zs))).toBeLessThan(0.03);
    expect(Math.abs(sd(zs) - 1)).toBeLessThan(0.025);
    const beyond2 = zs.filter((z) => Math.abs(z) > 2).length / zs.length;
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.006); // P(|Z| > 2) = 4.55 %
    const lag = mean(zs.slice(1).map((z, i) => z * zs[i]!));
    expect(Math.abs(lag)).toBeLessThan(0.03);
  });

  it('gives independent offsets under another seed', () => {
    const a = ids(5000).map((id) => accountSlippageZ(1, id));
    const b = ids(5000).map((id) => accountSlippageZ(2, id));
    expect(Math.abs(mean(a.map((x, i) => x * b[i]!)))).toBeLessThan(0.06); // 4 SE of 1/√5000
  });
});
