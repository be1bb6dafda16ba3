import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Arm } from '../core/arm.js';
import { CanaryError } from '../core/errors.js';
import type { FillReport } from '../core/execution-report.js';
import type { QuoteEvent, Side, TradeEvent } from '../core/market-event.js';
import { Decimal, moneyToString } from '../core/money.js';
import type { Order } from '../core/order.js';
import { Ledger } from './ledger.js';
import { armTotalsToJson } from './ledger-snapshot.js';

const BTC = 'BTCUSDT';
const ETH = 'ETHUSDT';

function ledgerOf(...accounts: [id: string, capital: string, arm: Arm][]): Ledger {
  return new Ledger(
    accounts.map(([id, capital, arm]) => ({ account: { id, capital: new Decimal(capital) }, arm })),
  );
}

let seq = 0;
function fill(
  accountId: string,
  side: Side,
  quantity: string,
  price: string,
  fee = '0',
  symbol = BTC,
): FillReport {
  seq += 1;
  return {
    type: 'fill',
    orderId: `stable-${seq}`,
    accountId,
    arm: 'stable',
    symbol,
    side,
    quantity: new Decimal(quantity),
    decisionTsUs: seq,
    tsUs: seq,
    price: new Decimal(price),
    fee: new Decimal(fee),
    latencyMs: 0,
    slippageBps: 0,
  };
}

function trade(price: string, symbol = BTC): TradeEvent {
  return {
    type: 'trade',
    tsUs: 0,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
    id: null,
    side: null,
    price,
    priceNum: Number(price),
    size: '1',
    sizeNum: 1,
  };
}

