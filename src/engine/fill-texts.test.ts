import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RejectReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { SimulatedFill } from '../execution/index.js';
import { Ledger } from '../ledger/index.js';
import { EngineOrder, type OrderSlot } from './engine-order.js';
import { FillTexts } from './fill-texts.js';

/** Wide enough for any product of the test's values, exactly. */
const Exact = Decimal.clone({ precision: 200 });

function order(steps: number, decimals: number): EngineOrder<OrderSlot> {
  return new EngineOrder(
    1,
    { arm: 'canary', symbol: 'BTCUSDT', tsUs: 0, price: 100, decimals },
    'buy',
    steps,
    { account: { id: 'a1' } },
    0,
  );
}

function fill(steps: number, decimals: number, feePerUnit: Decimal): SimulatedFill {
  return new SimulatedFill(order(steps, decimals), 1, new Decimal('100'), feePerUnit, 1, 0);
}

/** The fee the books book for `report`: one account, one fill, as the engine passes it. */
function bookedFee(report: SimulatedFill): string {
  const ledger = new Ledger([
    { account: { id: 'a1', capital: new Decimal('1e9') }, arm: 'canary' },
  ]);
  const engineOrder = report.order as EngineOrder<OrderSlot>;
  ledger.applyFill(report, ledger.account('a1'), engineOrder, report.feePerUnit);
  return ledger.accountSnapshot('a1').fees.toFixed();
}

/** A decimal with up to `places` places and up to 40 significant digits, ≥ 0. */
const decimal = (places: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.integer({ min: 0, max: places }))
    .map(([digits, scale]) => new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)));

describe('FillTexts', () => {
  it("gives a simulated fill's quantity as toFixed() writes it and its fee as booked (fast-check)", () => {
    const texts = new FillTexts();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 18 }),
        decimal(24),
        (steps, decimals, feePerUnit) => {
          const report = fill(steps, decimals, feePerUnit);
          expect(texts.quantity(report)).toBe(report.quantity.toFixed());
          const fee = texts.fee(report);
          // The exact product, rounded half-even once to the venue's 8 places.
          expect(fee).toBe(
            new Exact(feePerUnit.toFixed())
              .times(report.quantity.toFixed())
              .toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN)
              .toFixed(),
          );
          expect(fee).toBe(bookedFee(report));
          // Where a decimal keeps every digit, the fill's own fee is the same text.
          if (new Exact(fee!).precision() <= 40) expect(fee).toBe(report.fee.toFixed());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('rounds the exact fee, not a 40-digit product that lands on a tie (decimal.js would)', () => {
    // 2200000000000000000000.000000010000000001 × 0.5 = 1100000000000000000000.0000000050000000005
    // (41 digits): past half of 10⁻⁸, so up. A 40-digit product drops the last 5 and leaves an
    // exact tie, which half-even takes down.
    const feePerUnit = new Decimal('2200000000000000000000.000000010000000001');
    const report = fill(5, 1, feePerUnit);
    const naive = feePerUnit.times('0.5').toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed();
    expect(naive).toBe('1100000000000000000000');
    const text = new FillTexts().fee(report)!;
    expect(text).toBe('1100000000000000000000.00000001');
    expect(text).toBe(bookedFee(report));
    expect(text).toBe(report.fee.toFixed());
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
