import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import {
  bookInWords,
  divideHalfEven,
  EXACT_INTEGER_LIMIT,
  type WordPosition,
} from './machine-word-books.js';
import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';

/** The reference: decimal.js wide enough that only the average cost's rounding rounds. */
const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;

interface ReferenceBooks {
  quantity: Exact;
  avgPrice: Exact;
  realized: Exact;
}

/** Books a fill the slow, obvious way: the average cost rounded half-even to `priceDecimals`. */
function book(b: ReferenceBooks, quantity: Exact, price: Exact, priceDecimals: number): void {
  const held = b.quantity;
  const next = held.plus(quantity);
  if (held.isZero()) {
    b.avgPrice = price;
  } else if (held.isPositive() === quantity.isPositive()) {
    const cost = held.times(b.avgPrice).plus(quantity.times(price));
    b.avgPrice = cost.dividedBy(next).toDecimalPlaces(priceDecimals, Decimal.ROUND_HALF_EVEN);
    b.realized = b.realized.plus(next.times(b.avgPrice).minus(cost));
  } else if (next.isZero() || next.isPositive() === held.isPositive()) {
    b.realized = b.realized.plus(b.avgPrice.minus(price).times(quantity));
    if (next.isZero()) b.avgPrice = new Exact(0);
  } else {
    b.realized = b.realized.plus(price.minus(b.avgPrice).times(held));
    b.avgPrice = price;
  }
  b.quantity = next;
}

const increments = fc.record({
  quantityDecimals: fc.integer({ min: 0, max: 8 }),
  priceDecimals: fc.integer({ min: 0, max: 4 }),
});
// Steps and ticks small enough that 40 fills stay under 2⁵³ money units: every fill is booked.
// One fill in four closes the position exactly (when there is one).
const fillArb = fc.record({
  steps: fc.integer({ min: -100_000, max: 100_000 }).filter((s) => s !== 0),
  ticks: fc.integer({ min: 1, max: 10_000_000 }),
  close: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

const flat = (): WordPosition => ({ steps: 0, ticks: 0, realized: 0, closed: false, closedPnl: 0 });

/** The fill's steps: its own, or what closes the position. */
const stepsOf = (position: WordPosition, fill: { steps: number; close: boolean }): number =>
  fill.close && position.steps !== 0 ? -position.steps : fill.steps;

describe('bookInWords', () => {
  it('books every figure as the decimal reference does, fill after fill', () => {
    fc.assert(
      fc.property(increments, fc.array(fillArb, { minLength: 1, maxLength: 40 }), (inc, fills) => {
        const position = flat();
        const reference: ReferenceBooks = {
          quantity: new Exact(0),
          avgPrice: new Exact(0),
          realized: new Exact(0),
        };
        const step = new Exact(10).pow(-inc.quantityDecimals);
        const tick = new Exact(10).pow(-inc.priceDecimals);
        const unit = step.times(tick);
        for (const fill of fills) {
          const steps = stepsOf(position, fill);
          const realizedBefore = reference.realized;
          const closes = position.steps !== 0 && position.steps > 0 !== steps > 0;
          expect(bookInWords(position, steps, fill.ticks)).toBe(true);
          book(reference, step.times(steps), tick.times(fill.ticks), inc.priceDecimals);
          expect(step.times(position.steps).toFixed()).toBe(reference.quantity.toFixed());
          expect(tick.times(position.ticks).toFixed()).toBe(reference.avgPrice.toFixed());
          expect(unit.times(position.realized).toFixed()).toBe(reference.realized.toFixed());
          expect(position.closed).toBe(closes);
          if (closes) {
            expect(unit.times(position.closedPnl).toFixed()).toBe(
              reference.realized.minus(realizedBefore).toFixed(),
            );
          }
        }
      }),
    );
  });

  it('keeps realized + unrealized equal to the cash flow, to the unit', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (fills, markTicks) => {
          const position = flat();
          let cash = 0;
          for (const fill of fills) {
            const steps = stepsOf(position, fill);
            expect(bookInWords(position, steps, fill.ticks)).toBe(true);
            cash -= steps * fill.ticks;
          }
          const q = position.steps;
          const pnl = position.realized + q * markTicks - q * position.ticks;
          expect(pnl).toBe(cash + q * markTicks);
        },
      ),
    );
  });

  it('books nothing and says so when a figure would reach 2⁵³ money units', () => {
    const position = flat();
    expect(bookInWords(position, 1_000_000, 6_000_000)).toBe(true);
    // 10⁹ steps (10 BTC) at 60,000.00: a notional of 6·10¹⁵ units, and the add's cost past 2⁵³.
    expect(bookInWords(position, 1_000_000_000, 6_000_000)).toBe(true);
    const before = { ...position };
    expect(bookInWords(position, 1_000_000_000, 6_000_000)).toBe(false);
    expect(position).toEqual(before);
    expect(bookInWords(position, -1_001_000_000, 6_000_000)).toBe(true);
    expect(position.steps).toBe(0);
    expect(position.closed).toBe(true);
    // Realized P&L just under 2⁵³: a close that would take it there is not booked.
    position.realized = EXACT_INTEGER_LIMIT - 10;
    expect(bookInWords(position, 1_000, 6_000_000)).toBe(true); // an open realizes nothing
    expect(bookInWords(position, -1_000, 6_000_001)).toBe(false); // +1,000 units past the limit
    expect(position.steps).toBe(1_000);
  });
});