function quote(bid: string, ask: string, symbol = BTC): QuoteEvent {
  return {
    type: 'quote',
    tsUs: 0,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
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

function order(accountId: string, side: Side, quantity: string, symbol = BTC): Order {
  return {
    orderId: 'stable-0',
    accountId,
    arm: 'stable',
    symbol,
    side,
    quantity: new Decimal(quantity),
    decisionTsUs: 0,
    decisionPrice: 0,
  };
}

/** An account's books as strings: [realized, unrealized, fees, equity]. */
function books(ledger: Ledger, accountId: string): string[] {
  const s = ledger.accountSnapshot(accountId);
  return [s.realizedPnl, s.unrealizedPnl, s.fees, s.equity].map(moneyToString);
}

/** The account's position in `symbol` as strings: [quantity, avgPrice, costBasis], or null if flat. */
function position(ledger: Ledger, accountId: string, symbol = BTC): string[] | null {
  const p = ledger.accountSnapshot(accountId).positions.find((x) => x.symbol === symbol);
  return p === undefined ? null : [p.quantity, p.avgPrice, p.costBasis].map(moneyToString);
}

describe('Ledger: positions and average cost', () => {
  it('counts closed trades per arm: reduces, closes and flips, with their P&L before fees', () => {
    const ledger = ledgerOf(['a', '100000', 'canary'], ['b', '100000', 'stable']);
    ledger.applyFill(fill('a', 'buy', '2', '100', '1')); // open: not a trade
    ledger.applyFill(fill('a', 'buy', '1', '130', '1')); // add: not a trade (avg 110)
    ledger.applyFill(fill('a', 'sell', '1', '140', '1')); // reduce: +30
    ledger.applyFill(fill('a', 'sell', '3', '100', '1')); // flip: close 2 at −10 each = −20
    ledger.applyFill(fill('a', 'buy', '1', '90', '1')); // close the short: +10
    ledger.applyFill(fill('b', 'buy', '1', '100')); // stable's, not the canary's
    ledger.applyFill(fill('b', 'sell', '1', '100')); // a flat close: a trade, neither win nor loss
    expect(ledger.armTradeStats('canary')).toEqual({
      closedTrades: 3,
      winningTrades: 2,
      grossProfit: 40,
      grossLoss: 20,
    });
    expect(ledger.armTradeStats('stable')).toEqual({
      closedTrades: 1,
      winningTrades: 0,
      grossProfit: 0,
      grossLoss: 0,
    });
  });

  it('opens a long at the fill price and marks it to the last trade', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '2', '100', '0.2'));
    expect(position(ledger, 'a1')).toEqual(['2', '100', '200']);
    ledger.mark(trade('110'));
    // unrealized 2 × (110 − 100) = 20; equity 1000 + 0 + 20 − 0.2
    expect(books(ledger, 'a1')).toEqual(['0', '20', '0.2', '1019.8']);
  });

  it('adds to a long at the weighted average cost', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '2', '100'));
    ledger.applyFill(fill('a1', 'buy', '1', '103'));
    // (200 + 103) / 3 = 101
    expect(position(ledger, 'a1')).toEqual(['3', '101', '303']);
    ledger.mark(trade('110'));
    expect(books(ledger, 'a1')).toEqual(['0', '27', '0', '1027']);
  });

  it('rounds the average cost to the tick and books the residual to realized P&L', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '1', '100'));
    ledger.applyFill(fill('a1', 'buy', '2', '101'));
    // Whole prices so far: a tick of 1. 302 / 3 = 100.67 → 101; basis 303, 1 over the cost 302
    expect(position(ledger, 'a1')).toEqual(['3', '101', '303']);
    ledger.mark(trade('100'));
    // realized +1 and unrealized 300 − 303: together the cash P&L 300 − 302 = −2
    expect(books(ledger, 'a1')).toEqual(['1', '-3', '0', '998']);
  });

  it("refines the tick to the finest fill price so far (trailing zeros don't count)", () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '1', '100.50'));
    ledger.applyFill(fill('a1', 'buy', '2', '101.000'));
    // A tick of 0.1: 302.5 / 3 = 100.833… → 100.8; basis 302.4, the residual −0.1 realized
    expect(position(ledger, 'a1')).toEqual(['3', '100.8', '302.4']);
    ledger.applyFill(fill('a1', 'buy', '1', '100.25'));
    // A tick of 0.01: 402.65 / 4 = 100.6625 → 100.66 (half-even); basis 402.64, −0.01 more
    expect(position(ledger, 'a1')).toEqual(['4', '100.66', '402.64']);
    ledger.mark(trade('100'));
    // realized −0.11 and unrealized 400 − 402.64: the cash P&L 400 − 402.75
    expect(books(ledger, 'a1')).toEqual(['-0.11', '-2.64', '0', '997.25']);
  });

  it("keeps each account's tick to its own fills", () => {
    const ledger = ledgerOf(['a1', '1000', 'stable'], ['a2', '1000', 'stable']);
    ledger.applyFill(fill('a2', 'buy', '1', '100.125'));
    ledger.applyFill(fill('a1', 'buy', '1', '100'));
    ledger.applyFill(fill('a1', 'buy', '2', '101'));
    // a2's three places do not reach a1, whose prices are whole: 302 / 3 → 101
    expect(position(ledger, 'a1')).toEqual(['3', '101', '303']);
  });

  it('keeps an account in machine words until a fill they cannot hold, then in bigints', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable'], ['a2', '1000', 'stable']);
    expect(ledger.accountsInBigints).toBe(0);
    ledger.applyFill(fill('a1', 'buy', '0.001', '60000.01'));
    expect(ledger.accountsInBigints).toBe(0);
    // 16 places of price and 8 of quantity: money in units of 10⁻²⁴, past what words hold
    ledger.applyFill(fill('a1', 'buy', '0.00000001', '60000.0100000000000001'));
    expect(ledger.accountsInBigints).toBe(1);
    expect(position(ledger, 'a1')).toEqual(
      [
        '0.00100001',
        '60000.0100000000000000', // the average, to the new tick of 10⁻¹⁶
        '60.0006100001',
      ].map((text) => moneyToString(new Decimal(text))),
    );
    expect(new Ledger([], { machineWords: false }).accountsInBigints).toBe(0);
    const bigints = new Ledger([{ account: { id: 'a', capital: new Decimal(1) }, arm: 'canary' }], {
      machineWords: false,
    });
    expect(bigints.accountsInBigints).toBe(1);
  });

  it('realizes (fill − avg) × closed on a partial and a full close of a long', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '3', '101'));
    ledger.applyFill(fill('a1', 'sell', '1', '110', '0.1'));
    expect(position(ledger, 'a1')).toEqual(['2', '101', '202']);
    ledger.mark(trade('110'));
    // realized (110 − 101) × 1 = 9; unrealized 2 × 9 = 18
    expect(books(ledger, 'a1')).toEqual(['9', '18', '0.1', '1026.9']);
    ledger.applyFill(fill('a1', 'sell', '2', '95'));
    // 9 + (95 − 101) × 2 = −3; flat: no position, no unrealized
    expect(position(ledger, 'a1')).toBeNull();
    expect(books(ledger, 'a1')).toEqual(['-3', '0', '0.1', '996.9']);
  });

  it('averages a short and realizes (avg − fill) × closed when covering', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'sell', '1', '100'));
    ledger.applyFill(fill('a1', 'sell', '1', '110'));
    expect(position(ledger, 'a1')).toEqual(['-2', '105', '-210']);
    ledger.applyFill(fill('a1', 'buy', '1', '100'));
    expect(position(ledger, 'a1')).toEqual(['-1', '105', '-105']);
    ledger.mark(trade('104'));
    // realized (105 − 100) × 1 = 5; unrealized −1 × 104 + 105 = 1
    expect(books(ledger, 'a1')).toEqual(['5', '1', '0', '1006']);
  });

  it('flips long to short: closes all, opens the rest at the fill price', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '2', '100'));
    ledger.applyFill(fill('a1', 'sell', '5', '90'));
    expect(position(ledger, 'a1')).toEqual(['-3', '90', '-270']);
    ledger.mark(trade('80'));
    // realized (90 − 100) × 2 = −20; unrealized −3 × 80 + 270 = 30
    expect(books(ledger, 'a1')).toEqual(['-20', '30', '0', '1010']);
  });

  it('flips short to long', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'sell', '3', '90'));
    ledger.applyFill(fill('a1', 'buy', '4', '95', '0.5'));
    expect(position(ledger, 'a1')).toEqual(['1', '95', '95']);
    ledger.mark(trade('95'));
    // realized (90 − 95) × 3 = −15
    expect(books(ledger, 'a1')).toEqual(['-15', '0', '0.5', '984.5']);
  });

  it('accumulates fees apart from realized P&L', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '1', '100', '0.1'));
    ledger.applyFill(fill('a1', 'sell', '1', '100', '0.1'));
    expect(books(ledger, 'a1')).toEqual(['0', '0', '0.2', '999.8']);
  });
});

