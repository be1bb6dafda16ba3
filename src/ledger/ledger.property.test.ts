import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARMS } from '../core/arm.js';
import type { Arm } from '../core/arm.js';
import type { FillReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal, ZERO, moneyToString } from '../core/money.js';
import { Ledger } from './ledger.js';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;

type Op =
  | {
      kind: 'fill';
      account: number;
      symbol: number;
      buy: boolean;
      qty: number;
      price: number;
      fee: number;
    }
  | { kind: 'quote'; symbol: number; bid: number; spread: number }
  | { kind: 'trade'; symbol: number; price: number }
  | { kind: 'move'; account: number; arm: Arm };

/** `units × 10^-decimals` as an exact decimal string. */
function scaled(units: number, decimals: number): string {
  return new Decimal(units).times(new Decimal(10).pow(-decimals)).toFixed();
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      account: fc.nat(4),
      symbol: fc.nat(SYMBOLS.length - 1),
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 50_000_000 }), // 8 decimals
      price: fc.integer({ min: 1, max: 10_000_000 }), // 2 decimals
      fee: fc.integer({ min: 0, max: 100_000 }), // 6 decimals
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      symbol: fc.nat(SYMBOLS.length - 1),
      bid: fc.integer({ min: 1, max: 10_000_000 }),
      spread: fc.integer({ min: 0, max: 1000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      symbol: fc.nat(SYMBOLS.length - 1),
      price: fc.integer({ min: 1, max: 10_000_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      account: fc.nat(4),
      arm: fc.constantFrom<Arm>('stable', 'canary'),
    }),
  },
);

const scenarioArb = fc.record({
  capitals: fc.array(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 5, maxLength: 5 }),
  arms: fc.array(fc.constantFrom<Arm>('stable', 'canary'), { minLength: 5, maxLength: 5 }),
  ops: fc.array(opArb, { maxLength: 60 }),
});

function toEvent(op: Op & { kind: 'quote' | 'trade' }): MarketEvent {
  const base = { tsUs: 0, exchangeTsUs: null, exchange: 'test', symbol: SYMBOLS[op.symbol]! };
  if (op.kind === 'trade') {
    const price = scaled(op.price, 2);
    return {
      ...base,
      type: 'trade',
      id: null,
      side: null,
      price,
      priceNum: Number(price),
      size: '1',
      sizeNum: 1,
    };
  }
  const bid = scaled(op.bid, 2);
  const ask = scaled(op.bid + op.spread, 2);
  return {
    ...base,
    type: 'quote',
    bidPrice: bid,
    bidPriceNum: Number(bid),
    bidSize: '1',
    bidSizeNum: 1,
    askPrice: ask,
    askPriceNum: Number(ask),
    askSize: '1',
    askSizeNum: 1,
  };
}

/** The brute-force books of one account: cash flows only, no average cost. */
interface CashBooks {
  capital: Decimal;
  cash: Decimal;
  quantity: Map<string, Decimal>;
}

