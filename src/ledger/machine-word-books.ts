import { Decimal } from '../core/money.js';
import { grown } from '../core/grown-array.js';

/** Every integer of smaller magnitude is exact in a float; a figure that reaches it is not booked. */
export const EXACT_INTEGER_LIMIT = 2 ** 53;

/**
 * An instrument's own increments: quantities in steps of 10^−quantityDecimals, prices in ticks of
 * 10^−priceDecimals. A quantity times a price is then a whole number of money units of
 * 10^−(quantityDecimals + priceDecimals), with no rounding.
 */
export interface InstrumentIncrements {
  readonly quantityDecimals: number;
  readonly priceDecimals: number;
}

/**
 * ⌊value / denominator⌋ for whole numbers, denominator > 0; NaN unless |value| and the product
 * of the quotient and the denominator are under 2⁵³ (so that the remainder is exact). The float
 * division's floor is exact there: a quotient q − 1/denominator (the nearest a non-whole quotient
 * comes to a whole q) could only round to q if 1/denominator < q·2⁻⁵³, that is value > 2⁵³.
 */
function floorDivide(value: number, denominator: number): number {
  const quotient = Math.floor(value / denominator);
  return Math.abs(value) < EXACT_INTEGER_LIMIT &&
    Math.abs(quotient * denominator) < EXACT_INTEGER_LIMIT
    ? quotient
    : Number.NaN;
}

/**
 * `quotient + remainder / denominator` rounded half-even, for 0 ≤ remainder < denominator: the
 * last step of both divisions below.
 */
function roundHalfEven(quotient: number, remainder: number, denominator: number): number {
  const rounded =
    2 * remainder > denominator || (2 * remainder === denominator && quotient % 2 !== 0)
      ? quotient + 1
      : quotient;
  return rounded === 0 ? 0 : rounded; // never −0
}

/**
 * `numerator / denominator` rounded half-even, for whole numbers with |numerator| < 2⁵³ and
 * denominator > 0; NaN when the check of the quotient would itself reach 2⁵³.
 */
export function divideHalfEven(numerator: number, denominator: number): number {
  const quotient = floorDivide(numerator, denominator);
  return roundHalfEven(quotient, numerator - quotient * denominator, denominator);
}

/**
 * `value × numerator / denominator` rounded half-even, for whole numbers with 0 ≤ value < 2⁵³,
 * 0 ≤ numerator ≤ denominator ≤ 2²⁶ (a fee rate as a fraction): when `value × numerator` would
 * reach 2⁵³, `value` is split into whole multiples of the denominator and a remainder first,
 * `value × n / d = wholes × n + rest × n / d` with `rest × n < d² ≤ 2⁵²`, so no product reaches
 * it on the way.
 */
export function multiplyDivideHalfEven(
  value: number,
  numerator: number,
  denominator: number,
): number {
  const product = value * numerator;
  if (product < EXACT_INTEGER_LIMIT) return divideHalfEven(product, denominator);
  const wholes = floorDivide(value, denominator);
  const part = (value - wholes * denominator) * numerator;
  const partWholes = floorDivide(part, denominator);
  return roundHalfEven(
    wholes * numerator + partWholes,
    part - partWholes * denominator,
    denominator,
  );
}

/** Within what a float holds exactly (NaN fails too). */
const exact = (value: number): boolean => Math.abs(value) < EXACT_INTEGER_LIMIT;

/**
 * One instrument's books for every account in machine words, the representation issue 12 plans
 * for the ledger (not used by it yet: the ledger books the same average-cost rule at 10⁻⁴² in
 * `bigint`s, and `bench/int64-books-probe.ts` measures the two on a replay's fills):
 *
 * - a position's quantity in the instrument's steps, its average cost in ticks, its realized
 *   P&L and fees in money units (step × tick), each a whole number held exactly in a float;
 * - adding to a position sets the average cost to `cost / quantity` rounded half-even to a tick,
 *   and books the rounding residual to realized P&L, so realized + unrealized stays the exact
 *   cash flow (as the ledger does, docs/accounting.md);
 * - reducing realizes `(price − average) × closed` for a long (the mirror for a short); a fill past
 *   flat closes and reopens at the fill price;
 * - a fee is its rate times the notional, rounded half-even to a money unit (the ledger's venue
 *   fee rounds to 10⁻⁸ instead: docs/accounting.md, "Planned").
 *
 * {@link apply} books nothing and returns false when any figure of the fill would reach 2⁵³
 * money units (about 900,000 quote units at 10⁻¹⁰): the caller books that account exactly
 * instead. Columns indexed by the account's row, as the ledger's.
 */
