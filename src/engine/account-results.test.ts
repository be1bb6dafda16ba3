import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import type { FillReport } from '../core/execution-report.js';
import { Decimal, moneyToString } from '../core/money.js';
import { Ledger } from '../ledger/index.js';
import { accountResults } from './account-results.js';

/** `units × 10^-places` as a decimal. */
const scaled = (units: bigint, places: number): Decimal =>
  new Decimal(units.toString()).dividedBy(new Decimal(10).pow(places));

const fillArb = fc.record({
  account: fc.integer({ min: 0, max: 2 }),
  symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
  buy: fc.boolean(),
  qty: fc.bigInt({ min: 1n, max: 10n ** 14n }),
  qtyPlaces: fc.integer({ min: 0, max: 18 }),
  // Up to 24 places (a slipped fill price): long raw values, sums past 40 significant digits.
  price: fc.bigInt({ min: 1n, max: 10n ** 20n }),
  pricePlaces: fc.integer({ min: 0, max: 24 }),
  fee: fc.bigInt({ min: 0n, max: 10n ** 16n }),
  feePlaces: fc.integer({ min: 0, max: 30 }),
});

describe('accountResults', () => {
  it('writes every account the figures its decimal snapshot gives, pnl rounded as decimal.js rounds it', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 0, maxLength: 30 }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 24 }),
        (fills, markUnits, markPlaces) => {
          const accounts: Account[] = ['a', 'b', 'c'].map((id, i) => ({
            id,
            capital: new Decimal(`${1000 * (i + 1)}.25`),
            ...(i === 2 ? { override: 'canary' as const } : {}),
          }));
          const ledger = new Ledger(
            accounts.map((account, i) => ({ account, arm: i === 2 ? 'canary' : 'stable' })),
          );
          let n = 0;
          for (const f of fills) {
            const report: FillReport = {
              type: 'fill',
              orderId: `o-${n++}`,
              accountId: accounts[f.account]!.id,
              arm: f.account === 2 ? 'canary' : 'stable',
              symbol: f.symbol,
              side: f.buy ? 'buy' : 'sell',
              quantity: scaled(f.qty, f.qtyPlaces),
              decisionTsUs: 0,
              tsUs: 0,
              price: scaled(f.price, f.pricePlaces),
              fee: scaled(f.fee, f.feePlaces),
              latencyMs: 0,
              slippageBps: 0,
            };
            ledger.applyFill(report);
          }
          ledger.restoreMark('BTCUSDT', scaled(markUnits, markPlaces), 1);
          const results = accountResults(ledger, accounts);
          expect(results.map((r) => r.accountId)).toEqual(['a', 'b', 'c']);
          for (const [i, result] of results.entries()) {
            // The computation accountResults replaced: decimals all the way.
            const books = ledger.accountSnapshot(accounts[i]!.id);
            expect(result).toEqual({
              accountId: accounts[i]!.id,
              arm: books.arm,
              override: accounts[i]!.override ?? '',
              capital: moneyToString(books.capital),
              realizedPnl: moneyToString(books.realizedPnl),
              unrealizedPnl: moneyToString(books.unrealizedPnl),
              fees: moneyToString(books.fees),
              pnl: moneyToString(books.realizedPnl.plus(books.unrealizedPnl).minus(books.fees)),
              equity: moneyToString(books.equity),
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
