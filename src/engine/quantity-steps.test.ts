import { Decimal as DecimalJs } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepsToDecimalString, trimmedDecimalString } from './quantity-steps.js';

/** Enough digits for any float exactly (2^1024 has 309). */
const Exact = DecimalJs.clone({ precision: 1000 });

/** The exact value of a whole float, from its bits: mantissa × 2^exponent. */
function exactValue(steps: number): DecimalJs {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, steps);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (high & 0xfffff) * 2 ** 32 + view.getUint32(4);
  const mantissa = biased === 0 ? fraction : fraction + 2 ** 52;
  const magnitude = new Exact(mantissa).times(new Exact(2).pow(Math.max(biased, 1) - 1075));
  return high >>> 31 === 1 ? magnitude.negated() : magnitude;
}

/** Whole floats of every magnitude: safe integers, and any float at or beyond 2^52 (all whole). */
const wholeFloats = fc.oneof(
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc
    .double({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE, noNaN: true })
    .map((x) => (Math.abs(x) < 2 ** 52 ? Math.trunc(x * 2 ** 52) || 2 ** 52 : x)),
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e21, -1.6185023716830554e21, 1e25, Number.MAX_VALUE),
);

describe('stepsToDecimalString', () => {
  it('places the decimal point', () => {
    expect(stepsToDecimalString(123, 4)).toBe('0.0123');
    expect(stepsToDecimalString(123456789, 8)).toBe('1.23456789');
    expect(stepsToDecimalString(-5, 2)).toBe('-0.05');
    expect(stepsToDecimalString(7, 0)).toBe('7');
  });

  it('writes the float’s own digits beyond 2^53 and from 1e21, with no exponent', () => {
    expect(stepsToDecimalString(1.6185023716830554e21, 6)).toBe('1618502371683055.435776');
    expect(stepsToDecimalString(-(2 ** 53 + 2), 0)).toBe('-9007199254740994');
    expect(stepsToDecimalString(123456789012345683968, 2)).toBe('1234567890123456839.68');
  });

  it('equals steps / 10^decimals exactly, for any whole float (fast-check)', () => {
    fc.assert(
      fc.property(wholeFloats, fc.integer({ min: 0, max: 18 }), (steps, decimals) => {
        const text = stepsToDecimalString(steps, decimals);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(
          new Exact(text).equals(exactValue(steps).dividedBy(new Exact(10).pow(decimals))),
        ).toBe(true);
      }),
      { numRuns: 2000 },
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

  it("is decimal.js's toFixed() of the same value, for any whole float (fast-check)", () => {
    fc.assert(
      fc.property(wholeFloats, fc.integer({ min: 0, max: 18 }), (steps, decimals) => {
        expect(trimmedDecimalString(steps, decimals)).toBe(
          exactValue(steps).dividedBy(new Exact(10).pow(decimals)).toFixed(),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
