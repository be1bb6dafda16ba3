import type { AccountView, TargetPosition } from '../../src/core/strategy.js';

/**
 * The sizing every bundled strategy uses: hold `exposure × equity` worth of the symbol, so the
 * signed base quantity is `exposure × equity / price`. Returns 0 when equity or price is not
 * positive (an account that has lost its capital, or a bad price), and never a non-finite number.
 *
 * @example
 * sizeByExposure({ symbol: 'BTCUSDT', exposure: 0.01, reason: 'entry-long' }, account, 50_000);
 * // account.equity 10_000 → 0.002 BTC
 */
export function sizeByExposure(
  target: TargetPosition,
  account: AccountView,
  price: number,
): number {
  const equity = account.equity;
  if (!(equity > 0) || !(price > 0)) return 0;
  const quantity = (target.exposure * equity) / price;
  return Number.isFinite(quantity) ? quantity : 0;
}