describe('Ledger: marks', () => {
  it('marks at the quote mid once the symbol has a quote, ignoring later trades', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '2', '100'));
    ledger.mark(trade('90'));
    expect(moneyToString(ledger.markPrice(BTC)!)).toBe('90');
    ledger.mark(quote('99.5', '100.5'));
    expect(moneyToString(ledger.markPrice(BTC)!)).toBe('100');
    ledger.mark(trade('120'));
    expect(moneyToString(ledger.markPrice(BTC)!)).toBe('100');
    ledger.mark(quote('101', '102'));
    // mid 101.5: unrealized 2 × 1.5
    expect(books(ledger, 'a1')).toEqual(['0', '3', '0', '1003']);
  });

  it('marks a position at its fill price before any market event, and knows no mark otherwise', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    expect(ledger.markPrice(BTC)).toBeNull();
    ledger.applyFill(fill('a1', 'buy', '1', '100'));
    expect(books(ledger, 'a1')).toEqual(['0', '0', '0', '1000']);
    ledger.mark(trade('101'));
    expect(books(ledger, 'a1')).toEqual(['0', '1', '0', '1001']);
  });

  it('values several symbols, each at its own mark', () => {
    const ledger = ledgerOf(['a1', '10000', 'stable']);
    ledger.applyFill(fill('a1', 'buy', '0.5', '60000', '3', BTC));
    ledger.applyFill(fill('a1', 'sell', '2', '3000', '0.6', ETH));
    ledger.mark(quote('60999', '61001', BTC));
    ledger.mark(trade('2900', ETH));
    // BTC 0.5 × 1000 = 500; ETH −2 × 2900 + 6000 = 200
    expect(books(ledger, 'a1')).toEqual(['0', '700', '3.6', '10696.4']);
    expect(ledger.accountSnapshot('a1').positions.map((p) => p.symbol)).toEqual([BTC, ETH]);
  });
});

