import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { stepsToDecimalString, trimmedDecimalString } from './quantity-steps.js';

describe('stepsToDecimalString', () => {
  it('places the decimal point', () => {
    expect(stepsToDecimalString(123, 4)).toBe('0.0123');
    expect(stepsToDecimalString(123456789, 8)).toBe('1.23456789');
    expect(stepsToDecimalString(-5, 2)).toBe('-0.05');
    expect(stepsToDecimalString(7, 0)).toBe('7');
  });

  it('equals steps / 10^decimals exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 12 }),
        (steps, decimals) => {
          const text = stepsToDecimalString(steps, decimals);
          expect(
            new Decimal(text).equals(new Decimal(steps).dividedBy(new Decimal(10).pow(decimals))),
          ).toBe(true);
        },
      ),
    );
  });
});

describe('trimmedDecimalString', () => {
  it('drops trailing zeros and a bare point', () => {
    expect(trimmedDecimalString(1230, 5)).toBe('0.0123');
    expect(trimmedDecimalString(500, 2)).toBe('5');
    expect(trimmedDecimalString(-500, 2)).toBe('-5');
    expect(trimmedDecimalString(100, 0)).toBe('100');
    expect(trimmedDecimalString(0, 3)).toBe('0');
  });

  it("is decimal.js's toFixed() of the same value (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 18 }),
        (steps, decimals) => {
          expect(trimmedDecimalString(steps, decimals)).toBe(
            new Decimal(stepsToDecimalString(steps, decimals)).toFixed(),
          );
        },
      ),
    );
  });
});
