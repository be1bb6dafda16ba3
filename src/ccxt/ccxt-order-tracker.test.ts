import ccxt, { type MarketInterface, type Order, type Trade } from 'ccxt';
import { describe, expect, it, vi } from 'vitest';
import { Decimal } from '../core/money.js';
import type { BotReport } from '../embed/bot-report.js';
import { createCanary, type Canary } from '../embed/create-canary.js';
import { CcxtOrderTracker, type CcxtOrderIntent } from './ccxt-order-tracker.js';
import { loadFixture, type CcxtFixture } from './test-support/ccxt-fixtures.js';

const T0_MS = 1_723_161_600_000; // 2024-08-09T00:00:00Z: the recordings' decision time
const BINANCE = loadFixture('binance-spot');
const BYBIT = loadFixture('bybit-linear');

/** A canary over the recordings' accounts; its `standard` baseline keeps them all on stable. */
function canaryAt(tsMs: number): Canary {
  const canary = createCanary({
    stable: 'bot@1.0.0',
    canary: 'bot@2.0.0',
    plan: 'standard',
    salt: 'ccxt-adapter',
    accounts: ['acct-0007', 'acct-0008', 'acct-0009', 'acct-0011', 'acct-0012', 'acct-0013'].map(
      (id) => ({ id, capital: '10000' }),
    ),
  });
  canary.clock.advance(tsMs);
  return canary;
}

/** The recorded markets, as a ccxt exchange with loaded markets answers `market(symbol)`. */
function marketsOf(fixture: CcxtFixture): { market(symbol: string): MarketInterface } {
  return {
    market: (symbol) => {
      const market = fixture.markets.find((m) => m.parsed.symbol === symbol)?.parsed;
      if (market === undefined) throw new Error(`no recorded market ${symbol}`);
      return market;
    },
  };
}

/** A canary at the recordings' decision time and a tracker of `fixture`'s markets on its clock. */
function trackedCanary(fixture: CcxtFixture): { canary: Canary; tracker: CcxtOrderTracker } {
  const canary = canaryAt(T0_MS);
  const tracker = new CcxtOrderTracker({
    markets: marketsOf(fixture),
    clock: () => canary.clock.nowMs,
  });
  return { canary, tracker };
}

const order = (fixture: CcxtFixture, name: string): Order => fixture.orders[name]!.parsed;
const trade = (fixture: CcxtFixture, name: string): Trade => fixture.trades[name]!.parsed;

/** Records each report in the canary and expects it accepted. */
function recordAll(canary: Canary, reports: readonly BotReport[]): void {
  for (const report of reports)
    expect(canary.record(report), report.type).toEqual({ accepted: true });
}

function intent(over: Partial<CcxtOrderIntent> & Pick<CcxtOrderIntent, 'orderId' | 'accountId'>) {
  return {
    arm: 'stable',
    symbol: 'BTC/USDT',
    side: 'buy',
    amount: '0.0015',
    decisionTsMs: T0_MS,
    decisionPrice: '60000',
    ...over,
  } as const satisfies CcxtOrderIntent;
}