describe('Ledger: arms', () => {
  function threeAccounts(): Ledger {
    const ledger = ledgerOf(
      ['a1', '1000', 'stable'],
      ['a2', '2000', 'stable'],
      ['c1', '5000', 'canary'],
    );
    ledger.applyFill(fill('a1', 'buy', '2', '100', '0.2'));
    ledger.applyFill(fill('a2', 'sell', '1', '104', '0.1'));
    ledger.applyFill(fill('a1', 'sell', '1', '106'));
    ledger.applyFill(fill('c1', 'buy', '3', '102', '0.3'));
    ledger.mark(trade('110'));
    return ledger;
  }

  it('keeps per-arm totals: Σ quantity × mark − Σ cost basis, Σ realized, Σ fees, Σ capital', () => {
    const stable = armTotalsToJson(threeAccounts().armTotals('stable'));
    // a1: long 1 @ 100, realized 6, fees 0.2; a2: short 1 @ 104, fees 0.1
    // net 0 BTC, basis 100 − 104 = −4, unrealized 0 × 110 + 4 = 4
    expect(stable).toEqual({
      arm: 'stable',
      accounts: 2,
      capital: '3000',
      realizedPnl: '6',
      unrealizedPnl: '4',
      fees: '0.3',
      pnl: '9.7',
      equity: '3009.7',
      contributed: '3000',
      positions: [{ symbol: BTC, quantity: '0', costBasis: '-4', markPrice: '110' }],
    });
  });

  it('moves an account with its positions; what it earned stays with the arm it earned it on', () => {
    const ledger = threeAccounts();
    // a1 at the move: realized 6, fees 0.2, unrealized 1 × (110 − 100) = 10; equity 1015.8
    ledger.moveAccount('a1', 'canary');
    expect(ledger.armOf('a1')).toBe('canary');
    const stable = armTotalsToJson(ledger.armTotals('stable'));
    const canary = armTotalsToJson(ledger.armTotals('canary'));
    // stable keeps a1's 6 + 10 − 0.2 earned there; its current account a2: unrealized −6, fees 0.1
    expect(stable).toMatchObject({
      accounts: 1,
      capital: '2000',
      realizedPnl: '6',
      unrealizedPnl: '4',
      fees: '0.3',
      pnl: '9.7',
      equity: '1993.9',
      contributed: '1984.2', // 3000 − 1015.8: pnl = equity − contributed
    });
    // canary: c1 (3 @ 102, unrealized 24, fees 0.3) and a1, which has earned nothing there yet
    expect(canary).toMatchObject({
      accounts: 2,
      capital: '6000',
      realizedPnl: '0',
      unrealizedPnl: '24',
      fees: '0.3',
      pnl: '23.7',
      equity: '6039.5',
      contributed: '6015.8',
      positions: [{ symbol: BTC, quantity: '4', costBasis: '406', markPrice: '110' }],
    });
    // a1 sells its 1 @ 110: the 10 it had when it joined was earned on stable, not canary.
    ledger.applyFill(fill('a1', 'sell', '1', '110'));
    const after = ledger.armTotals('canary');
    expect(moneyToString(after.realizedPnl)).toBe('10');
    expect(moneyToString(after.unrealizedPnl)).toBe('14'); // 24 + (0 − 10)
    expect(moneyToString(after.pnl)).toBe('23.7');
    expect(moneyToString(ledger.armTotals('stable').pnl)).toBe('9.7');
    ledger.moveAccount('a1', 'canary'); // no-op
    expect(ledger.armTotals('canary').accounts).toBe(2);
  });

  it('an arm every account left has float sums of exactly zero, not rounding residue', () => {
    const ledger = ledgerOf(['a1', '1000.1', 'stable'], ['a2', '999.7', 'stable']);
    ledger.mark(trade('0.1'));
    ledger.applyFill(fill('a1', 'buy', '3.3', '0.1', '0.0003'));
    ledger.applyFill(fill('a2', 'sell', '7.7', '0.1', '0.0007'));
    ledger.mark(trade('0.3'));
    ledger.moveAccount('a1', 'canary');
    ledger.moveAccount('a2', 'canary');
    expect(ledger.armEquityNum('stable')).toMatchObject({
      equity: 0,
      capital: 0,
      grossNotional: 0,
      accounts: 0,
    });
    expect(ledger.armEquityNum('canary').equity).toBeCloseTo(
      ledger.armTotals('canary').equity.toNumber(),
      9,
    );
  });

  it('rejects unknown and duplicate accounts', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    expect(() => ledger.applyFill(fill('zz', 'buy', '1', '1'))).toThrow(RangeError);
    expect(() => ledger.accountView('zz', BTC)).toThrow(/unknown account "zz"/);
    expect(ledger.hasAccount('a1')).toBe(true);
    let caught: unknown;
    try {
      ledgerOf(['a1', '1', 'stable'], ['a1', '2', 'canary']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CanaryError);
    expect((caught as CanaryError).code).toBe('E_ACCOUNTS_FILE');
  });

  it('finds an account opened again under its id, not its closed row', () => {
    // A shadow step's paper accounts close and open again under the same ids. Looked up in order,
    // the row after the last one found is tried first: here it is the closed one.
    const ledger = ledgerOf(['a1', '1000', 'stable'], ['p1', '200', 'canary']);
    ledger.removeAccount('p1');
    ledger.addAccount({ id: 'p1', capital: new Decimal('300') }, 'canary');
    expect(moneyToString(ledger.accountSnapshot('a1').capital)).toBe('1000');
    expect(moneyToString(ledger.accountSnapshot('p1').capital)).toBe('300');
    expect(ledger.accountBooks('p1').capital).toBe(300n * 10n ** 42n);
    // In order and out of order, every lookup gives the account's own books.
    for (const id of ['p1', 'a1', 'a1', 'p1', 'a1']) {
      expect(moneyToString(ledger.accountSnapshot(id).capital)).toBe(id === 'a1' ? '1000' : '300');
    }
    expect(() => ledger.accountSnapshot('zz')).toThrow(/unknown account "zz"/);
  });
});

