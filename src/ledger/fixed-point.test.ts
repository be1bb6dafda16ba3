import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { Decimal, moneyToString } from '../core/money.js';
import {
  averageCostRaw,
  fromRaw,
  MONEY_DIGITS,
  PRICE_DIGITS,
  QTY_DIGITS,
  rawToFloat,
  rawToString,
  roundScaled,
  roundSignificant,
  toRaw,
} from './fixed-point.js';

/** Exact reference arithmetic: wide enough that nothing below is ever rounded. */
const Exact = Decimal.clone({ precision: 200 });

/** A decimal string with up to `decimals` places and up to 12 integer digits, either sign. */
const decimalText = (decimals: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.integer({ min: 0, max: decimals }),
      fc.bigInt({ min: 0n, max: 10n ** BigInt(decimals) - 1n }),
    )
    .map(([negative, whole, places, fraction]) => {
      const digits = (fraction % 10n ** BigInt(places)).toString().padStart(places, '0');
      return `${negative ? '-' : ''}${whole}${places > 0 ? `.${digits}` : ''}`;
    });

describe('fixed point', () => {
  it('converts decimals to raw integers and back exactly', () => {
    fc.assert(
      fc.property(decimalText(18), (text) => {
        const value = new Decimal(text);
        const raw = toRaw(value, QTY_DIGITS);
        expect(raw).toBe(BigInt(new Exact(text).times(new Exact(10).pow(QTY_DIGITS)).toFixed()));
        expect(moneyToString(fromRaw(raw, QTY_DIGITS))).toBe(moneyToString(value));
        // Within two ulps (the property below measures them exactly).
        expect(Math.abs(rawToFloat(raw, QTY_DIGITS) - value.toNumber())).toBeLessThanOrEqual(
          Math.abs(value.toNumber()) * 4 * Number.EPSILON,
        );
      }),
      { numRuns: 500 },
    );
    expect(toRaw(new Decimal(`1e-${MONEY_DIGITS}`), MONEY_DIGITS)).toBe(1n);
    expect(toRaw(new Decimal('123456789.000000001'), 18)).toBe(123456789000000001000000000n);
    expect(moneyToString(fromRaw(-5n, 3))).toBe('-0.005');
  });

  it('refuses a value with more decimal places than its scale (it would be rounded)', () => {
    const tooFine = new Decimal(`1e-${PRICE_DIGITS + 1}`);
    expect(() => toRaw(tooFine, PRICE_DIGITS)).toThrow(ConfigError);
    expect(() => toRaw(tooFine, PRICE_DIGITS)).toThrow(
      expect.objectContaining({ code: 'E_PRECISION' }),
    );
    expect(() => toRaw(tooFine, PRICE_DIGITS)).toThrow(/more than 24 decimal places/);
  });

  it('rounds the average cost to the given places half-even, as the exact quotient says', () => {
    fc.assert(
      fc.property(
        decimalText(8),
        decimalText(8),
        fc.integer({ min: 0, max: 24 }),
        (quantityText, priceText, places) => {
          const quantity = new Exact(quantityText);
          fc.pre(!quantity.isZero());
          // A cost of the quantity's sign (adding to a position): quantity × price plus a bit.
          const cost = quantity.times(new Exact(priceText).abs()).plus(new Exact('0.0000001'));
          const expected = cost
            .dividedBy(quantity)
            .toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN)
            .toFixed();
          const raw = averageCostRaw(
            toRaw(new Decimal(cost.toFixed()), MONEY_DIGITS),
            toRaw(new Decimal(quantity.toFixed()), QTY_DIGITS),
            places,
          );
          expect(moneyToString(fromRaw(raw, PRICE_DIGITS))).toBe(
            moneyToString(new Decimal(expected)),
          );
        },
      ),
      { numRuns: 500 },
    );
    // Ties go to the even neighbour: 0.0000000000005 → 0, 0.0000000000015 → 0.000000000002.
    const one = toRaw(new Decimal(1), QTY_DIGITS);
    const average = (cost: string): string =>
      moneyToString(
        fromRaw(averageCostRaw(toRaw(new Decimal(cost), MONEY_DIGITS), one, 12), PRICE_DIGITS),
      );
    expect(average('0.0000000000005')).toBe('0');
    expect(average('0.0000000000015')).toBe('0.000000000002');
    expect(average('-0.0000000000025')).toBe('-0.000000000002');
  });

  it('refuses an average cost to places outside 0 … 24', () => {
    const one = toRaw(new Decimal(1), QTY_DIGITS);
    expect(() => averageCostRaw(1n, one, 25)).toThrow(RangeError);
    expect(() => averageCostRaw(1n, one, -1)).toThrow(RangeError);
    expect(() => averageCostRaw(1n, one, 1.5)).toThrow(RangeError);
  });

  it('rounds a scaled integer to fewer places half-even, as decimal.js does', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 24 }),
        (value, digits, places) => {
          const expected = new Exact(value.toString())
            .dividedBy(new Exact(10).pow(digits))
            .toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
          const rounded = roundScaled(value, digits, places);
          expect(moneyToString(fromRaw(rounded, places))).toBe(
            moneyToString(new Decimal(expected.toFixed())),
          );
        },
      ),
      { numRuns: 1000 },
    );
    expect(roundScaled(1234n, 3, 1)).toBe(12n);
    expect(roundScaled(-1250n, 3, 1)).toBe(-12n); // −1.25 → −1.2 (even)
    expect(roundScaled(1350n, 3, 1)).toBe(14n); // 1.35 → 1.4 (even)
  });

  it('mirrors raw values as the nearest float, as the machine words do', () => {
    for (const digits of [QTY_DIGITS, PRICE_DIGITS, MONEY_DIGITS]) {
      fc.assert(
        fc.property(decimalText(digits), (text) => {
          const raw = toRaw(new Decimal(text), digits);
          expect(rawToFloat(raw, digits)).toBe(new Exact(text).toNumber() + 0); // −0 is 0n
        }),
        { numRuns: 400 },
      );
    }
    // A whole number of units over a power of ten, as the words compute a mirror.
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 18 }),
        (units, places) => {
          const raw = BigInt(units) * 10n ** BigInt(MONEY_DIGITS - places);
          expect(rawToFloat(raw, MONEY_DIGITS)).toBe(units / Number(`1e${places}`));
        },
      ),
      { numRuns: 1000 },
    );
    // Whole numbers, also past 2⁵³ where a float cannot hold them: the nearest float, as the
    // decimal text gives it.
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.constantFrom(QTY_DIGITS, PRICE_DIGITS, MONEY_DIGITS),
        (whole, digits) => {
          const raw = whole * 10n ** BigInt(digits);
          expect(rawToFloat(raw, digits)).toBe(Number(whole.toString()) + 0);
        },
      ),
      { numRuns: 1000 },
    );
    expect(rawToFloat(10n ** 46n, MONEY_DIGITS)).toBe(10_000);
    expect(rawToFloat(1_234_567n * 10n ** 40n, MONEY_DIGITS)).toBe(12_345.67);
    expect(rawToFloat(-(2n ** 53n - 1n) * 10n ** 34n, MONEY_DIGITS)).toBe(-(2 ** 53 - 1) / 1e8);
    expect(rawToFloat(2n ** 53n * 10n ** 34n, MONEY_DIGITS)).toBe(Number(`${2n ** 53n}e-8`));
    expect(rawToFloat(-(2n ** 53n + 1n) * 10n ** 18n, QTY_DIGITS)).toBe(-(2 ** 53));
  });

  it('writes raw values as the decimal strings decimal.js writes, and rounds them as it does', () => {
    /** Up to 60 digits, either sign, with runs of zeros at either end. */
    const raw = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 45n }), fc.integer({ min: 0, max: 15 }))
      .map(([negative, digits, zeros]) => (negative ? -1n : 1n) * digits * 10n ** BigInt(zeros));
    fc.assert(
      fc.property(raw, fc.integer({ min: 0, max: MONEY_DIGITS }), (value, digits) => {
        const exact = new Exact(value.toString()).dividedBy(new Exact(10).pow(digits));
        expect(rawToString(value, digits)).toBe(moneyToString(exact));
        // Rounded to 40 significant digits, half even: as a decimal.js operation at Decimal's
        // precision rounds its exact result.
        const rounded = roundSignificant(value, Decimal.precision);
        expect(rawToString(rounded, digits)).toBe(
          moneyToString(
            new Decimal(0).plus(exact.toSignificantDigits(40, Decimal.ROUND_HALF_EVEN).toFixed()),
          ),
        );
        expect(rawToString(rounded, digits)).toBe(
          moneyToString(new Decimal(exact.toFixed()).plus(0)),
        );
      }),
      { numRuns: 1000 },
    );
    expect(rawToString(0n, 5)).toBe('0');
    expect(rawToString(-1200n, 3)).toBe('-1.2');
    expect(roundSignificant(125n, 2)).toBe(120n);
    expect(roundSignificant(135n, 2)).toBe(140n);
    expect(roundSignificant(-1251n, 2)).toBe(-1300n);
    // Past the significant digits: a remainder of one unit, a remainder past half, none at all,
    // and past the table of powers of ten.
    expect(roundSignificant(10n ** 41n + 1n, 40)).toBe(10n ** 41n);
    expect(roundSignificant(-(10n ** 41n + 60n), 40)).toBe(-(10n ** 41n + 100n));
    expect(roundSignificant(12n * 10n ** 50n, 40)).toBe(12n * 10n ** 50n);
    expect(roundSignificant(10n ** 90n + 5n * 10n ** 50n, 40)).toBe(10n ** 90n); // a tie, to even
    expect(roundSignificant(10n ** 90n + 15n * 10n ** 50n, 40)).toBe(10n ** 90n + 2n * 10n ** 51n);
  });
});