describe('CcxtOrderTracker on Binance spot (recorded ccxt structures)', () => {
  it('sums a market buy’s two trades, fee in base currency, into one exact fill; the canary books it exactly', () => {
    const { canary, tracker } = trackedCanary(BINANCE);
    const submitted = tracker.submit(intent({ orderId: 'sc-acct-0007-1', accountId: 'acct-0007' }));
    expect(submitted).toEqual({
      type: 'order',
      orderId: 'sc-acct-0007-1',
      accountId: 'acct-0007',
      arm: 'stable',
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.0015',
      decisionTsMs: T0_MS,
    });
    const reports = tracker.onOrder(order(BINANCE, 'market-buy-base-fee'));
    // 60010 × 0.001 + 60019.5 × 0.0005 = 90.01975 over 0.0015: 60013.1666…, rounded half-even to
    // 24 places. Fees 0.000001 BTC × 60010 + 0.0000005 BTC × 60019.5 = 0.09001975 USDT, less the
    // 5e-28 the rounding added to the notional (a buy paid no more than the trades did).
    expect(reports).toEqual([
      {
        type: 'fill',
        fillId: 'sc-acct-0007-1:fill',
        orderId: 'sc-acct-0007-1',
        accountId: 'acct-0007',
        arm: 'stable',
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '0.0015',
        price: '60013.166666666666666666666667',
        fee: '0.0900197499999999999999999995',
        decisionTsMs: T0_MS,
        tsMs: 1_723_161_600_118, // the order's transaction time: FULL fills carry none
        latencyMs: 118,
        slippageBps: new Decimal('13.166666666666666666666667').div(6).toNumber(),
      },
    ]);
    const fill = reports[0] as BotReport & { price: string; fee: string };
    // The cash the books see is exactly what the trades paid.
    expect(new Decimal('0.0015').times(fill.price).plus(fill.fee).toFixed()).toBe('90.10976975');
    expect(tracker.open).toBe(0);

    recordAll(canary, [submitted, ...reports]);
    const books = canary.totals('stable');
    expect(books.positions).toEqual([
      {
        symbol: 'BTC/USDT',
        quantity: '0.0015',
        costBasis: '90.0197500000000000000000000005',
        markPrice: '60013.166666666666666666666667',
      },
    ]);
    expect(books.fees).toBe('0.0900197499999999999999999995');
    expect(books.pnl).toBe('-0.0900197499999999999999999995');
  });

  it('reports a limit sell canceled after two partial fills (fee in quote) as one fill of what filled, whatever order the stream brings them in', () => {
    const updates = [
      ['order', 'limit-sell-new'],
      ['trade', 'limit-sell-trade-1'],
      ['trade', 'limit-sell-trade-2'],
      ['order', 'limit-sell-canceled'],
    ] as const;
    const expected = {
      type: 'fill',
      fillId: 'sc-acct-0008-1:fill',
      orderId: 'sc-acct-0008-1',
      accountId: 'acct-0008',
      arm: 'stable',
      symbol: 'BTC/USDT',
      side: 'sell',
      quantity: '0.005',
      filledQuantity: '0.003',
      price: '60100.5', // (60100 × 0.002 + 60101.5 × 0.001) / 0.003, exact
      fee: '0.1803015', // 0.1202 + 0.0601015 USDT
      decisionTsMs: T0_MS,
      tsMs: 1_723_161_601_931, // the last trade
      latencyMs: 1931,
      slippageBps: -16.75, // sold 100.5 above the decision price: better
    };
    // As sent, and with the trades before the order updates (the websocket's order is not the
    // REST answer's), and each update twice.
    const orders = [
      updates,
      [updates[1], updates[2], updates[0], updates[3]],
      [updates[2], updates[3], updates[1], updates[0], updates[1], updates[3]],
      [updates[1], updates[1], updates[0], updates[2], updates[1], updates[3]],
    ];
    for (const sequence of orders) {
      const { canary, tracker } = trackedCanary(BINANCE);
      const submitted = tracker.submit(
        intent({
          orderId: 'sc-acct-0008-1',
          accountId: 'acct-0008',
          side: 'sell',
          amount: '0.005',
        }),
      );
      const reports = sequence.flatMap(([kind, name]) =>
        kind === 'order'
          ? tracker.onOrder(order(BINANCE, name))
          : tracker.onTrade(trade(BINANCE, name)),
      );
      expect(reports).toEqual([expected]);
      recordAll(canary, [submitted, ...reports]);
      const books = canary.totals('stable');
      expect(books.positions).toEqual([
        { symbol: 'BTC/USDT', quantity: '-0.003', costBasis: '-180.3015', markPrice: '60100.5' },
      ]);
      expect(books.fees).toBe('0.1803015');
    }
  });

  it('counts a trade once when ccxt.pro also puts it in the order’s own trades', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    tracker.submit(
      intent({ orderId: 'sc-acct-0008-1', accountId: 'acct-0008', side: 'sell', amount: '0.005' }),
    );
    const trades = [trade(BINANCE, 'limit-sell-trade-1'), trade(BINANCE, 'limit-sell-trade-2')];
    expect(tracker.onTrade(trades[0]!)).toEqual([]);
    const canceled = { ...order(BINANCE, 'limit-sell-canceled'), trades };
    expect(tracker.onOrder(canceled)).toMatchObject([
      { type: 'fill', filledQuantity: '0.003', fee: '0.1803015' },
    ]);
  });

  it('leaves an order’s own trades without an id to onTrade (they cannot be told from repeats)', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    tracker.submit(intent({ orderId: 'sc-acct-0007-1', accountId: 'acct-0007' }));
    const filled = order(BINANCE, 'market-buy-base-fee');
    const anonymous = { ...filled, trades: filled.trades.map((t) => ({ ...t, id: undefined })) };
    expect(tracker.onOrder(anonymous as unknown as Order)).toEqual([]);
    expect(tracker.awaitingTrades()).toHaveLength(1);
    const [first, second] = filled.trades.map((t) => ({ ...t, order: filled.id }));
    expect(tracker.onTrade(first!)).toEqual([]);
    expect(tracker.onTrade(second!)).toMatchObject([{ type: 'fill', quantity: '0.0015' }]);
    expect(() => tracker.onTrade({ ...first!, id: undefined })).not.toThrow(); // settled: ignored
  });

  it('books a fee in BNB at the rate the bot gives, and refuses it without one', () => {
    const canary = canaryAt(T0_MS);
    const without = new CcxtOrderTracker({
      markets: marketsOf(BINANCE),
      clock: () => canary.clock.nowMs,
    });
    without.submit(intent({ orderId: 'sc-acct-0009-1', accountId: 'acct-0009', amount: '0.002' }));
    expect(() => without.onOrder(order(BINANCE, 'market-buy-bnb-fee'))).toThrow(
      expect.objectContaining({
        code: 'E_CCXT_FEE_CURRENCY',
        message: expect.stringContaining('0.0001758 BNB') as string,
      }) as Error,
    );

    const rates: [string, number][] = [];
    const tracker = new CcxtOrderTracker({
      markets: marketsOf(BINANCE),
      clock: () => canary.clock.nowMs,
      feeCurrencyRate: (currency, tsMs) => {
        rates.push([currency, tsMs]);
        return currency === 'BNB' ? '512.3' : undefined;
      },
    });
    const submitted = tracker.submit(
      intent({ orderId: 'sc-acct-0009-1', accountId: 'acct-0009', amount: '0.002' }),
    );
    const reports = tracker.onOrder(order(BINANCE, 'market-buy-bnb-fee'));
    expect(rates).toEqual([['BNB', 1_723_161_600_231]]);
    expect(reports).toMatchObject([
      { type: 'fill', quantity: '0.002', price: '60005', fee: '0.09006234' }, // 0.0001758 × 512.3
    ]);
    recordAll(canary, [submitted, ...reports]);
    expect(canary.totals('stable').fees).toBe('0.09006234');
  });

  it('rejects an IOC order that expired with nothing filled (EXPIRED), at the exchange’s time', () => {
    const { canary, tracker } = trackedCanary(BINANCE);
    const submitted = tracker.submit(
      intent({
        orderId: 'sc-acct-0011-1',
        accountId: 'acct-0011',
        amount: '0.001',
        decisionPrice: '60000.01',
      }),
    );
    const reports = tracker.onOrder(order(BINANCE, 'ioc-expired-nothing-filled'));
    expect(reports).toEqual([
      {
        type: 'reject',
        orderId: 'sc-acct-0011-1',
        accountId: 'acct-0011',
        arm: 'stable',
        symbol: 'BTC/USDT',
        side: 'buy',
        quantity: '0.001',
        reason: 'EXPIRED',
        message:
          'the exchange reported the order expired with nothing filled (exchange order 28457361455)',
        decisionTsMs: T0_MS,
        tsMs: 1_723_161_600_302,
      },
    ]);
    recordAll(canary, [submitted, ...reports]);
    expect(canary.recorded.stable).toEqual({ orders: 1, fills: 0, rejects: 1 });
    expect(canary.totals('stable').positions).toEqual([]);
  });

  it('rejects an order whose createOrder threw an exchange error; keeps one whose fate is unknown open', () => {
    const canary = canaryAt(T0_MS + 50);
    const tracker = new CcxtOrderTracker({
      markets: marketsOf(BINANCE),
      clock: () => canary.clock.nowMs,
    });
    const refused = tracker.submit(intent({ orderId: 'o-1', accountId: 'acct-0007' }));
    const timedOut = tracker.submit(intent({ orderId: 'o-2', accountId: 'acct-0008' }));
    const insufficient = new ccxt.InsufficientFunds(
      'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}',
    );
    const reject = tracker.onCreateOrderError('o-1', insufficient);
    expect(reject).toEqual({
      type: 'reject',
      orderId: 'o-1',
      accountId: 'acct-0007',
      arm: 'stable',
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: '0.0015',
      reason: 'INSUFFICIENT_BUYING_POWER',
      message: insufficient.message,
      decisionTsMs: T0_MS,
      tsMs: T0_MS + 50, // the canary's clock: the exchange gave no time
    });
    expect(tracker.onCreateOrderError('o-2', new ccxt.RequestTimeout('timed out'))).toBeNull();
    expect(tracker.open).toBe(1);
    // Looked up and not found at the exchange: the bot settles it.
    const lost = tracker.reject('o-2', 'VENUE', 'not found at the exchange after a timeout');
    expect(lost).toMatchObject({ type: 'reject', orderId: 'o-2', reason: 'VENUE' });
    recordAll(canary, [refused, timedOut, reject!, lost]);
    expect(canary.recorded.stable).toEqual({ orders: 2, fills: 0, rejects: 2 });
    expect(() => tracker.reject('o-2', 'VENUE', 'again')).toThrow(
      expect.objectContaining({ code: 'E_CCXT_ORDER' }) as Error,
    );
  });

  it('ignores updates of orders it did not submit, and of orders already settled', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    expect(tracker.onOrder(order(BINANCE, 'market-buy-base-fee'))).toEqual([]);
    expect(tracker.onTrade(trade(BINANCE, 'limit-sell-trade-1'))).toEqual([]);
    tracker.submit(intent({ orderId: 'sc-acct-0007-1', accountId: 'acct-0007' }));
    expect(tracker.onOrder(order(BINANCE, 'market-buy-base-fee'))).toHaveLength(1);
    expect(tracker.onOrder(order(BINANCE, 'market-buy-base-fee'))).toEqual([]);
    expect(() =>
      tracker.submit(intent({ orderId: 'sc-acct-0007-1', accountId: 'acct-0007' })),
    ).toThrow(expect.objectContaining({ code: 'E_CCXT_ORDER' }) as Error);
  });

  it('waits for the trades of an order the exchange says is done, and says which it waits for', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    tracker.submit(
      intent({ orderId: 'sc-acct-0008-1', accountId: 'acct-0008', side: 'sell', amount: '0.005' }),
    );
    expect(tracker.onOrder(order(BINANCE, 'limit-sell-canceled'))).toEqual([]);
    expect(tracker.onTrade(trade(BINANCE, 'limit-sell-trade-2'))).toEqual([]);
    expect(tracker.awaitingTrades()).toEqual([
      { orderId: 'sc-acct-0008-1', exchangeOrderId: '28457361290', symbol: 'BTC/USDT' },
    ]);
    expect(tracker.onTrade(trade(BINANCE, 'limit-sell-trade-1'))).toMatchObject([
      { type: 'fill', filledQuantity: '0.003' },
    ]);
    expect(tracker.awaitingTrades()).toEqual([]);
  });

  it('refuses trades that add up to more than the exchange says filled', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    tracker.submit(
      intent({ orderId: 'sc-acct-0008-1', accountId: 'acct-0008', side: 'sell', amount: '0.005' }),
    );
    const extra = { ...trade(BINANCE, 'limit-sell-trade-2'), id: 'another' };
    for (const t of [
      trade(BINANCE, 'limit-sell-trade-1'),
      trade(BINANCE, 'limit-sell-trade-2'),
      extra,
    ]) {
      tracker.onTrade(t);
    }
    expect(() => tracker.onOrder(order(BINANCE, 'limit-sell-canceled'))).toThrow(
      expect.objectContaining({
        code: 'E_CCXT_ORDER',
        message: expect.stringContaining('0.004') as string,
      }) as Error,
    );
  });
});