describe('Ledger: sizing view and buying power', () => {
  it('gives equity and position as floats marked at the last price', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    expect(ledger.accountView('a1', BTC)).toEqual({ equity: 1000, position: 0 });
    ledger.applyFill(fill('a1', 'buy', '2', '100', '0.5'));
    ledger.applyFill(fill('a1', 'sell', '1', '120'));
    ledger.mark(quote('129', '131'));
    // realized 20, unrealized 30, fees 0.5
    expect(ledger.accountView('a1', BTC)).toEqual({ equity: 1049.5, position: 1 });
    expect(ledger.accountView('a1', ETH)).toEqual({ equity: 1049.5, position: 0 });
  });

  it('allows post-fill gross notional up to maxLeverage × equity', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    expect(ledger.canAfford(order('a1', 'buy', '20'), new Decimal('100'), 2)).toBe(true);
    expect(ledger.canAfford(order('a1', 'buy', '20.01'), new Decimal('100'), 2)).toBe(false);
    expect(ledger.canAfford(order('a1', 'sell', '20'), new Decimal('100'), 2)).toBe(true);
    ledger.applyFill(fill('a1', 'buy', '10', '100'));
    ledger.mark(trade('50'));
    // equity 1000 − 500 = 500; buying 10 more at 50: gross 20 × 50 = 1000 = 2 × 500
    expect(ledger.canAfford(order('a1', 'buy', '10'), new Decimal('50'), 2)).toBe(true);
    expect(ledger.canAfford(order('a1', 'buy', '10.01'), new Decimal('50'), 2)).toBe(false);
    // reducing is always allowed, flipping past the limit is not
    expect(ledger.canAfford(order('a1', 'sell', '10'), new Decimal('50'), 0.01)).toBe(true);
    expect(ledger.canAfford(order('a1', 'sell', '40'), new Decimal('50'), 2)).toBe(false);
  });

  it("decides an exact close on the order's steps, in the position's steps or its own", () => {
    // The position in steps of 0.1 (orders in finer steps), or of 10⁻⁸ (orders in coarser ones).
    const openings = [['10.5'], ['10.49999999', '0.00000001']];
    for (const [machineWords, opening] of [true, false].flatMap((w) =>
      openings.map((o) => [w, o] as const),
    )) {
      const ledger = new Ledger(
        [{ account: { id: 'a1', capital: new Decimal('1000') }, arm: 'stable' }],
        { machineWords },
      );
      const books = ledger.account('a1');
      for (const quantity of opening) ledger.applyFill(fill('a1', 'buy', quantity, '100'), books);
      ledger.mark(trade('50'));
      // equity 1000 − 525 = 475: selling 10.5 closes; a hair more is a flip past 10⁻¹² × 475
      const steps = (text: string, decimals: number) => ({
        steps: Number(new Decimal(text).times(new Decimal(10).pow(decimals))),
        decimals,
      });
      const sell = (text: string) => order('a1', 'sell', text);
      for (const decimals of [1, 8]) {
        expect(
          ledger.canAfford(sell('10.5'), new Decimal('50'), 1e-12, books, steps('10.5', decimals)),
        ).toBe(true);
      }
      expect(
        ledger.canAfford(
          sell('10.50000001'),
          new Decimal('50'),
          1e-12,
          books,
          steps('10.50000001', 8),
        ),
      ).toBe(false);
    }
  });

  it('counts the other symbols at their marks in gross notional and equity', () => {
    const ledger = ledgerOf(['a1', '1000', 'stable']);
    ledger.applyFill(fill('a1', 'sell', '5', '100', '0', ETH));
    ledger.mark(trade('120', ETH));
    // equity 1000 − 100 = 900; ETH gross 600; limit 1 × 900 leaves 300 for BTC
    expect(ledger.canAfford(order('a1', 'buy', '3'), new Decimal('100'), 1)).toBe(true);
    expect(ledger.canAfford(order('a1', 'buy', '3.0001'), new Decimal('100'), 1)).toBe(false);
    expect(() => ledger.canAfford(order('a1', 'buy', '1'), new Decimal('1'), 0)).toThrow(
      RangeError,
    );
  });
});

