import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RejectReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { SimulatedFill } from '../execution/index.js';
import { EngineOrder } from './engine-order.js';
import { FillTexts } from './fill-texts.js';

function order(steps: number, decimals: number): EngineOrder<null> {
  return new EngineOrder(1, 'a1', 'canary', 'BTCUSDT', 'buy', steps, decimals, 0, 100, null, 0);
}

function fill(steps: number, decimals: number, feePerUnit: Decimal): SimulatedFill {
  return new SimulatedFill(order(steps, decimals), 1, new Decimal('100'), feePerUnit, 1, 0);
}

/** A decimal with up to `places` places and up to 40 significant digits, ≥ 0. */
const decimal = (places: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.integer({ min: 0, max: places }))
    .map(([digits, scale]) => new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)));

describe('FillTexts', () => {
  it("gives a simulated fill's quantity and fee as toFixed() writes them (fast-check)", () => {
    const texts = new FillTexts();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 18 }),
        decimal(24),
        (steps, decimals, feePerUnit) => {
          const report = fill(steps, decimals, feePerUnit);
          expect(texts.quantity(report)).toBe(report.quantity.toFixed());
          expect(texts.fee(report)).toBe(report.fee.toFixed());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rounds a fee of more than 40 significant digits as the decimal product does', () => {
    // 39 digits × 9 digits: the exact product has 47 and decimal.js keeps 40, half to even.
    const feePerUnit = new Decimal('123456789012345678901234567890.123456789');
    const report = fill(987654321, 8, feePerUnit);
    const text = new FillTexts().fee(report);
    expect(text).toBe(report.fee.toFixed());
    // The rounding did happen: the exact product is another number.
    const Exact = Decimal.clone({ precision: 100 });
    const exact = new Exact(feePerUnit.toFixed()).times('9.87654321');
    expect(exact.precision()).toBeGreaterThan(40);
    expect(exact.equals(text!)).toBe(false);
  });

  it('leaves to the decimals what it cannot make exactly: a fee per unit past 24 places, other reports', () => {
    const texts = new FillTexts();
    const fine = new Decimal('0.0000000000000000000000001'); // 25 places
    expect(texts.fee(fill(5, 2, fine))).toBeUndefined();
    expect(texts.quantity(fill(5, 2, fine))).toBe('0.05');
    const reject: RejectReport = {
      type: 'reject',
      orderId: 'canary-1',
      accountId: 'a1',
      arm: 'canary',
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: new Decimal('0.05'),
      decisionTsUs: 0,
      tsUs: 1,
      reason: 'INJECTED',
      message: 'm',
    };
    expect(texts.quantity(reject)).toBeUndefined();
    expect(texts.fee(reject)).toBeUndefined();
  });
});