describe('CcxtOrderTracker on Bybit USDT perpetuals (recorded ccxt structures)', () => {
  it('opens and closes a futures position: taker fees, a maker rebate, exact realized P&L', () => {
    const { canary, tracker } = trackedCanary(BYBIT);
    const base = { accountId: 'acct-0012', symbol: 'BTC/USDT:USDT', amount: '0.003' } as const;
    const buy = tracker.submit(
      intent({ ...base, orderId: 'sc-acct-0012-1', decisionPrice: '60004' }),
    );
    expect(buy).toMatchObject({ symbol: 'BTC/USDT:USDT', quantity: '0.003' });
    // The order's update comes first, its executions after (watchOrders and watchMyTrades race).
    expect(tracker.onOrder(order(BYBIT, 'market-buy-filled'))).toEqual([]);
    expect(tracker.onTrade(trade(BYBIT, 'market-buy-execution-1'))).toEqual([]);
    const buyFill = tracker.onTrade(trade(BYBIT, 'market-buy-execution-2'));
    expect(buyFill).toEqual([
      {
        type: 'fill',
        fillId: 'sc-acct-0012-1:fill',
        orderId: 'sc-acct-0012-1',
        accountId: 'acct-0012',
        arm: 'stable',
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        quantity: '0.003',
        price: '60005.1', // (60004.2 × 0.002 + 60006.9 × 0.001) / 0.003
        fee: '0.09900842', // 0.06600462 + 0.0330038 USDT
        decisionTsMs: T0_MS,
        tsMs: 1_723_161_600_130,
        latencyMs: 130,
        slippageBps: new Decimal('1.1').div('60004').times(10_000).toNumber(),
      },
    ]);
    recordAll(canary, [buy, ...buyFill]);

    const sell = tracker.submit(
      intent({
        ...base,
        orderId: 'sc-acct-0012-2',
        side: 'sell',
        decisionTsMs: T0_MS + 5000,
        decisionPrice: '60031.2',
      }),
    );
    const sellFill = [
      ...tracker.onTrade(trade(BYBIT, 'limit-sell-execution')),
      ...tracker.onOrder(order(BYBIT, 'limit-sell-filled')),
    ];
    expect(sellFill).toMatchObject([
      {
        type: 'fill',
        side: 'sell',
        price: '60050',
        fee: '-0.0090075',
        tsMs: 1_723_161_609_376,
        latencyMs: 4376,
      },
    ]);
    recordAll(canary, [sell, ...sellFill]);

    const books = canary.totals('stable');
    expect(books.positions).toEqual([
      { symbol: 'BTC/USDT:USDT', quantity: '0', costBasis: '0', markPrice: '60050' },
    ]);
    expect(books.realizedPnl).toBe('0.1347'); // (60050 − 60005.1) × 0.003: Bybit's execPnl
    expect(books.fees).toBe('0.09000092'); // 0.09900842 − 0.0090075
    expect(books.pnl).toBe('0.04469908');
  });

  it('rejects an order the exchange rejected (VENUE)', () => {
    const { canary, tracker } = trackedCanary(BYBIT);
    const submitted = tracker.submit(
      intent({
        orderId: 'sc-acct-0013-1',
        accountId: 'acct-0013',
        symbol: 'BTC/USDT:USDT',
        amount: '0.010',
      }),
    );
    const reports = tracker.onOrder(order(BYBIT, 'limit-buy-rejected'));
    expect(reports).toMatchObject([
      { type: 'reject', reason: 'VENUE', quantity: '0.01', tsMs: 1_723_161_606_003 },
    ]);
    recordAll(canary, [submitted, ...reports]);
  });

  it('books contracts in base units (contractSize), and refuses inverse contracts', () => {
    const linear = BYBIT.markets[0]!.parsed;
    const markets = {
      market: (symbol: string): MarketInterface =>
        symbol === 'BTC/USD:BTC'
          ? { ...linear, symbol, quote: 'USD', settle: 'BTC', linear: false, inverse: true }
          : { ...linear, contractSize: 0.01 }, // OKX-style: 0.01 BTC a contract
    };
    const tracker = new CcxtOrderTracker({ markets, clock: () => T0_MS });
    expect(
      tracker.submit(
        intent({ orderId: 'c-1', accountId: 'acct-0012', symbol: 'BTC/USDT:USDT', amount: '3' }),
      ),
    ).toMatchObject({ quantity: '0.03' });
    const filled = {
      ...order(BYBIT, 'market-buy-filled'),
      clientOrderId: 'c-1',
      amount: 3,
      filled: 3,
      info: {},
    };
    const executions = [
      { ...trade(BYBIT, 'market-buy-execution-1'), amount: 2, info: {} },
      { ...trade(BYBIT, 'market-buy-execution-2'), amount: 1, info: {} },
    ];
    const reports = [tracker.onOrder(filled), ...executions.map((t) => tracker.onTrade(t))].flat();
    expect(reports).toMatchObject([{ type: 'fill', quantity: '0.03', price: '60005.1' }]);
    expect(() =>
      tracker.submit(
        intent({ orderId: 'c-2', accountId: 'acct-0012', symbol: 'BTC/USD:BTC', amount: '1' }),
      ),
    ).toThrow(expect.objectContaining({ code: 'E_CCXT_MARKET' }) as Error);
  });
});

