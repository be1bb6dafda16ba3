import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FillReport } from '../core/execution-report.js';
import { Decimal, moneyToString } from '../core/money.js';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';
import { QTY_DIGITS } from './fixed-point.js';
import { Ledger } from './ledger.js';

/** The reference: decimal.js wide enough that nothing but the average cost is ever rounded. */
const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;

/** One account's books for one symbol, by the accounting rules of docs/accounting.md. */
interface Books {
  quantity: Exact;
  avgPrice: Exact;
  costBasis: Exact;
  realized: Exact;
  fees: Exact;
  /** The account's tick as decimal places: the most decimals of its fill prices so far. */
  tick: number;
}

/**
 * Books a fill the slow, obvious way (average cost rounded half-even to the tick, the most
 * decimals of any fill price so far, this one's included).
 */
function book(b: Books, buy: boolean, size: Exact, price: Exact, fee: Exact): void {
  b.tick = Math.max(b.tick, price.decimalPlaces());
  const held = b.quantity;
  const next = buy ? held.plus(size) : held.minus(size);
  if (held.isZero()) {
    b.avgPrice = price;
    b.costBasis = next.times(price);
  } else if (held.isPositive() === buy) {
    const cost = buy ? b.costBasis.plus(size.times(price)) : b.costBasis.minus(size.times(price));
    b.avgPrice = cost.dividedBy(next).toDecimalPlaces(b.tick, Decimal.ROUND_HALF_EVEN);
    b.costBasis = next.times(b.avgPrice);
    b.realized = b.realized.plus(b.costBasis.minus(cost)); // the rounding residual
  } else if (next.isZero() || next.isPositive() === held.isPositive()) {
    const pnl = buy ? b.avgPrice.minus(price).times(size) : price.minus(b.avgPrice).times(size);
    b.realized = b.realized.plus(pnl);
    b.avgPrice = next.isZero() ? new Exact(0) : b.avgPrice;
    b.costBasis = next.times(b.avgPrice);
  } else {
    b.realized = b.realized.plus(price.minus(b.avgPrice).times(held));
    b.avgPrice = price;
    b.costBasis = next.times(price);
  }
  b.quantity = next;
  b.fees = b.fees.plus(fee);
}

/** `units × 10^-places` as a decimal string. */
const scaled = (units: bigint, places: number): string =>
  new Exact(units.toString()).dividedBy(new Exact(10).pow(places)).toFixed();

const fillArb = fc.record({
  buy: fc.boolean(),
  // Sizes and prices with up to 8 decimals and up to 18 significant digits, fees with up to 12.
  qty: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  qtyPlaces: fc.integer({ min: 0, max: 8 }),
  price: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  pricePlaces: fc.integer({ min: 0, max: 8 }),
  fee: fc.bigInt({ min: 0n, max: 10n ** 10n }),
  feePlaces: fc.integer({ min: 0, max: 12 }),
});

