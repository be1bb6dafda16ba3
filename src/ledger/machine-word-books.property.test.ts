import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import {
  divideHalfEven,
  EXACT_INTEGER_LIMIT,
  MachineWordBooks,
  multiplyDivideHalfEven,
} from './machine-word-books.js';

/** The reference: decimal.js wide enough that only the rules' two roundings round. */
const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;

interface ReferenceBooks {
  quantity: Exact;
  avgPrice: Exact;
  realized: Exact;
  fees: Exact;
}

/**
 * Books a fill the slow, obvious way, by the machine-word rules: the average cost rounded
 * half-even to `priceDecimals`, the fee to `moneyDecimals`.
 */
function book(
  b: ReferenceBooks,
  quantity: Exact,
  price: Exact,
  feeRate: Exact,
  priceDecimals: number,
  moneyDecimals: number,
): void {
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
  const fee = quantity.abs().times(price).times(feeRate);
  b.fees = b.fees.plus(fee.toDecimalPlaces(moneyDecimals, Decimal.ROUND_HALF_EVEN));
}

const increments = fc.record({
  quantityDecimals: fc.integer({ min: 0, max: 8 }),
  priceDecimals: fc.integer({ min: 0, max: 4 }),
});
// Steps and ticks small enough that 40 fills stay under 2⁵³ money units: every fill is booked.
// One fill in four closes the account's position exactly (when it has one).
const fillArb = fc.record({
  account: fc.integer({ min: 0, max: 2 }),
  steps: fc.integer({ min: -100_000, max: 100_000 }).filter((s) => s !== 0),
  ticks: fc.integer({ min: 1, max: 10_000_000 }),
  close: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

/** The fill's steps: its own, or what closes the account's position. */
const stepsOf = (
  books: MachineWordBooks,
  fill: { account: number; steps: number; close: boolean },
): number =>
  fill.close && books.quantity[fill.account] !== 0 ? -books.quantity[fill.account]! : fill.steps;
// Fee rates in tenths of a basis point (0 to 20 bps): numerator over 100,000.
const feeArb = fc.integer({ min: 0, max: 200 });

describe('MachineWordBooks', () => {
  it('books every figure as the decimal reference does, fill after fill', () => {
    fc.assert(
      fc.property(
        increments,
        feeArb,
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        (inc, feeTenthsBps, fills) => {
          const books = new MachineWordBooks(inc, 2);
          books.grow(3);
          const moneyDecimals = inc.quantityDecimals + inc.priceDecimals;
          const feeRate = new Exact(feeTenthsBps).dividedBy(100_000);
          const reference: ReferenceBooks[] = [0, 1, 2].map(() => ({
            quantity: new Exact(0),
            avgPrice: new Exact(0),
            realized: new Exact(0),
            fees: new Exact(0),
          }));
          const step = new Exact(10).pow(-inc.quantityDecimals);
          const tick = new Exact(10).pow(-inc.priceDecimals);
          for (const fill of fills) {
            const steps = stepsOf(books, fill);
            expect(books.apply(fill.account, steps, fill.ticks, feeTenthsBps, 100_000)).toBe(true);
            const r = reference[fill.account]!;
            book(
              r,
              step.times(steps),
              tick.times(fill.ticks),
              feeRate,
              inc.priceDecimals,
              moneyDecimals,
            );
            const i = fill.account;
            expect(books.quantityOf(i).toFixed()).toBe(r.quantity.toFixed());
            expect(books.avgPriceOf(i).toFixed()).toBe(r.avgPrice.toFixed());
            expect(books.realizedOf(i).toFixed()).toBe(r.realized.toFixed());
            expect(books.feesOf(i).toFixed()).toBe(r.fees.toFixed());
          }
        },
      ),
    );
  });

  it('keeps realized + unrealized − fees equal to the cash flow, to the unit', () => {
    fc.assert(
      fc.property(
        feeArb,
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (feeTenthsBps, fills, markTicks) => {
          const books = new MachineWordBooks({ quantityDecimals: 8, priceDecimals: 2 }, 3);
          const cash = [0, 0, 0];
          const feesPaid = [0, 0, 0];
          for (const fill of fills) {
            const { account, ticks } = fill;
            const steps = stepsOf(books, fill);
            const feesBefore = books.fees[account]!;
            expect(books.apply(account, steps, ticks, feeTenthsBps, 100_000)).toBe(true);
            cash[account]! -= steps * ticks;
            feesPaid[account]! += books.fees[account]! - feesBefore;
          }
          for (let i = 0; i < 3; i++) {
            const q = books.quantity[i]!;
            const pnl =
              books.realized[i]! + q * markTicks - q * books.avgPrice[i]! - books.fees[i]!;
            expect(pnl).toBe(cash[i]! + q * markTicks - feesPaid[i]!);
          }
        },
      ),
    );
  });

  it('books nothing and says so when a figure would reach 2⁵³ money units', () => {
    const books = new MachineWordBooks({ quantityDecimals: 8, priceDecimals: 2 }, 1);
    expect(books.apply(0, 1_000_000, 6_000_000, 10, 10_000)).toBe(true);
    const before = [books.quantity[0], books.avgPrice[0], books.realized[0], books.fees[0]];
    // 10⁹ steps (10 BTC) at 60,000.00: a notional of 6·10¹⁵ units, and the add's cost past 2⁵³.
    expect(books.apply(0, 1_000_000_000, 6_000_000, 10, 10_000)).toBe(true);
    expect(books.apply(0, 1_000_000_000, 6_000_000, 10, 10_000)).toBe(false);
    expect(books.quantity[0]).toBe(1_001_000_000);
    expect(before[0]).toBe(1_000_000);
    expect(books.apply(0, -1_001_000_000, 6_000_000, 0, 1)).toBe(true);
    expect(books.quantity[0]).toBe(0);
    // Fees paid up to just under 2⁵³: a fill whose fee would reach it is not booked.
    books.fees[0] = EXACT_INTEGER_LIMIT - 10;
    expect(books.apply(0, 1_000, 6_000_000, 10, 10_000)).toBe(false);
    expect(books.quantity[0]).toBe(0);
    expect(books.apply(0, 1, 6_000, 10, 10_000)).toBe(true); // a fee of 6 units still fits
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

describe('multiplyDivideHalfEven', () => {
  it('rounds value × numerator / denominator half-even, with no product past 2⁵³', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: EXACT_INTEGER_LIMIT - 1 }),
        fc
          .integer({ min: 1, max: 2 ** 26 })
          .chain((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.constant(d))),
        (value, [numerator, denominator]) => {
          const expected = halfEvenQuotient(BigInt(value) * BigInt(numerator), BigInt(denominator));
          expect(multiplyDivideHalfEven(value, numerator, denominator)).toBe(Number(expected));
        },
      ),
    );
  });
});

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
