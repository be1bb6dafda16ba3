import type { Decimal } from '../core/money.js';
import { hash64 } from './account-hash.js';

/**
 * Per-account execution heterogeneity: each account's persistent slippage offset, bps, a pure
 * function of the run seed and the account id (no random stream is consumed).
 *
 * The offset is `sd × Z`, rounded to 0.0001 bp, with `Z` standard normal by Box–Muller from two
 * 32-bit uniforms that a 64-bit string hash (`account-hash.ts`) gives for
 * `"execution/account-slippage:" + accountId` under the seed. |Z| is at most
 * {@link MAX_ACCOUNT_SLIPPAGE_Z}, so an offset never exceeds that many standard deviations.
 */

/** Largest |Z| the hash can give: `sqrt(-2 ln 2^-32)` ≈ 6.66 (the smallest first uniform is 2^-32). */
export const MAX_ACCOUNT_SLIPPAGE_Z = Math.sqrt(64 * Math.LN2);

const TWO_32 = 4_294_967_296;

/** The standard normal score of an account under a seed: deterministic, in ±{@link MAX_ACCOUNT_SLIPPAGE_Z}. */
export function accountSlippageZ(seed: number, accountId: string): number {
  const [a, b] = hash64(`execution/account-slippage:${accountId}`, seed | 0);
  const u1 = (a + 1) / TWO_32; // (0, 1]
  const u2 = b / TWO_32; // [0, 1)
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * An account's persistent slippage offset, bps (positive = worse fills), drawn from
 * Normal(0, sdBps) by a hash of the run seed and the account id, rounded to 0.0001 bp. The same
 * account gets the same offset on either arm and in every run with this seed; `sdBps = 0` gives 0.
 *
 * @example
 * accountSlippageBps(7, 'acct-0001', 0.5); // e.g. -0.3127, the same on every call
 */
export function accountSlippageBps(seed: number, accountId: string, sdBps: number): number {
  if (sdBps === 0) return 0;
  return Math.round(accountSlippageZ(seed, accountId) * sdBps * 10_000) / 10_000 + 0;
}

/** An account's offset as the broker applies it. */
export interface AccountOffset {
  /** Offset, bps (positive = worse fills). */
  readonly bps: number;
  /** `bps / 1e4`, exact. */
  readonly fraction: Decimal;
  /** Price factors per broker level × side, built on first use. */
  readonly factors: (Decimal | undefined)[];
}
