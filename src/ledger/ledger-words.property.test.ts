import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FillReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { venueFee } from '../core/venue-fee.js';
import { Ledger } from './ledger.js';

/** `units × 10^-places` as a decimal. */
const scaled = (units: bigint, places: number): Decimal =>
  new Decimal(units.toString()).dividedBy(new Decimal(10).pow(places));

// Fills that machine words hold and fills they cannot: quantities and prices from a few digits to
// 18 significant ones, prices with up to 12 places (a slippage factor's), reported fees with up to
// 12 places (past the words' 10⁻⁸), so accounts move to bigints at random points.
const fillArb = fc.record({
  account: fc.constantFrom('a', 'b', 'c'),
  symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
  buy: fc.boolean(),
  qty: fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 6n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 18n }) },
  ),
  qtyPlaces: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 }) },
  ),
  price: fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 7n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 18n }) },
  ),
  pricePlaces: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) },
  ),
  // A venue's fee (a fee per unit: the engine's path) or a reported one.
  venue: fc.boolean(),
  feeUnit: fc.bigInt({ min: 0n, max: 10n ** 8n }),
  feePlaces: fc.integer({ min: 0, max: 12 }),
  close: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  moveAfter: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

describe('Ledger in machine words (property)', () => {
  it('books exactly what the bigint books do (mirrors included), through moves to bigints, between arms and marks', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (fills, markUnits) => {
          const accounts = ['a', 'b', 'c'].map((id) => ({
            account: { id, capital: new Decimal('1000000') },
            arm: 'stable' as const,
          }));
          const words = new Ledger(accounts);
          const bigints = new Ledger(accounts, { machineWords: false });
          let n = 0;
          for (const f of fills) {
            const held = bigints
              .accountSnapshot(f.account)
              .positions.find((p) => p.symbol === f.symbol);
            // Some fills close the position exactly, the engine's common exit.
            const closing = f.close && held !== undefined && !held.quantity.isZero();
            const quantity = closing ? held.quantity.abs() : scaled(f.qty, f.qtyPlaces);
            const buy = closing ? held.quantity.isNegative() : f.buy;
            const feePerUnit = scaled(f.feeUnit, f.feePlaces);
            const report: FillReport = {
              type: 'fill',
              orderId: `o-${n++}`,
              accountId: f.account,
              arm: 'stable',
              symbol: f.symbol,
              side: buy ? 'buy' : 'sell',
              quantity,
              decisionTsUs: 0,
              tsUs: 0,
              price: scaled(f.price, f.pricePlaces),
              fee: f.venue ? venueFee(feePerUnit, quantity) : feePerUnit,
              latencyMs: 0,
              slippageBps: 0,
            };
            const steps = {
              steps: Number(quantity.times(new Decimal(10).pow(quantity.decimalPlaces()))),
              decimals: quantity.decimalPlaces(),
            };
            const exactSteps = Number.isSafeInteger(steps.steps);
            const fee = f.venue ? feePerUnit : undefined;
            words.applyFill(report, words.account(f.account), exactSteps ? steps : undefined, fee);
            bigints.applyFill(report, bigints.account(f.account), undefined, fee);
            if (f.moveAfter) {
              const to = words.armOf(f.account) === 'stable' ? 'canary' : 'stable';
              words.moveAccount(f.account, to);
              bigints.moveAccount(f.account, to);
            }
          }
          for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
            words.restoreMark(symbol, scaled(markUnits, 4), 1);
            bigints.restoreMark(symbol, scaled(markUnits, 4), 1);
          }
          for (const id of ['a', 'b', 'c']) {
            expect(JSON.stringify(words.accountSnapshot(id))).toBe(
              JSON.stringify(bigints.accountSnapshot(id)),
            );
            expect(words.accountBooks(id)).toEqual(bigints.accountBooks(id));
          }
          for (const arm of ['stable', 'canary'] as const) {
            expect(JSON.stringify(words.armTotals(arm))).toBe(
              JSON.stringify(bigints.armTotals(arm)),
            );
            // The float mirrors too: the same floats whichever books an account is in.
            expect(words.armTradeStats(arm)).toEqual(bigints.armTradeStats(arm));
            expect(words.armEquityNum(arm)).toEqual(bigints.armEquityNum(arm));
          }
          for (const id of ['a', 'b', 'c']) {
            for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
              expect(words.accountView(id, symbol)).toEqual(bigints.accountView(id, symbol));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