/** round-half-even(n / d) of bigints, the slow obvious way. */
function halfEvenQuotient(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let q = magnitude / d;
  const twice = (magnitude - q * d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

describe('divideHalfEven', () => {
  it('rounds the exact quotient half-even', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(EXACT_INTEGER_LIMIT / 2), max: EXACT_INTEGER_LIMIT / 2 }),
        fc.integer({ min: 1, max: 2 ** 26 }),
        (numerator, denominator) => {
          const expected = halfEvenQuotient(BigInt(numerator), BigInt(denominator));
          expect(divideHalfEven(numerator, denominator)).toBe(Number(expected));
        },
      ),
    );
  });

  it('rounds the exact quotient by a power of ten half-even (the fee to 10⁻⁸)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(EXACT_INTEGER_LIMIT - 1), max: EXACT_INTEGER_LIMIT - 1 }),
        fc.integer({ min: 0, max: 22 }),
        (numerator, n) => {
          const expected = halfEvenQuotient(BigInt(numerator), 10n ** BigInt(n));
          const got = divideHalfEven(numerator, FLOAT_POW10[n]!);
          // Exact, or NaN when the check of the quotient would reach 2⁵³ (a negative numerator
          // floors to −1 × 10ⁿ): the caller then divides in bigints.
          if (!Number.isNaN(got)) expect(got).toBe(Number(expected));
          if (numerator >= 0) expect(got).not.toBeNaN();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives NaN past 2⁵³', () => {
    expect(divideHalfEven(EXACT_INTEGER_LIMIT - 1, 1)).toBe(EXACT_INTEGER_LIMIT - 1);
    expect(divideHalfEven(2 ** 60, 3)).toBeNaN();
    // A quotient whose product with the denominator would reach 2⁵³ (the remainder inexact).
    expect(divideHalfEven(-(EXACT_INTEGER_LIMIT - 1), 2)).toBeNaN();
  });

  it('rounds ties to even', () => {
    expect(divideHalfEven(5, 2)).toBe(2);
    expect(divideHalfEven(7, 2)).toBe(4);
    expect(divideHalfEven(-5, 2)).toBe(-2);
    expect(divideHalfEven(-7, 2)).toBe(-4);
    expect(divideHalfEven(1, 3)).toBe(0);
    expect(divideHalfEven(2, 3)).toBe(1);
  });
});