export class MachineWordBooks {
  readonly increments: InstrumentIncrements;
  /** Decimal places of a money unit: quantity decimals + price decimals. */
  readonly moneyDecimals: number;
  /** Signed quantity, in steps. */
  quantity: Float64Array;
  /** Average cost, in ticks (0 when flat). */
  avgPrice: Float64Array;
  /** Realized P&L, money units (fees excluded). */
  realized: Float64Array;
  /** Fees paid, money units. */
  fees: Float64Array;

  constructor(increments: InstrumentIncrements, capacity = 16) {
    this.increments = increments;
    this.moneyDecimals = increments.quantityDecimals + increments.priceDecimals;
    this.quantity = new Float64Array(capacity);
    this.avgPrice = new Float64Array(capacity);
    this.realized = new Float64Array(capacity);
    this.fees = new Float64Array(capacity);
  }

  /** Makes room for `capacity` accounts (new rows flat). */
  grow(capacity: number): void {
    if (capacity <= this.quantity.length) return;
    this.quantity = grown(this.quantity, new Float64Array(capacity));
    this.avgPrice = grown(this.avgPrice, new Float64Array(capacity));
    this.realized = grown(this.realized, new Float64Array(capacity));
    this.fees = grown(this.fees, new Float64Array(capacity));
  }

  /**
   * Books a fill of account `i`: `signedSteps` (a buy > 0, a sell < 0, never 0) at `priceTicks`
   * (> 0), with a fee of `feeNumerator / feeDenominator` of its notional (a rate of 10 bps is
   * 10 / 10,000; the denominator at most 2²⁶). Returns false, booking nothing, when a figure would
   * reach 2⁵³.
   */
  apply(
    i: number,
    signedSteps: number,
    priceTicks: number,
    feeNumerator: number,
    feeDenominator: number,
  ): boolean {
    const held = this.quantity[i]!;
    const average = this.avgPrice[i]!;
    const next = held + signedSteps;
    let realized = this.realized[i]!;
    let nextAverage: number;
    if (held === 0) {
      nextAverage = priceTicks;
    } else if (held > 0 === signedSteps > 0) {
      // Add: the average cost on the tick grid, its residual to realized P&L.
      // Both products have the cost's sign, so neither is larger than it.
      const cost = held * average + signedSteps * priceTicks;
      if (!exact(cost)) return false;
      nextAverage = next > 0 ? divideHalfEven(cost, next) : divideHalfEven(-cost, -next);
      const basis = next * nextAverage;
      if (!exact(basis)) return false;
      realized -= cost - basis;
    } else if (next === 0 || next > 0 === held > 0) {
      // Reduce or close: (average − price) × the signed fill is (price − average) × closed for a long.
      const pnl = (average - priceTicks) * signedSteps;
      if (!exact(pnl)) return false;
      realized += pnl;
      nextAverage = next === 0 ? 0 : average;
    } else {
      // Flip: close all of it at the price, reopen the rest there.
      const pnl = (priceTicks - average) * held;
      if (!exact(pnl)) return false;
      realized += pnl;
      nextAverage = priceTicks;
    }
    const notional = Math.abs(signedSteps) * priceTicks;
    if (!exact(notional) || !exact(next * nextAverage) || !exact(realized)) return false;
    const fees = this.fees[i]! + multiplyDivideHalfEven(notional, feeNumerator, feeDenominator);
    if (!exact(fees)) return false;
    this.quantity[i] = next;
    this.avgPrice[i] = nextAverage;
    this.realized[i] = realized;
    this.fees[i] = fees;
    return true;
  }

  /** Account `i`'s quantity as a decimal (base units). */
  quantityOf(i: number): Decimal {
    return scaled(this.quantity[i]!, this.increments.quantityDecimals);
  }

  /** Account `i`'s average cost as a decimal (quote per base unit; 0 when flat). */
  avgPriceOf(i: number): Decimal {
    return scaled(this.avgPrice[i]!, this.increments.priceDecimals);
  }

  /** Account `i`'s realized P&L as a decimal (quote units). */
  realizedOf(i: number): Decimal {
    return scaled(this.realized[i]!, this.moneyDecimals);
  }

  /** Account `i`'s fees as a decimal (quote units). */
  feesOf(i: number): Decimal {
    return scaled(this.fees[i]!, this.moneyDecimals);
  }
}

/** `units` × 10^−places, exactly. */
function scaled(units: number, places: number): Decimal {
  return new Decimal(units).dividedBy(new Decimal(10).pow(places));
}