describe('Ledger (property)', () => {
  it('arm totals are the exact sums of their accounts, and equity is the exact cash-flow equity', () => {
    fc.assert(
      fc.property(scenarioArb, ({ capitals, arms, ops }) => {
        const ids = capitals.map((_, i) => `acc-${i}`);
        const ledger = new Ledger(
          ids.map((id, i) => ({
            account: { id, capital: new Decimal(scaled(capitals[i]!, 2)) },
            arm: arms[i]!,
          })),
        );
        const cash = ids.map((_, i): CashBooks => ({
          capital: new Decimal(scaled(capitals[i]!, 2)),
          cash: ZERO,
          quantity: new Map(),
        }));
        // The mark rule, brute force: last quote mid, else last trade, else last fill price.
        const lastQuoteMid = new Map<string, Decimal>();
        const lastTrade = new Map<string, Decimal>();
        const lastFill = new Map<string, Decimal>();
        const markOf = (symbol: string): Decimal =>
          lastQuoteMid.get(symbol) ?? lastTrade.get(symbol) ?? lastFill.get(symbol) ?? ZERO;

        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'fill') {
            const symbol = SYMBOLS[op.symbol]!;
            const quantity = new Decimal(scaled(op.qty, 8));
            const price = new Decimal(scaled(op.price, 2));
            const fee = new Decimal(scaled(op.fee, 6));
            const report: FillReport = {
              type: 'fill',
              orderId: `x-${seq++}`,
              accountId: ids[op.account]!,
              arm: 'stable',
              symbol,
              side: op.buy ? 'buy' : 'sell',
              quantity,
              decisionTsUs: 0,
              tsUs: 0,
              price,
              fee,
              latencyMs: 0,
              slippageBps: 0,
            };
            ledger.applyFill(report);
            const books = cash[op.account]!;
            const signed = op.buy ? quantity : quantity.negated();
            books.cash = books.cash.minus(signed.times(price)).minus(fee);
            books.quantity.set(symbol, (books.quantity.get(symbol) ?? ZERO).plus(signed));
            lastFill.set(symbol, price);
          } else if (op.kind === 'move') {
            ledger.moveAccount(ids[op.account]!, op.arm);
          } else {
            const event = toEvent(op);
            ledger.mark(event);
            if (event.type === 'quote') {
              lastQuoteMid.set(
                event.symbol,
                new Decimal(event.bidPrice).plus(event.askPrice).dividedBy(2),
              );
            } else {
              lastTrade.set(event.symbol, new Decimal(event.price));
            }
          }
        }

        // Accounts: the ledger's equity equals capital + cash + Σ quantity × mark, exactly.
        for (let i = 0; i < ids.length; i++) {
          const snapshot = ledger.accountSnapshot(ids[i]!);
          const books = cash[i]!;
          let expected = books.capital.plus(books.cash);
          for (const [symbol, quantity] of books.quantity) {
            expected = expected.plus(quantity.times(markOf(symbol)));
            const held = snapshot.positions.find((p) => p.symbol === symbol);
            expect(moneyToString(held?.quantity ?? ZERO)).toBe(moneyToString(quantity));
          }
          expect(moneyToString(snapshot.equity)).toBe(moneyToString(expected));
          const pnl = snapshot.realizedPnl.plus(snapshot.unrealizedPnl).minus(snapshot.fees);
          expect(moneyToString(pnl)).toBe(moneyToString(expected.minus(books.capital)));
          const view = ledger.accountView(ids[i]!, SYMBOLS[0]);
          expect(view.equity).toBeCloseTo(expected.toNumber(), 4);
        }

        // Arms: capital, equity and positions are sums over the accounts on the arm now; P&L is
        // attributed to the arm it was earned on, so pnl = equity − contributed, and over both arms
        // every P&L figure adds up to the accounts' own, exactly.
        let contributed = ZERO;
        const attributed = { realized: ZERO, unrealized: ZERO, fees: ZERO };
        for (const arm of ARMS) {
          const totals = ledger.armTotals(arm);
          const members = ids.map((id) => ledger.accountSnapshot(id)).filter((s) => s.arm === arm);
          const sum = (pick: (s: (typeof members)[number]) => Decimal): string =>
            moneyToString(members.reduce((acc, s) => acc.plus(pick(s)), ZERO));
          expect(totals.accounts).toBe(members.length);
          expect(moneyToString(totals.capital)).toBe(sum((s) => s.capital));
          expect(moneyToString(totals.equity)).toBe(sum((s) => s.equity));
          expect(moneyToString(totals.pnl)).toBe(
            moneyToString(totals.equity.minus(totals.contributed)),
          );
          expect(moneyToString(totals.pnl)).toBe(
            moneyToString(totals.realizedPnl.plus(totals.unrealizedPnl).minus(totals.fees)),
          );
          for (const p of totals.positions) {
            const held = members.flatMap((s) => s.positions).filter((x) => x.symbol === p.symbol);
            const q = held.reduce((acc, x) => acc.plus(x.quantity), ZERO);
            const basis = held.reduce((acc, x) => acc.plus(x.costBasis), ZERO);
            expect(moneyToString(p.quantity)).toBe(moneyToString(q));
            expect(moneyToString(p.costBasis)).toBe(moneyToString(basis));
          }
          attributed.realized = attributed.realized.plus(totals.realizedPnl);
          attributed.unrealized = attributed.unrealized.plus(totals.unrealizedPnl);
          attributed.fees = attributed.fees.plus(totals.fees);
          contributed = contributed.plus(totals.contributed);
        }
        const everyone = ids.map((id) => ledger.accountSnapshot(id));
        const total = (pick: (s: (typeof everyone)[number]) => Decimal): string =>
          moneyToString(everyone.reduce((acc, s) => acc.plus(pick(s)), ZERO));
        expect(moneyToString(attributed.realized)).toBe(total((s) => s.realizedPnl));
        expect(moneyToString(attributed.unrealized)).toBe(total((s) => s.unrealizedPnl));
        expect(moneyToString(attributed.fees)).toBe(total((s) => s.fees));
        // Moves transfer contributed equity between arms; the total stays the starting capital.
        const capital = cash.reduce((acc, b) => acc.plus(b.capital), ZERO);
        expect(moneyToString(contributed)).toBe(moneyToString(capital));
        // Without moves, the attributed figures are the plain sums of the arm's accounts.
        if (!ops.some((op) => op.kind === 'move')) {
          for (const arm of ARMS) {
            const totals = ledger.armTotals(arm);
            const members = everyone.filter((s) => s.arm === arm);
            const realized = members.reduce((acc, s) => acc.plus(s.realizedPnl), ZERO);
            expect(moneyToString(totals.realizedPnl)).toBe(moneyToString(realized));
          }
        }

        // The incremental float sums track the exact books (risk checks and sampling use them).
        for (const arm of ARMS) {
          const totals = ledger.armTotals(arm);
          const num = ledger.armEquityNum(arm);
          const scale = Math.max(1, Math.abs(totals.equity.toNumber()));
          expect(Math.abs(num.equity - totals.equity.toNumber()) / scale).toBeLessThan(1e-9);
          expect(num.accounts).toBe(totals.accounts);
          let gross = ZERO;
          for (const id of ids) {
            const snapshot = ledger.accountSnapshot(id);
            if (snapshot.arm !== arm) continue;
            for (const p of snapshot.positions)
              gross = gross.plus(p.quantity.abs().times(p.markPrice));
          }
          const grossScale = Math.max(1, gross.toNumber());
          expect(Math.abs(num.grossNotional - gross.toNumber()) / grossScale).toBeLessThan(1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adds and removes accounts with their equity as flows, keeping every sum exact', () => {
    const ledger = new Ledger([
      { account: { id: 'a', capital: new Decimal('1000') }, arm: 'canary' },
    ]);
    ledger.addAccount({ id: 'paper:b', capital: new Decimal('500') }, 'canary');
    ledger.mark(toEvent({ kind: 'trade', symbol: 0, price: 10_000 })); // 100.00
    const fill = (accountId: string, qty: string, price: string): FillReport => ({
      type: 'fill',
      orderId: `o-${accountId}`,
      accountId,
      arm: 'canary',
      symbol: SYMBOLS[0],
      side: 'buy',
      quantity: new Decimal(qty),
      decisionTsUs: 0,
      tsUs: 0,
      price: new Decimal(price),
      fee: new Decimal('0.1'),
      latencyMs: 0,
      slippageBps: 0,
    });
    ledger.applyFill(fill('paper:b', '2', '100'));
    ledger.mark(toEvent({ kind: 'trade', symbol: 0, price: 11_000 })); // 110.00: b is worth 519.9
    expect(moneyToString(ledger.armTotals('canary').contributed)).toBe('1500');
    ledger.removeAccount('paper:b');
    const totals = ledger.armTotals('canary');
    expect(totals.accounts).toBe(1);
    expect(moneyToString(totals.equity)).toBe('1000');
    // b left with its equity (500 − 0.1 + 2 × (110 − 100) = 519.9): a flow, not a loss.
    expect(moneyToString(totals.contributed)).toBe('980.1');
    expect(ledger.armEquityNum('canary')).toMatchObject({
      equity: 1000,
      grossNotional: 0,
      accounts: 1,
    });
    expect(ledger.hasAccount('paper:b')).toBe(false);
  });
});
