/**
 * The arithmetic of the ledger's books in machine words (docs/accounting.md, "Money in machine
 * words"): whole numbers held exactly in 64-bit floats, every result checked against 2⁵³, and
 * the one rounding (the average cost to a tick) done with an exact remainder.
 */

/** Every integer of smaller magnitude is exact in a float; a figure that reaches it is not booked. */
export const EXACT_INTEGER_LIMIT = 2 ** 53;

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
 * last step of {@link divideHalfEven}.
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

/** Within what a float holds exactly (NaN fails too). */
export const isExactWhole = (value: number): boolean => Math.abs(value) < EXACT_INTEGER_LIMIT;

/**
 * One position in machine words (docs/accounting.md): its signed quantity in steps, its average
 * cost in ticks (0 when flat), the realized P&L booked in it in money units (step × tick), each a
 * whole number held exactly in a float; and what the last fill booked did: whether it closed a
 * trade (reduced, closed or flipped the position) and that trade's P&L in money units.
 */
export interface WordPosition {
  steps: number;
  ticks: number;
  realized: number;
  closed: boolean;
  closedPnl: number;
}

/**
 * Books a fill of `signedSteps` (a buy > 0, a sell < 0, never 0) at `priceTicks` (> 0) into
 * `position`, by the ledger's rules: adding sets the average cost to `cost / quantity` rounded
 * half-even to a tick and books the rounding residual to realized P&L (so realized + unrealized
 * stays the exact cash flow); reducing realizes `(price − average) × closed` for a long (the
 * mirror for a short); a fill past flat closes and reopens at the fill price. Returns false,
 * changing nothing, when any figure on the way would reach 2⁵³ (the caller books it in `bigint`s).
 */
export function bookInWords(
  position: WordPosition,
  signedSteps: number,
  priceTicks: number,
): boolean {
  const held = position.steps;
  const average = position.ticks;
  const next = held + signedSteps;
  let realized = position.realized;
  let nextAverage: number;
  let closedPnl = Number.NaN;
  if (held === 0) {
    nextAverage = priceTicks;
  } else if (held > 0 === signedSteps > 0) {
    // Add: the average cost on the tick grid, its residual to realized P&L.
    // Both products have the cost's sign, so neither is larger than it.
    const cost = held * average + signedSteps * priceTicks;
    if (!isExactWhole(cost)) return false;
    nextAverage = next > 0 ? divideHalfEven(cost, next) : divideHalfEven(-cost, -next);
    const basis = next * nextAverage;
    if (!isExactWhole(basis)) return false;
    realized -= cost - basis;
  } else if (next === 0 || next > 0 === held > 0) {
    // Reduce or close: (average − price) × the signed fill is (price − average) × closed for a long.
    closedPnl = (average - priceTicks) * signedSteps;
    nextAverage = next === 0 ? 0 : average;
  } else {
    // Flip: close all of it at the price, reopen the rest there.
    closedPnl = (priceTicks - average) * held;
    nextAverage = priceTicks;
  }
  const closed = !Number.isNaN(closedPnl);
  if (closed) {
    if (!isExactWhole(closedPnl)) return false;
    realized += closedPnl;
  }
  if (
    !isExactWhole(Math.abs(signedSteps) * priceTicks) ||
    !isExactWhole(next * nextAverage) ||
    !isExactWhole(realized)
  ) {
    return false;
  }
  position.steps = next;
  position.ticks = nextAverage;
  position.realized = realized === 0 ? 0 : realized; // never −0
  position.closed = closed;
  position.closedPnl = closed ? closedPnl : 0;
  return true;
}