describe('canAfford fast path', () => {
  /** The rule of canAfford, computed directly in decimals from the account's snapshot. */
  function affordableExactly(
    ledger: Ledger,
    o: Order,
    fillPrice: Decimal,
    maxLeverage: number,
  ): boolean {
    const snapshot = ledger.accountSnapshot(o.accountId);
    const own = snapshot.positions.find((p) => p.symbol === o.symbol);
    const held = own?.quantity ?? new Decimal(0);
    const next = o.side === 'buy' ? held.plus(o.quantity) : held.minus(o.quantity);
    if (next.isZero() || (!held.isZero() && next.s === held.s && next.abs().lte(held.abs()))) {
      return true;
    }
    let equity = snapshot.capital.plus(snapshot.realizedPnl).minus(snapshot.fees);
    let gross = next.abs().times(fillPrice);
    for (const p of snapshot.positions) {
      const mark = p.symbol === o.symbol ? fillPrice : p.markPrice;
      equity = equity.plus(p.quantity.times(mark).minus(p.costBasis));
      if (p.symbol !== o.symbol) gross = gross.plus(p.quantity.abs().times(mark));
    }
    return gross.lte(equity.times(maxLeverage));
  }

  it('agrees with the exact rule, including orders sized right at the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 100_000 }), // capital
        fc.integer({ min: 1, max: 300 }), // held BTC, in 0.01 units (signed below)
        fc.boolean(),
        fc.integer({ min: 90_00, max: 110_00 }), // BTC fill price, cents
        fc.constantFrom(1, 2, 3),
        fc.constantFrom(-1, 0, 1), // size: 1 satoshi-step below, at or above the limit
        fc.boolean(),
        (capital, heldCents, heldLong, priceCents, leverage, nudge, buy) => {
          const ledger = ledgerOf(['a', String(capital), 'stable']);
          const held = new Decimal(heldCents).dividedBy(100);
          ledger.mark(trade('100', BTC));
          ledger.mark(trade('50', ETH));
          ledger.applyFill(fill('a', heldLong ? 'buy' : 'sell', held.toString(), '100', '0.5'));
          ledger.applyFill(fill('a', 'buy', '1', '50', '0', ETH));
          const price = new Decimal(priceCents).dividedBy(100);
          // The largest affordable |next| is (leverage × equity − ETH notional) / price, with the
          // BTC position marked at the fill price: aim at it.
          const signedHeld = heldLong ? held : held.negated();
          const equity = ledger
            .accountSnapshot('a')
            .equity.plus(signedHeld.times(price.minus(100)))
            .toNumber();
          const limitQty = new Decimal(((leverage * equity - 50) / price.toNumber()).toFixed(8));
          const side = buy ? 'buy' : 'sell';
          let size = buy ? limitQty.minus(signedHeld) : limitQty.plus(signedHeld);
          size = size.plus(new Decimal(nudge).times('0.00000001'));
          if (!size.isPositive()) return;
          const o = order('a', side, size.toFixed(8));
          expect(ledger.canAfford(o, price, leverage)).toBe(
            affordableExactly(ledger, o, price, leverage),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('Ledger: columns', () => {
  it('keeps every account’s books when the columns grow past their first capacity', () => {
    const ledger = ledgerOf(['a', '10000', 'stable'], ['b', '5000', 'canary']);
    ledger.mark(trade('100', BTC));
    ledger.mark(trade('50', ETH));
    ledger.applyFill(fill('a', 'buy', '3', '100', '0.1'));
    ledger.applyFill(fill('a', 'sell', '2', '50', '0.2', ETH));
    ledger.applyFill(fill('b', 'sell', '1.5', '50', '0', ETH));
    const before = ['a', 'b'].map((id) => ledger.accountSnapshot(id));
    const viewBefore = ledger.accountView('a', ETH);
    const handle = ledger.account('a');
    // Hundreds of accounts later (the columns reallocate several times), some of them trading.
    for (let i = 0; i < 300; i++) {
      ledger.addAccount({ id: `n${i}`, capital: new Decimal('1000') }, i % 2 ? 'canary' : 'stable');
      if (i % 7 === 0) ledger.applyFill(fill(`n${i}`, 'buy', '0.5', '100', '0', BTC));
    }
    expect(['a', 'b'].map((id) => ledger.accountSnapshot(id))).toEqual(before);
    expect(ledger.accountView(handle, ETH)).toEqual(viewBefore);
    ledger.applyFill(fill('a', 'sell', '3', '100', '0'), handle);
    expect(ledger.accountSnapshot('a').realizedPnl.toFixed()).toBe('0');
    expect(ledger.accountSnapshot('n294').positions[0]?.quantity.toFixed()).toBe('0.5');
    const stable = ledger.armTotals('stable');
    // a is flat in BTC now; of the new accounts, every 14th (stable, i % 7 === 0) holds 0.5 BTC.
    const holders = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 14 === 0).length;
    expect(stable.positions.find((p) => p.symbol === BTC)?.quantity.toFixed()).toBe(
      new Decimal(holders).times('0.5').toFixed(),
    );
    expect(stable.accounts).toBe(151);
  });

  it('sums an account’s float equity over its positions in the order it first traded them', () => {
    // Two accounts that opened the same symbols in opposite orders: each sum is the one its own
    // position list gives (float addition is not associative: 1029.3999999999999 one way,
    // 1029.4 the other), so one account's sizing never depends on what others traded first.
    const ledger = ledgerOf(['x', '1000', 'stable'], ['y', '1000', 'stable']);
    ledger.applyFill(fill('x', 'buy', '7', '0.1', '0', BTC));
    ledger.applyFill(fill('x', 'buy', '7', '0.3', '0', ETH));
    ledger.applyFill(fill('y', 'buy', '7', '0.3', '0', ETH));
    ledger.applyFill(fill('y', 'buy', '7', '0.1', '0', BTC));
    ledger.mark(trade('2.3', BTC));
    ledger.mark(trade('2.3', ETH));
    const btc = 7 * 2.3 - 0.7;
    const eth = 7 * 2.3 - 2.1;
    expect(1000 + btc + eth).not.toBe(1000 + eth + btc);
    expect(ledger.accountView('x', BTC).equity).toBe(1000 + btc + eth);
    expect(ledger.accountView('y', BTC).equity).toBe(1000 + eth + btc);
  });
});
