import type { Decimal } from '../core/money.js';
import { PRICE_DIGITS } from '../ledger/fixed-point.js';
import { exactProduct, exactSum, roundedQuotient } from './exact-decimal.js';

/** One trade of an order, exact: `amount` in ccxt's units (contracts for a contract market). */
export interface ExactTrade {
  readonly amount: Decimal;
  /** Quote currency per base unit. */
  readonly price: Decimal;
  /** Its fees in the quote currency (feeInQuote). */
  readonly fee: Decimal;
}

/** An order's trades summed into the one fill the canary books. */
export interface OrderFillFigures {
  /** Base units: Σ amount × contractSize. */
  readonly quantity: Decimal;
  /** The quantity-weighted price, exact, or rounded half-even to {@link PRICE_DIGITS} places. */
  readonly price: Decimal;
  /** Σ fees, plus what rounding the price moved out of the notional (see below). */
  readonly fee: Decimal;
  /** The rounding's share of `fee` (0 when the price is exact). */
  readonly roundingFee: Decimal;
}

/**
 * Sums an order's trades into one fill (the canary takes one fill per order): the quantity and
 * the fees exactly, and the quantity-weighted price `Σ pᵢ·qᵢ / Σ qᵢ`. That quotient may have more
 * places than the books keep (PRICE_DIGITS, 24: 60010 and 60019.5 weighted 2:1 give
 * 60013.1666…); it is then rounded half-even to 24 places, and what the rounding moved out of the
 * notional, `Σ pᵢ·qᵢ − quantity × price` (less than a unit of the 24th place per base unit), is
 * added to the fee for a buy and taken from it for a sell. So the cash the books see, `quantity ×
 * price ± fee`, is exactly what the trades paid or received, and equity stays exact; the fee
 * differs from the exchange's by that amount only.
 */
export function orderFillFigures(
  trades: readonly ExactTrade[],
  contractSize: Decimal,
  side: 'buy' | 'sell',
): OrderFillFigures {
  if (trades.length === 0) throw new RangeError('an order fill needs at least one trade');
  const quantity = exactProduct(exactSum(trades.map((t) => t.amount)), contractSize);
  const notional = exactSum(trades.map((t) => exactProduct(t.amount, contractSize, t.price)));
  const fees = exactSum(trades.map((t) => t.fee));
  const price = roundedQuotient(notional, quantity, PRICE_DIGITS);
  const residual = exactSum([notional, exactProduct(quantity, price).negated()]);
  const roundingFee = side === 'buy' ? residual : residual.negated();
  return { quantity, price, fee: exactSum([fees, roundingFee]), roundingFee };
}

/**
 * Fill price against the decision price, bps, positive = worse: above it for a buy, below it for
 * a sell (a float: statistics, not money).
 */
export function slippageBps(price: Decimal, decisionPrice: Decimal, side: 'buy' | 'sell'): number {
  const moved = price.minus(decisionPrice).dividedBy(decisionPrice).times(10_000);
  const bps = (side === 'buy' ? moved : moved.negated()).toNumber();
  return bps === 0 ? 0 : bps; // no −0
}