describe('Ledger exactness (property)', () => {
  it('every figure equals the decimal.js computation exactly: adds, partial closes, flips, fees', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        (fills, markUnits) => {
          const ledger = new Ledger([
            { account: { id: 'a', capital: new Decimal('1000000') }, arm: 'stable' },
          ]);
          const ref: Books = {
            quantity: new Exact(0),
            avgPrice: new Exact(0),
            costBasis: new Exact(0),
            realized: new Exact(0),
            fees: new Exact(0),
            tick: 0,
          };
          let n = 0;
          for (const f of fills) {
            const size = scaled(f.qty, f.qtyPlaces);
            const price = scaled(f.price, f.pricePlaces);
            const fee = scaled(f.fee, f.feePlaces);
            const report: FillReport = {
              type: 'fill',
              orderId: `o-${n++}`,
              accountId: 'a',
              arm: 'stable',
              symbol: 'BTCUSDT',
              side: f.buy ? 'buy' : 'sell',
              quantity: new Decimal(size),
              decisionTsUs: 0,
              tsUs: 0,
              price: new Decimal(price),
              fee: new Decimal(fee),
              latencyMs: 0,
              slippageBps: 0,
            };
            ledger.applyFill(report);
            book(ref, f.buy, new Exact(size), new Exact(price), new Exact(fee));
          }
          const mark = scaled(markUnits, 4);
          ledger.restoreMark('BTCUSDT', new Decimal(mark), 1);
          const snapshot = ledger.accountSnapshot('a');
          const text = (x: Decimal): string => moneyToString(new Decimal(x.toFixed()));
          const position = snapshot.positions[0];
          if (ref.quantity.isZero()) expect(position).toBeUndefined();
          else {
            expect(text(position!.quantity)).toBe(text(ref.quantity));
            expect(text(position!.avgPrice)).toBe(text(ref.avgPrice));
            expect(text(position!.costBasis)).toBe(text(ref.costBasis));
          }
          const unrealized = ref.quantity.times(mark).minus(ref.costBasis);
          expect(text(snapshot.realizedPnl)).toBe(text(ref.realized));
          expect(text(snapshot.fees)).toBe(text(ref.fees));
          expect(text(snapshot.unrealizedPnl)).toBe(text(unrealized));
          expect(text(snapshot.equity)).toBe(
            text(new Exact(1000000).plus(ref.realized).plus(unrealized).minus(ref.fees)),
          );
          const totals = ledger.armTotals('stable');
          expect(text(totals.equity)).toBe(text(snapshot.equity));
          expect(text(totals.pnl)).toBe(text(ref.realized.plus(unrealized).minus(ref.fees)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the raw path (handle, raw quantity, fee per unit) books exactly what the decimals do', () => {
    // The engine's fills: the quantity in raw units and the fee as feePerUnit × quantity rounded
    // to the venue's 10⁻⁸, never built as decimals. Fee per unit with up to 30 places: past 24
    // the ledger falls back to the fill's own fee decimal, which must give the same books.
    const rawFillArb = fc.record({
      buy: fc.boolean(),
      qty: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      qtyPlaces: fc.integer({ min: 0, max: 12 }),
      price: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      pricePlaces: fc.integer({ min: 0, max: 8 }),
      feeUnit: fc.bigInt({ min: 0n, max: 10n ** 10n }),
      feeUnitPlaces: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(rawFillArb, { minLength: 1, maxLength: 30 }), (fills) => {
        const capital = new Decimal('1000000');
        const byDecimals = new Ledger([{ account: { id: 'a', capital }, arm: 'stable' }]);
        const byRaw = new Ledger([{ account: { id: 'a', capital }, arm: 'stable' }]);
        const handle = byRaw.account('a');
        let n = 0;
        for (const f of fills) {
          const size = new Decimal(scaled(f.qty, f.qtyPlaces));
          const feePerUnit = new Decimal(scaled(f.feeUnit, f.feeUnitPlaces));
          const report: FillReport = {
            type: 'fill',
            orderId: `o-${n++}`,
            accountId: 'a',
            arm: 'stable',
            symbol: 'BTCUSDT',
            side: f.buy ? 'buy' : 'sell',
            quantity: size,
            decisionTsUs: 0,
            tsUs: 0,
            price: new Decimal(scaled(f.price, f.pricePlaces)),
            // The venue's fee (SimulatedFill.fee): the exact product rounded half-even to 10⁻⁸.
            fee: new Decimal(
              new Exact(feePerUnit.toFixed())
                .times(size.toFixed())
                .toDecimalPlaces(VENUE_FEE_DECIMALS, Decimal.ROUND_HALF_EVEN)
                .toFixed(),
            ),
            latencyMs: 0,
            slippageBps: 0,
          };
          byDecimals.applyFill(report);
          const quantityRaw = f.qty * 10n ** BigInt(QTY_DIGITS - f.qtyPlaces);
          byRaw.applyFill(report, handle, quantityRaw, feePerUnit);
        }
        const a = byDecimals.accountSnapshot('a');
        const b = byRaw.accountSnapshot('a');
        expect(b.fees.toFixed()).toBe(a.fees.toFixed());
        expect(b.realizedPnl.toFixed()).toBe(a.realizedPnl.toFixed());
        expect(b.equity.toFixed()).toBe(a.equity.toFixed());
        expect(b.positions.map((p) => p.quantity.toFixed())).toEqual(
          a.positions.map((p) => p.quantity.toFixed()),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a handle of another ledger and one of a removed account', () => {
    const account = { id: 'a', capital: new Decimal('1000') };
    const one = new Ledger([{ account, arm: 'stable' }]);
    const other = new Ledger([{ account, arm: 'stable' }]);
    const handle = other.account('a');
    expect(() => one.accountView(handle, 'BTCUSDT')).toThrow(/not open in this ledger/);
    expect(other.accountView(handle, 'BTCUSDT').equity).toBe(1000);
    other.removeAccount('a');
    expect(() => other.accountView(handle, 'BTCUSDT')).toThrow(/not open in this ledger/);
    expect(() => one.account('nobody')).toThrow(/unknown account/);
  });
});