describe('CcxtOrderTracker over a long run', () => {
  it('forgets the oldest settled orders without walking the ones it remembers', () => {
    const tracker = new CcxtOrderTracker({ markets: marketsOf(BINANCE), clock: () => T0_MS });
    const settle = (i: number): void => {
      tracker.submit(intent({ orderId: `o-${i}`, accountId: 'acct-0007' }));
      tracker.reject(`o-${i}`, 'VENUE', 'refused');
    };
    const kept = 100_000; // SETTLED_KEPT
    for (let i = 0; i < kept; i++) settle(i);
    // V8 keeps a Set's deleted entries at its front until it rehashes: walking to the oldest
    // (values().next()) on every settlement made each one slower than the last.
    const values = vi.spyOn(Set.prototype, 'values');
    try {
      for (let i = kept; i < kept + 100; i++) settle(i);
      expect(values).not.toHaveBeenCalled();
    } finally {
      values.mockRestore();
    }
    expect(() => tracker.submit(intent({ orderId: 'o-100', accountId: 'acct-0007' }))).toThrow(
      expect.objectContaining({ code: 'E_CCXT_ORDER' }) as Error,
    );
    expect(() => tracker.submit(intent({ orderId: 'o-0', accountId: 'acct-0007' }))).not.toThrow();
  });
});
