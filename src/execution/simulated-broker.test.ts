import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type { ExecutionReport, FillReport, RejectReport } from '../core/execution-report.js';
import type { MarketEvent, QuoteEvent, Side, TradeEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { accountSlippageBps } from './account-slippage.js';
import { isFaultSubsetAccount } from './fault-account-subset.js';
import type { ExecutionConfig } from './execution-config.js';
import { NO_INJECTIONS, parseInjectSpecs, type FaultInjection } from './fault-injection.js';
import { OutageSchedule } from './outage-schedule.js';
import {
  SimulatedBroker,
  type SimulatedBrokerOptions,
  type BuyingPowerCheck,
} from './simulated-broker.js';

const T0 = 1_723_161_600_000_000; // 2024-08-09T00:00:00Z
const MS = 1000;

/** Constant 10 ms latency on both arms: arrival is exactly submission + 10 000 µs. */
const FIXED: ExecutionConfig = {
  latency: { stable: { baseMs: 10, jitterMs: 0 }, canary: { baseMs: 10, jitterMs: 0 } },
  feeBps: 10,
  minNotional: new Decimal('5'),
  protectionBandBps: 50,
};
const JITTERED: ExecutionConfig = {
  ...FIXED,
  latency: { stable: { baseMs: 10, jitterMs: 5 }, canary: { baseMs: 10, jitterMs: 5 } },
};

let nextId = 0;
function order(fields: {
  accountId?: string;
  arm?: Arm;
  side?: Side;
  quantity?: string;
  decisionPrice?: number;
  decisionTsUs?: number;
  symbol?: string;
}): Order {
  return {
    orderId: `${fields.arm ?? 'stable'}-${nextId++}`,
    accountId: fields.accountId ?? 'acct-1',
    arm: fields.arm ?? 'stable',
    symbol: fields.symbol ?? 'BTCUSDT',
    side: fields.side ?? 'buy',
    quantity: new Decimal(fields.quantity ?? '0.003'),
    decisionTsUs: fields.decisionTsUs ?? T0,
    decisionPrice: fields.decisionPrice ?? 20000,
  };
}

function quote(tsUs: number, bid: string, ask: string, symbol = 'BTCUSDT'): QuoteEvent {
  return {
    type: 'quote',
    tsUs,
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

/**
 * A quote before any order arrives whose prices have 8 places: the venue's tick is then 10⁻⁸, so
 * slipped prices of the tests' whole-number quotes stay exact (a slipped price is rounded to it).
 */
const FINE_TICK = (): QuoteEvent => quote(T0, '19989.99999999', '20000.00000001');

function trade(
  tsUs: number,
  price: string,
  symbol = 'BTCUSDT',
  side: Side | null = null,
): TradeEvent {
  return {
    type: 'trade',
    tsUs,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
    id: null,
    side,
    price,
    priceNum: Number(price),
    size: '0.1',
    sizeNum: 0.1,
  };
}

function broker(
  config: ExecutionConfig = FIXED,
  options: {
    injections?: Readonly<Record<Arm, FaultInjection>>;
    seed?: number;
    buyingPower?: BuyingPowerCheck;
  } & Pick<SimulatedBrokerOptions, 'canaryWeightBps' | 'offsetAccountOf'> = {},
): SimulatedBroker {
  const { injections, seed, ...rest } = options;
  return new SimulatedBroker({
    config,
    seed: seed ?? 7,
    injections: injections ?? NO_INJECTIONS,
    ...rest,
  });
}

/** Submits each order at its decision time, then feeds the events; returns every report. */
function run(b: SimulatedBroker, orders: readonly Order[], events: readonly MarketEvent[]) {
  const reports: ExecutionReport[] = [];
  for (const o of orders) {
    const rejected = b.submit(o, o.decisionTsUs);
    if (rejected) reports.push(rejected);
  }
  for (const e of events) b.onMarketEvent(e, (r) => reports.push(r));
  return reports;
}

const asFill = (report: ExecutionReport | undefined): FillReport => {
  expect(report?.type).toBe('fill');
  return report as FillReport;
};
const asReject = (report: ExecutionReport | undefined): RejectReport => {
  expect(report?.type).toBe('reject');
  return report as RejectReport;
};

describe('SimulatedBroker fills', () => {
  it('fills a buy at the ask and a sell at the bid of a quote', () => {
    const [buy, sell] = run(
      broker(),
      [order({ side: 'buy' }), order({ side: 'sell' })],
      [quote(T0 + 10 * MS, '19998', '20001')],
    );
    expect(asFill(buy).price.toString()).toBe('20001');
    expect(asFill(sell).price.toString()).toBe('19998');
  });

  it('fills both sides at the price of a trade whose aggressor is unknown', () => {
    const [buy, sell] = run(
      broker(),
      [order({ side: 'buy' }), order({ side: 'sell' })],
      [trade(T0 + 10 * MS, '20002')],
    );
    expect(asFill(buy).price.toString()).toBe('20002');
    expect(asFill(sell).price.toString()).toBe('20002');
    // buy: (20002 - 20000) / 20000 × 1e4 = +1 bp (worse); sell at the same price: -1 bp (better).
    expect(asFill(buy).slippageBps).toBeCloseTo(1, 9);
    expect(asFill(sell).slippageBps).toBeCloseTo(-1, 9);
  });

  it('fills an order only at a trade of its own side when the aggressor is known', () => {
    const b = broker();
    const buy = order({ side: 'buy' });
    const sell = order({ side: 'sell' });
    const reports = run(
      b,
      [buy, sell],
      [
        // A seller-initiated print at the bid, deep in a sweep: fills the sell, not the buy.
        trade(T0 + 10 * MS, '19990', 'BTCUSDT', 'sell'),
        trade(T0 + 11 * MS, '19985', 'BTCUSDT', 'sell'),
        // The next buyer-initiated print, at the ask: the buy's price.
        trade(T0 + 12 * MS, '20001', 'BTCUSDT', 'buy'),
      ],
    );
    expect(reports.map((r) => [r.orderId, r.tsUs, asFill(r).price.toString()])).toEqual([
      [sell.orderId, T0 + 10 * MS, '19990'],
      [buy.orderId, T0 + 12 * MS, '20001'],
    ]);
    expect(b.pendingCount).toBe(0);
  });

  it('settles both sides at a quote in arrival then submission order, across sides', () => {
    const b = broker();
    const sellFirst = order({ side: 'sell' });
    const buyLate = order({ side: 'buy', decisionTsUs: T0 + 2 * MS });
    const buySecond = order({ side: 'buy' });
    b.submit(sellFirst, T0);
    b.submit(buyLate, T0 + 2 * MS);
    b.submit(buySecond, T0);
    const ids: string[] = [];
    // A buyer-initiated trade first: only the buys that arrived fill, in their order.
    b.onMarketEvent(trade(T0 + 11 * MS, '20001', 'BTCUSDT', 'buy'), (r) => ids.push(r.orderId));
    expect(ids).toEqual([buySecond.orderId]);
    b.onMarketEvent(quote(T0 + 20 * MS, '19999', '20001'), (r) => ids.push(r.orderId));
    expect(ids).toEqual([buySecond.orderId, sellFirst.orderId, buyLate.orderId]);
    // A trade of unknown side fills both sides, as a quote does.
    const both = [order({ side: 'sell' }), order({ side: 'buy' })];
    const reports = run(broker(), both, [trade(T0 + 10 * MS, '20000')]);
    expect(reports.map((r) => r.orderId)).toEqual(both.map((o) => o.orderId));
  });

  it('waits for the first event at or after arrival (1 µs before does not fill)', () => {
    const b = broker();
    const reports = run(b, [order({})], [quote(T0 + 10 * MS - 1, '19999', '20000')]);
    expect(reports).toEqual([]);
    expect(b.pendingCount).toBe(1);
    b.onMarketEvent(quote(T0 + 10 * MS, '19999', '20001'), (r) => reports.push(r));
    expect(asFill(reports[0]).tsUs).toBe(T0 + 10 * MS);
    expect(asFill(reports[0]).price.toString()).toBe('20001');
    expect(b.pendingCount).toBe(0);
  });

  it('never fills on events of another symbol', () => {
    const b = broker();
    const reports = run(
      b,
      [order({ symbol: 'BTCUSDT' })],
      [quote(T0 + 20 * MS, '3000', '3001', 'ETHUSDT'), trade(T0 + 30 * MS, '3000', 'ETHUSDT')],
    );
    expect(reports).toEqual([]);
    expect(b.pendingCount).toBe(1);
  });

  it('computes the fee exactly and signs slippage against us', () => {
    const [buy, sell, better] = run(
      broker(),
      [order({ side: 'buy' }), order({ side: 'sell' }), order({ side: 'sell', symbol: 'X' })],
      [quote(T0 + 10 * MS, '19998', '20001'), quote(T0 + 10 * MS, '20004', '20005', 'X')],
    );
    // 0.003 × 20001 = 60.003; 10 bps of it = 0.060003.
    expect(asFill(buy).fee.toString()).toBe('0.060003');
    // 0.003 × 19998 = 59.994; 10 bps = 0.059994.
    expect(asFill(sell).fee.toString()).toBe('0.059994');
    expect(asFill(buy).slippageBps).toBeCloseTo(0.5, 9); // (20001 - 20000) / 20000 × 1e4
    expect(asFill(sell).slippageBps).toBeCloseTo(1, 9); // sold 2 below the decision price
    expect(asFill(better).slippageBps).toBeCloseTo(-2, 9); // sold 4 above it: better, negative
  });

  it('computes fractional fee rates exactly', () => {
    const [fill] = run(
      broker({ ...FIXED, feeBps: 7.5 }),
      [order({})],
      [trade(T0 + 10 * MS, '20001')],
    );
    expect(asFill(fill).fee.toString()).toBe('0.04500225'); // 60.003 × 0.00075
  });

  it('reports the order’s own latency (decision to arrival), not the wait for the next event', () => {
    // FIXED latency is 10 ms; the first event after arrival comes 25.5 ms after the decision.
    const [fill] = run(broker(), [order({})], [quote(T0 + 25_500, '19999', '20001')]);
    expect(asFill(fill).latencyMs).toBe(10);
    expect(asFill(fill).tsUs).toBe(T0 + 25_500);
    expect(asFill(fill).decisionTsUs).toBe(T0);
  });

  it('scales the drawn latency by a relative injection before adding the absolute one', () => {
    const injected = {
      stable: NO_INJECTIONS.stable,
      canary: { latencyMs: 2, latencyPct: 50, slippageBps: 0, rejectPct: 0, feeBps: 0 },
    };
    const [fill] = run(
      broker(FIXED, { injections: injected }),
      [order({ arm: 'canary' })],
      [quote(T0 + 40 * MS, '19999', '20001')],
    );
    expect(asFill(fill).latencyMs).toBe(10 * 1.5 + 2);
  });

  it('shares one price Decimal among the orders filled on an event', () => {
    const [a, b] = run(broker(), [order({}), order({})], [quote(T0 + 10 * MS, '19999', '20001')]);
    expect(asFill(a).price).toBe(asFill(b).price);
  });

  it('settles due orders in arrival then submission order', () => {
    const b = broker();
    const late = order({ decisionTsUs: T0 + 5 * MS });
    const first = order({});
    const second = order({});
    b.submit(late, T0 + 5 * MS);
    b.submit(first, T0);
    b.submit(second, T0);
    const ids: string[] = [];
    b.onMarketEvent(quote(T0 + 20 * MS, '19999', '20001'), (r) => ids.push(r.orderId));
    expect(ids).toEqual([first.orderId, second.orderId, late.orderId]);
  });
});

describe('SimulatedBroker latency', () => {
  /** Fill times of stable orders, events every 100 µs, optionally with canary orders in between. */
  let injectedCount = 0;
  function stableFillTimes(withCanary: boolean, injections = NO_INJECTIONS): number[] {
    injectedCount = 0;
    const b = broker(JITTERED, { seed: 11, injections });
    for (let i = 0; i < 20; i++) {
      if (withCanary)
        b.submit(order({ arm: 'canary', decisionTsUs: T0 + i * 50 * MS }), T0 + i * 50 * MS);
      b.submit(order({ arm: 'stable', decisionTsUs: T0 + i * 50 * MS }), T0 + i * 50 * MS);
    }
    const times: number[] = [];
    for (let t = T0; t <= T0 + 1200 * MS; t += 100) {
      b.onMarketEvent(quote(t, '19999', '20001'), (r) => {
        if (r.arm === 'stable') times.push(r.tsUs);
        if (r.type === 'reject' && r.reason === 'INJECTED') injectedCount++;
      });
    }
    return times;
  }

  it("keeps one arm's latencies independent of the other arm's orders", () => {
    const alone = stableFillTimes(false);
    expect(alone).toHaveLength(20);
    const latencies = alone.map((t, i) => t - (T0 + i * 50 * MS));
    expect(new Set(latencies).size).toBeGreaterThan(10); // jittered, so the comparison means something
    for (const l of latencies) expect(l).toBeGreaterThanOrEqual(10 * MS);
    expect(stableFillTimes(true)).toEqual(alone);
  });

  it('draws injected rejects apart from latencies: rejects never move arrival times', () => {
    // Reports settled at arrival (fills and injected rejects alike) carry the arrival event's time.
    const alone = stableFillTimes(false);
    expect(stableFillTimes(false, parseInjectSpecs(['stable:rejects=+50%']))).toEqual(alone);
    expect(injectedCount).toBeGreaterThan(0);
    expect(stableFillTimes(true, parseInjectSpecs(['canary:rejects=+50%']))).toEqual(alone);
    expect(injectedCount).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const scenario = (seed: number) => {
      const b = broker(JITTERED, { seed, injections: parseInjectSpecs(['canary:rejects=+30%']) });
      const orders = Array.from({ length: 30 }, (_, i) =>
        order({ arm: i % 2 ? 'canary' : 'stable', decisionTsUs: T0 + i * MS }),
      ).map((o) => ({ ...o, orderId: `o${o.decisionTsUs}` }));
      const events = Array.from({ length: 2000 }, (_, i) => quote(T0 + i * 50, '19999', '20001'));
      return run(b, orders, events);
    };
    expect(scenario(3)).toEqual(scenario(3));
    expect(scenario(3)).not.toEqual(scenario(4));
  });
});

describe('SimulatedBroker rejects', () => {
  it('rejects below the minimum notional at submission, stamped then', () => {
    const b = broker();
    const small = order({ quantity: '0.0002' }); // 0.0002 × 20000 = 4 < 5
    const rejected = b.submit(small, T0 + 3);
    expect(rejected?.reason).toBe('MIN_NOTIONAL');
    expect(rejected?.tsUs).toBe(T0 + 3);
    expect(rejected?.message).toBe('notional 4 = 0.0002 × 20000 is below the minimum 5');
    expect(b.submit(order({ quantity: '0.00025' }), T0)).toBeNull(); // exactly 5: accepted
    expect(b.pendingCount).toBe(1);
  });

  it('rejects every order with rejects=+100%, at the arrival event', () => {
    const [r] = run(
      broker(FIXED, { injections: parseInjectSpecs(['stable:rejects=+100%']) }),
      [order({})],
      [quote(T0 + 12 * MS, '19999', '20001')],
    );
    expect(asReject(r).reason).toBe('INJECTED');
    expect(asReject(r).tsUs).toBe(T0 + 12 * MS);
    expect(asReject(r).message).toContain('rejects=+100%');
  });

  it('rejects fills worse than the protection band, and only worse ones', () => {
    const reports = run(
      broker(),
      [
        order({ side: 'buy', symbol: 'A' }), // ask 20101: +50.5 bps > 50
        order({ side: 'buy', symbol: 'B' }), // ask 20100: +50 bps, on the band: fills
        order({ side: 'sell', symbol: 'A' }), // bid 19899: +50.5 bps worse
        order({ side: 'sell', symbol: 'C' }), // bid 20300: 150 bps better: fills
      ],
      [
        quote(T0 + 10 * MS, '19899', '20101', 'A'),
        quote(T0 + 10 * MS, '19950', '20100', 'B'),
        quote(T0 + 10 * MS, '20300', '20301', 'C'),
      ],
    );
    const bySymbolSide = (symbol: string, side: Side) =>
      reports.find((r) => r.symbol === symbol && r.side === side);
    expect(asReject(bySymbolSide('A', 'buy')).reason).toBe('PRICE_PROTECTION');
    expect(asReject(bySymbolSide('A', 'buy')).message).toBe(
      'buy fill price 20101 is 50.50 bps worse than the decision price 20000, past the 50 bps protection band',
    );
    expect(asReject(bySymbolSide('A', 'sell')).reason).toBe('PRICE_PROTECTION');
    expect(asFill(bySymbolSide('B', 'buy')).price.toString()).toBe('20100');
    expect(asFill(bySymbolSide('C', 'sell')).price.toString()).toBe('20300');
  });

  it('asks the buying-power check at the fill price and rejects when it says no', () => {
    const asked: string[] = [];
    const [r] = run(
      broker(FIXED, {
        injections: parseInjectSpecs(['stable:slippage=+2bp']),
        buyingPower: (o, price) => {
          asked.push(`${o.orderId}@${price.toString()}`);
          return false;
        },
      }),
      [order({})],
      [quote(T0 + 10 * MS, '19999', '20000')],
    );
    expect(asReject(r).reason).toBe('INSUFFICIENT_BUYING_POWER');
    expect(asked).toEqual([`${r!.orderId}@20004`]);
    expect(asReject(r).message).toContain('0.003 BTCUSDT at 20004 (notional 60.012)');
  });

  it('lets the buying-power check see the fills emitted before it on the same event', () => {
    let budget = new Decimal('100');
    const b = broker(FIXED, { buyingPower: (o, price) => price.times(o.quantity).lte(budget) });
    b.submit(order({}), T0);
    b.submit(order({}), T0);
    const reports: ExecutionReport[] = [];
    b.onMarketEvent(trade(T0 + 10 * MS, '20000'), (r) => {
      reports.push(r);
      if (r.type === 'fill') budget = budget.minus(r.price.times(r.quantity)); // 60 each
    });
    expect(reports.map((r) => (r.type === 'fill' ? 'fill' : r.reason))).toEqual([
      'fill',
      'INSUFFICIENT_BUYING_POWER',
    ]);
  });

  it('runs the arrival checks in order: injected, price protection, buying power', () => {
    let asked = 0;
    const check: BuyingPowerCheck = () => {
      asked++;
      return false;
    };
    const outOfBand = [quote(T0 + 10 * MS, '19000', '21000')];
    const all = parseInjectSpecs(['stable:rejects=+100%']);
    expect(
      asReject(
        run(broker(FIXED, { injections: all, buyingPower: check }), [order({})], outOfBand)[0],
      ).reason,
    ).toBe('INJECTED');
    expect(
      asReject(run(broker(FIXED, { buyingPower: check }), [order({})], outOfBand)[0]).reason,
    ).toBe('PRICE_PROTECTION');
    expect(asked).toBe(0); // never asked about orders that would not fill anyway
  });

  it('expires what is still pending at the end of data, in arrival order', () => {
    const b = broker();
    const noEvents = order({ symbol: 'ETHUSDT', decisionTsUs: T0 + 1 });
    const tooLate = order({ decisionTsUs: T0 });
    b.submit(tooLate, T0 + 5 * MS); // arrives at T0 + 15 ms, after the data
    b.submit(noEvents, T0 + 1); // arrives at T0 + 10 ms + 1 µs
    const reports: ExecutionReport[] = [];
    b.expirePending(T0 + 12 * MS, (r) => reports.push(r));
    expect(reports.map((r) => [r.orderId, asReject(r).reason, r.tsUs])).toEqual([
      [noEvents.orderId, 'EXPIRED', T0 + 12 * MS],
      [tooLate.orderId, 'EXPIRED', T0 + 12 * MS],
    ]);
    expect(asReject(reports[0]).message).toBe(
      "no ETHUSDT market event at or after the order's arrival at 2024-08-09T00:00:00.010001Z before the data ended at 2024-08-09T00:00:00.012000Z",
    );
    expect(asReject(reports[1]).message).toContain(
      "before the order's arrival at 2024-08-09T00:00:00.015000Z",
    );
    expect(b.pendingCount).toBe(0);
  });
});

describe('SimulatedBroker fault injection', () => {
  it('adds injected latency to every order of the arm only', () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:latency=+20ms']) });
    const canary = order({ arm: 'canary' });
    const stable = order({ arm: 'stable' });
    const reports = run(
      b,
      [canary, stable],
      [quote(T0 + 10 * MS, '19999', '20001'), quote(T0 + 30 * MS - 1, '19999', '20001')],
    );
    expect(reports.map((r) => r.orderId)).toEqual([stable.orderId]);
    b.onMarketEvent(quote(T0 + 30 * MS, '19999', '20001'), (r) => reports.push(r));
    expect(asFill(reports[1]).orderId).toBe(canary.orderId);
    expect(asFill(reports[1]).latencyMs).toBe(30);
  });

  it('worsens fill prices by exactly the injected bps, on that arm only', () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:slippage=+2bp']) });
    const reports = run(
      b,
      [
        order({ arm: 'canary', side: 'buy' }),
        order({ arm: 'canary', side: 'sell' }),
        order({ arm: 'stable', side: 'buy' }),
      ],
      [FINE_TICK(), quote(T0 + 10 * MS, '19990', '20000')],
    );
    const [canaryBuy, canarySell, stableBuy] = reports.map(asFill);
    expect(canaryBuy!.price.toString()).toBe('20004'); // 20000 × 1.0002
    expect(canarySell!.price.toString()).toBe('19986.002'); // 19990 × 0.9998
    expect(stableBuy!.price.toString()).toBe('20000');
    expect(canaryBuy!.slippageBps).toBeCloseTo(2, 9);
    expect(canaryBuy!.fee.toString()).toBe('0.060012'); // fee on the worsened price
  });

  it("rounds a slipped price half-even to the symbol's tick, the finest its market has shown", () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:slippage=+2bp']) });
    const buy = (): Order => order({ arm: 'canary', side: 'buy' });
    // Cents: 20000.01 × 1.0002 = 20004.010002 → 20004.01.
    const [first] = run(b, [buy()], [quote(T0 + 10 * MS, '19999.99', '20000.01')]).map(asFill);
    expect(first!.price.toString()).toBe('20004.01');
    // A price in tenths of a cent refines the tick for every later fill: 20000.1 × 1.0002 =
    // 20004.10002 → 20004.1 (written with the tick's three places, decimal.js drops the zeros).
    const reports: ExecutionReport[] = [];
    b.onMarketEvent(quote(T0 + 20 * MS, '19999.999', '20000.5'), (r) => reports.push(r));
    expect(b.submit(buy(), T0 + 20 * MS)).toBeNull();
    b.onMarketEvent(quote(T0 + 60 * MS, '20000', '20000.1'), (r) => reports.push(r));
    expect(asFill(reports[0]).price.toString()).toBe('20004.1');
  });

  it('rounds a slipped price that lands on half a tick to the even neighbour', () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:slippage=+5bp']) });
    const buy = (): Order => order({ arm: 'canary', side: 'buy' });
    // A 0.01 tick: 30 × 1.0005 = 30.015 → 30.02 (1 is odd); 10 × 1.0005 = 10.005 → 10 (0 is even).
    const [up] = run(b, [buy()], [quote(T0 + 10 * MS, '29.99', '30')]).map(asFill);
    expect(up!.price.toString()).toBe('30.02');
    const [down] = run(b, [buy()], [quote(T0 + 100 * MS, '9.99', '10')]).map(asFill);
    expect(down!.price.toString()).toBe('10');
  });

  it('rejects about the injected share of orders (binomial tolerance), on that arm only', () => {
    const n = 20_000;
    const count = (specs: string[]) => {
      const b = broker(FIXED, { seed: 5, injections: parseInjectSpecs(specs) });
      for (let i = 0; i < n; i++) {
        b.submit({ ...order({ arm: 'canary' }), orderId: `canary-${i}` }, T0);
        b.submit({ ...order({ arm: 'stable' }), orderId: `stable-${i}` }, T0);
      }
      const injected = { stable: new Set<string>(), canary: new Set<string>() };
      b.onMarketEvent(trade(T0 + 10 * MS, '20000'), (r) => {
        if (r.type === 'reject' && r.reason === 'INJECTED') injected[r.arm].add(r.orderId);
      });
      return injected;
    };
    const one = count(['canary:rejects=+1%']);
    // Binomial(20000, 0.01): mean 200, sd ≈ 14.1; 4 sd.
    expect(Math.abs(one.canary.size - 200)).toBeLessThan(4 * Math.sqrt(n * 0.01 * 0.99));
    expect(one.stable.size).toBe(0);
    // Same coin per order: the orders rejected at 1 % are also rejected at 2 %.
    const two = count(['canary:rejects=+2%']);
    for (const id of one.canary) expect(two.canary.has(id)).toBe(true);
    expect(two.canary.size).toBeGreaterThan(one.canary.size);
  });

  it('refuses an injected latency that would make latency negative', () => {
    const build = () => broker(FIXED, { injections: parseInjectSpecs(['canary:latency=-11ms']) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/minimum latency -1ms negative \(base 10ms\)/);
    expect(() =>
      broker(FIXED, { injections: parseInjectSpecs(['canary:latency=-10ms']) }),
    ).not.toThrow();
  });

  it('refuses programmatic injections out of range', () => {
    const bad = {
      stable: { latencyMs: 0, latencyPct: 0, slippageBps: 0, rejectPct: 150, feeBps: 0 },
      canary: NO_INJECTIONS.canary,
    };
    expect(() => broker(FIXED, { injections: bad })).toThrow(/rejects must be within \[0, 100\]%/);
  });
});

describe('SimulatedBroker properties', () => {
  const LATENCY_US = 10 * MS;
  const symbols = ['BTCUSDT', 'ETHUSDT'] as const;

  it('settles each order exactly once, at the first event of its symbol at or after arrival, in arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            submitUs: fc.integer({ min: 0, max: 100 * MS }),
            symbol: fc.constantFrom(...symbols),
            arm: fc.constantFrom<Arm>('stable', 'canary'),
            side: fc.constantFrom<Side>('buy', 'sell'),
          }),
          { maxLength: 40 },
        ),
        fc.array(
          fc.record({
            gapUs: fc.integer({ min: 0, max: 5 * MS }),
            symbol: fc.constantFrom(...symbols),
          }),
          { maxLength: 60 },
        ),
        (specs, gaps) => {
          const b = broker(FIXED);
          const orders = specs.map((s, seq) => ({
            ...order({ arm: s.arm, side: s.side, symbol: s.symbol, decisionTsUs: T0 + s.submitUs }),
            orderId: `o${seq}`,
          }));
          for (const o of orders) expect(b.submit(o, o.decisionTsUs)).toBeNull();
          let t = T0;
          const events = gaps.map((g) => quote((t += g.gapUs), '19999', '20001', g.symbol));

          // Reference: naive scan per order.
          const expected = orders
            .map((o, seq) => {
              const arrivalUs = o.decisionTsUs + LATENCY_US;
              const at = events.findIndex((e) => e.symbol === o.symbol && e.tsUs >= arrivalUs);
              return { id: o.orderId, seq, arrivalUs, at };
            })
            .filter((x) => x.at >= 0)
            .sort((x, y) => x.at - y.at || x.arrivalUs - y.arrivalUs || x.seq - y.seq);

          const got: { id: string; tsUs: number }[] = [];
          for (const e of events)
            b.onMarketEvent(e, (r) => got.push({ id: r.orderId, tsUs: r.tsUs }));
          expect(got).toEqual(expected.map((x) => ({ id: x.id, tsUs: events[x.at]!.tsUs })));
          expect(b.pendingCount).toBe(orders.length - got.length);

          const expired: string[] = [];
          b.expirePending(t, (r) => {
            expect(asReject(r).reason).toBe('EXPIRED');
            expired.push(r.orderId);
          });
          expect(b.pendingCount).toBe(0);
          expect([...got.map((g) => g.id), ...expired].sort()).toEqual(
            orders.map((o) => o.orderId).sort(),
          );
        },
      ),
    );
  });

  it('keeps the books identical whether or not events carry nothing due', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * MS }), { maxLength: 20 }), (offsets) => {
        const settle = (noise: boolean) => {
          const b = broker(JITTERED);
          offsets.forEach((off, i) =>
            b.submit({ ...order({ decisionTsUs: T0 + off }), orderId: `o${i}` }, T0 + off),
          );
          const out: string[] = [];
          for (let t = T0; t <= T0 + 80 * MS; t += 500) {
            if (noise) b.onMarketEvent(trade(t, '1', 'OTHER'), () => out.push('noise'));
            b.onMarketEvent(quote(t, '19999', '20001'), (r) => out.push(`${r.orderId}@${r.tsUs}`));
          }
          return out;
        };
        expect(settle(true)).toEqual(settle(false));
      }),
      { numRuns: 30 },
    );
  });
});

describe('SimulatedBroker fee injection', () => {
  it('adds the injected bps to the fee of every fill of the arm, exactly', () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:fees=+2bp']) });
    const [canary, stable] = run(
      b,
      [order({ arm: 'canary' }), order({ arm: 'stable' })],
      [quote(T0 + 10 * MS, '19998', '20001')],
    ).map(asFill);
    expect(canary!.fee.toString()).toBe('0.0720036'); // 60.003 × (10 + 2) bps
    expect(stable!.fee.toString()).toBe('0.060003'); // 60.003 × 10 bps
    expect(canary!.price.toString()).toBe('20001'); // the price is untouched
  });

  it('charges fractional and combined fees on the worsened price', () => {
    const b = broker(
      { ...FIXED, feeBps: 7.5 },
      { injections: parseInjectSpecs(['stable:fees=+0.1bp,slippage=+2bp', 'stable:fees=+0.2bp']) },
    );
    const [fill] = run(b, [order({})], [quote(T0 + 10 * MS, '19999', '20000')]).map(asFill);
    expect(fill!.price.toString()).toBe('20004');
    expect(fill!.fee.toString()).toBe('0.04680936'); // 0.003 × 20004 = 60.012, × 7.8 bps
  });

  it('allows a lower fee but never a negative one', () => {
    const free = broker(FIXED, { injections: parseInjectSpecs(['canary:fees=-10bp']) });
    const [fill] = run(
      free,
      [order({ arm: 'canary' })],
      [quote(T0 + 10 * MS, '19999', '20001')],
    ).map(asFill);
    expect(fill!.fee.isZero()).toBe(true);
    const build = () => broker(FIXED, { injections: parseInjectSpecs(['canary:fees=-10.5bp']) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/fees -10.5bp would make the fee -0.5bp negative \(base 10bp\)/);
    expect(() =>
      broker(FIXED, {
        injections: parseInjectSpecs(['canary:fees=-5bp', 'canary:fees=-6bp,from=50%']),
      }),
    ).toThrow(/at a canary weight of 50% or more/);
  });
});

describe('SimulatedBroker weight-conditional faults', () => {
  const buyAt = (b: SimulatedBroker, arm: Arm = 'canary'): FillReport => {
    const o = order({ arm });
    expect(b.submit(o, T0)).toBeNull();
    const out: ExecutionReport[] = [];
    b.onMarketEvent(quote(T0 + 100 * MS, '19999', '20000'), (r) => out.push(r));
    return asFill(out[0]);
  };

  it('applies a spec only while the canary weight is at least its threshold', () => {
    const b = broker(FIXED, { injections: parseInjectSpecs(['canary:slippage=+3bp,from=25%']) });
    expect(b.canaryWeightBps).toBe(0);
    expect(buyAt(b).price.toString()).toBe('20000');
    b.setCanaryWeightBps(2499);
    expect(buyAt(b).price.toString()).toBe('20000');
    b.setCanaryWeightBps(2500);
    expect(buyAt(b).price.toString()).toBe('20006');
    b.setCanaryWeightBps(10_000);
    expect(buyAt(b).price.toString()).toBe('20006');
    expect(buyAt(b, 'stable').price.toString()).toBe('20000'); // the other arm is untouched
    b.setCanaryWeightBps(1000);
    expect(buyAt(b).price.toString()).toBe('20000');
  });

  it('adds up the active specs, each on or off by its own threshold', () => {
    const b = broker(FIXED, {
      injections: parseInjectSpecs([
        'canary:fees=+1bp',
        'canary:slippage=+1bp,from=10%',
        'canary:slippage=+2bp,fees=+1bp,from=50%',
      ]),
    });
    const at = (bps: number) => {
      b.setCanaryWeightBps(bps);
      const fill = buyAt(b);
      return [fill.price.toString(), fill.fee.toString()];
    };
    expect(at(500)).toEqual(['20000', '0.066']); // 60 × 11 bps
    expect(at(1000)).toEqual(['20002', '0.0660066']); // +1 bp; 60.006 × 11 bps
    expect(at(5000)).toEqual(['20006', '0.0720216']); // +3 bp; 60.018 × 12 bps
  });

  it('applies what was in effect when the order was submitted', () => {
    const b = broker(FIXED, {
      injections: parseInjectSpecs(['canary:slippage=+3bp,rejects=+100%,from=50%']),
      canaryWeightBps: 5000,
    });
    const early = order({ arm: 'canary' });
    expect(b.submit(early, T0)).toBeNull();
    b.setCanaryWeightBps(0);
    const late = order({ arm: 'canary' });
    expect(b.submit(late, T0)).toBeNull();
    b.setCanaryWeightBps(5000);
    const out: ExecutionReport[] = [];
    b.onMarketEvent(quote(T0 + 100 * MS, '19999', '20000'), (r) => out.push(r));
    expect(asReject(out[0]).reason).toBe('INJECTED');
    expect(asReject(out[0]).message).toContain('rejects=+100%, from a canary weight of 50%');
    expect(asFill(out[1]).price.toString()).toBe('20000');
  });

  it('refuses weights that are not integer bps in 0..10000', () => {
    const b = broker();
    expect(() => b.setCanaryWeightBps(-1)).toThrow(RangeError);
    expect(() => b.setCanaryWeightBps(10_001)).toThrow(RangeError);
    expect(() => b.setCanaryWeightBps(12.5)).toThrow(RangeError);
  });

  it('checks every level: latency reaching below zero only from a threshold is refused', () => {
    expect(() =>
      broker(FIXED, { injections: parseInjectSpecs(['canary:latency=-11ms,from=20%']) }),
    ).toThrow(/minimum latency -1ms negative \(base 10ms\) \(at a canary weight of 20% or more\)/);
  });

  it('keeps one latency and one reject draw per order: switching faults on never shifts later draws', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            arm: fc.constantFrom<Arm>('stable', 'canary'),
            weightBps: fc.constantFrom(0, 1000, 2500, 5000),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 1000 }),
        (steps, seed) => {
          const plain = broker(JITTERED, { seed });
          const faulted = broker(JITTERED, {
            seed,
            injections: parseInjectSpecs([
              'canary:latency=+5ms,rejects=+30%,from=25%',
              'canary:latency=+50%,from=50%',
            ]),
          });
          const latency = (b: SimulatedBroker) => {
            const reports = new Map<string, ExecutionReport>();
            steps.forEach((step, i) => {
              b.setCanaryWeightBps(step.weightBps);
              const o = {
                ...order({ arm: step.arm, decisionTsUs: T0 + i * MS }),
                orderId: `o${i}`,
              };
              expect(b.submit(o, o.decisionTsUs)).toBeNull();
            });
            b.onMarketEvent(trade(T0 + 10_000 * MS, '20000'), (r) => reports.set(r.orderId, r));
            return reports;
          };
          const base = latency(plain);
          const got = latency(faulted);
          steps.forEach((step, i) => {
            const a = asFill(base.get(`o${i}`));
            const b = got.get(`o${i}`)!;
            if (step.arm === 'stable' || step.weightBps < 2500) {
              expect(asFill(b).latencyMs).toBe(a.latencyMs); // inactive: exactly the same draw
            } else if (b.type === 'fill') {
              const expected = step.weightBps >= 5000 ? a.latencyMs * 1.5 + 5 : a.latencyMs + 5;
              // The same draw, transformed (both arrivals rounded to the µs).
              expect(Math.abs(b.latencyMs - expected)).toBeLessThan(0.002);
            } else {
              expect(b.reason).toBe('INJECTED');
            }
          });
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('SimulatedBroker per-account slippage offsets', () => {
  const HETERO: ExecutionConfig = { ...FIXED, accountSlippageSdBps: 2 };

  it('worsens each account’s fills by its own persistent offset, exactly, on either arm', () => {
    const b = broker(HETERO, { seed: 9 });
    const ids = ['a', 'b', 'c', 'd'];
    const reports = run(
      b,
      ids.flatMap((id) => [
        order({ accountId: id, arm: 'stable' }),
        order({ accountId: id, arm: 'canary', side: 'sell' }),
      ]),
      [FINE_TICK(), quote(T0 + 10 * MS, '19990', '20000')],
    ).map(asFill);
    const offsets = ids.map((id) => accountSlippageBps(9, id, 2));
    expect(new Set(offsets).size).toBe(4);
    ids.forEach((id, i) => {
      const offset = new Decimal(String(offsets[i]!)).dividedBy(10_000);
      expect(b.accountSlippageBps(id)).toBe(offsets[i]);
      const [buy, sell] = reports.filter((r) => r.accountId === id);
      expect(buy!.price.toString()).toBe(new Decimal('20000').times(offset.plus(1)).toString());
      expect(sell!.price.toString()).toBe(
        new Decimal('19990').times(new Decimal(1).minus(offset)).toString(),
      );
      expect(buy!.slippageBps).toBeCloseTo(offsets[i]!, 6);
      expect(buy!.fee.toString()).toBe(
        buy!.price
          .times('0.003')
          .times('0.001')
          .toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN)
          .toString(),
      );
    });
  });

  it('adds the offset to the injected slippage in one factor', () => {
    const b = broker(HETERO, { seed: 9, injections: parseInjectSpecs(['canary:slippage=+2bp']) });
    const [fill] = run(
      b,
      [order({ accountId: 'a', arm: 'canary' })],
      [FINE_TICK(), quote(T0 + 10 * MS, '19990', '20000')],
    ).map(asFill);
    const bps = new Decimal(String(accountSlippageBps(9, 'a', 2))).plus(2);
    expect(fill!.price.toString()).toBe(
      new Decimal('20000').times(bps.dividedBy(10_000).plus(1)).toString(),
    );
  });

  it('gives a mapped account the offset of the account it maps to', () => {
    const b = broker(HETERO, {
      seed: 9,
      offsetAccountOf: (id) => (id.startsWith('paper:') ? id.slice(6) : id),
    });
    const [real, paper] = run(
      b,
      [order({ accountId: 'a', arm: 'stable' }), order({ accountId: 'paper:a', arm: 'canary' })],
      [quote(T0 + 10 * MS, '19990', '20000')],
    ).map(asFill);
    expect(b.accountSlippageBps('paper:a')).toBe(b.accountSlippageBps('a'));
    expect(paper!.price.toString()).toBe(real!.price.toString());
  });

  it('consumes no random stream: arrivals and injected rejects are those without offsets', () => {
    const scenario = (config: ExecutionConfig) => {
      const b = broker(config, { seed: 4, injections: parseInjectSpecs(['canary:rejects=+30%']) });
      const orders = Array.from({ length: 40 }, (_, i) => ({
        ...order({
          accountId: `acct-${i % 7}`,
          arm: i % 2 ? 'canary' : 'stable',
          decisionTsUs: T0 + i * MS,
        }),
        orderId: `o${i}`,
      }));
      const events = Array.from({ length: 3000 }, (_, i) => quote(T0 + i * 50, '19999', '20001'));
      return run(b, orders, events).map((r) => `${r.orderId}:${r.type}:${r.tsUs}`);
    };
    const jittered = { ...JITTERED, protectionBandBps: 1000 };
    expect(scenario({ ...jittered, accountSlippageSdBps: 5 })).toEqual(scenario(jittered));
  });

  it('refuses offsets that could take a price to zero with the injected slippage', () => {
    expect(() =>
      broker(
        { ...FIXED, accountSlippageSdBps: 100 },
        { injections: parseInjectSpecs(['canary:slippage=+9500bp']) },
      ),
    ).toThrow(/slippage plus the largest account offset \(666\.04 bp\)/);
  });
});

describe('SimulatedBroker venue outages', () => {
  const OUTAGES: ExecutionConfig = { ...FIXED, outages: { perHour: 720, durationMs: 2000 } };

  it('rejects every order settled inside an outage window with VENUE, and none outside', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(
          fc.record({
            submitMs: fc.integer({ min: 0, max: 120_000 }),
            arm: fc.constantFrom<Arm>('stable', 'canary'),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        (seed, specs) => {
          const b = broker(OUTAGES, { seed });
          const schedule = new OutageSchedule(OUTAGES.outages!, seed);
          const orders = specs
            .map((s, i) => ({
              ...order({ arm: s.arm, decisionTsUs: T0 + s.submitMs * MS }),
              orderId: `o${i}`,
            }))
            .sort((x, y) => x.decisionTsUs - y.decisionTsUs);
          const reports: ExecutionReport[] = [];
          let next = 0;
          for (let t = T0; t <= T0 + 130_000 * MS; t += 250 * MS) {
            while (next < orders.length && orders[next]!.decisionTsUs <= t) {
              const o = orders[next++]!;
              expect(b.submit(o, o.decisionTsUs)).toBeNull();
            }
            b.onMarketEvent(quote(t, '19999', '20001'), (r) => reports.push(r));
          }
          expect(reports).toHaveLength(orders.length);
          for (const r of reports) {
            const window = schedule.windowAt(r.tsUs);
            if (window === null) expect(r.type).toBe('fill');
            else {
              expect(asReject(r).reason).toBe('VENUE');
              expect(asReject(r).message).toContain(
                `venue outage from ${new Date(window.startUs / 1000).toISOString().slice(0, 19)}`,
              );
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is venue-wide and comes before every other arrival check', () => {
    const schedule = new OutageSchedule(OUTAGES.outages!, 7);
    const window = schedule.windowsStartingBetween(T0, T0 + 3_600_000_000)[0]!;
    const b = broker(OUTAGES, { injections: parseInjectSpecs(['canary:rejects=+100%']) });
    const submitUs = window.startUs - 10 * MS;
    const reports = run(
      b,
      [
        order({ arm: 'canary', decisionTsUs: submitUs }),
        order({ arm: 'stable', decisionTsUs: submitUs }),
      ],
      [quote(window.startUs, '19000', '21000')], // out of band too
    );
    expect(reports.map((r) => asReject(r).reason)).toEqual(['VENUE', 'VENUE']);
    expect(asReject(reports[0]).message).toMatch(
      /^venue outage from .*Z to .*Z \(simulated outages: 720 per hour, 2000 ms each\)$/,
    );
  });

  it('does not depend on the orders: the same windows whatever was sent', () => {
    const rejectedAt = (every: number) => {
      const b = broker(OUTAGES, { seed: 5 });
      const venue = new Set<number>();
      for (let t = T0; t < T0 + 60_000 * MS; t += 100 * MS) {
        if ((t / (100 * MS)) % every === 0)
          b.submit(order({ decisionTsUs: t - 10 * MS }), t - 10 * MS);
        b.onMarketEvent(trade(t, '20000'), (r) => {
          if (r.type === 'reject' && r.reason === 'VENUE') venue.add(r.tsUs);
        });
      }
      return venue;
    };
    const all = rejectedAt(1);
    expect(all.size).toBeGreaterThan(0);
    for (const t of rejectedAt(3)) expect(all.has(t)).toBe(true);
  });
});

describe('SimulatedBroker faults on a share of the accounts (accounts=P%)', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `acct-${i}`);
  /** One buy per account on `arm`, all filled at the same quote; fills by account id. */
  const fillsOf = (b: SimulatedBroker, arm: Arm) => {
    const out: ExecutionReport[] = [];
    for (const accountId of ids) expect(b.submit(order({ arm, accountId }), T0)).toBeNull();
    b.onMarketEvent(quote(T0 + 100 * MS, '19999', '20000'), (r) => out.push(r));
    return new Map(out.map((r) => [r.accountId, r]));
  };

  it("hits exactly the seeded share's accounts, on the arm named only", () => {
    const b = broker(FIXED, {
      injections: parseInjectSpecs(['canary:slippage=+10bp,accounts=30%']),
    });
    const canary = fillsOf(b, 'canary');
    const stable = fillsOf(b, 'stable');
    let hit = 0;
    for (const id of ids) {
      const member = isFaultSubsetAccount(7, id, 30);
      if (member) hit++;
      expect(asFill(canary.get(id)).price.toString()).toBe(member ? '20020' : '20000');
      expect(asFill(stable.get(id)).price.toString()).toBe('20000');
    }
    expect(hit).toBeGreaterThan(30); // about 60 of 200
    expect(hit).toBeLessThan(90);
  });

  it('adds to the faults every account gets, and follows the weight for its own tiers', () => {
    const b = broker(FIXED, {
      injections: parseInjectSpecs([
        'canary:slippage=+1bp',
        'canary:slippage=+2bp,accounts=50%,from=25%',
      ]),
    });
    const member = ids.find((id) => isFaultSubsetAccount(7, id, 50))!;
    const other = ids.find((id) => !isFaultSubsetAccount(7, id, 50))!;
    const price = (accountId: string) => {
      const out: ExecutionReport[] = [];
      expect(b.submit(order({ arm: 'canary', accountId }), T0)).toBeNull();
      b.onMarketEvent(quote(T0 + 100 * MS, '19999', '20000'), (r) => out.push(r));
      return asFill(out[0]).price.toString();
    };
    expect([price(member), price(other)]).toEqual(['20002', '20002']);
    b.setCanaryWeightBps(2500);
    expect([price(member), price(other)]).toEqual(['20006', '20002']);
  });

  it("draws every order's latency and reject coin from the arm's streams as before", () => {
    const arrivals = (injections: Readonly<Record<Arm, FaultInjection>>) => {
      const b = broker(JITTERED, { injections });
      const reports = run(
        b,
        ids.map((accountId) => order({ arm: 'canary', accountId })),
        Array.from({ length: 40 }, (_, i) => quote(T0 + (i + 1) * MS, '19999', '20000')),
      );
      return new Map(reports.map((r) => [r.accountId, r.tsUs]));
    };
    const plain = arrivals(NO_INJECTIONS);
    const withShare = arrivals(parseInjectSpecs(['canary:slippage=+10bp,accounts=50%']));
    expect(withShare).toEqual(plain);
  });

  it('says the share in an injected reject', () => {
    const b = broker(FIXED, {
      injections: parseInjectSpecs(['canary:rejects=+100%,accounts=50%']),
    });
    const member = ids.find((id) => isFaultSubsetAccount(7, id, 50))!;
    const reports = fillsOf(b, 'canary');
    const rejected = asReject(reports.get(member));
    expect(rejected.reason).toBe('INJECTED');
    expect(rejected.message).toContain('rejects=+100%, this account being in accounts=50%');
  });

  it('refuses a programmatic share out of range or nested', () => {
    const none = NO_INJECTIONS.canary;
    const share = (accountsPct: number, faults: FaultInjection = { ...none, slippageBps: 1 }) =>
      broker(FIXED, {
        injections: { stable: none, canary: { ...none, subset: { accountsPct, faults } } },
      });
    expect(() => share(0)).toThrow('must be a share in (0, 100)%');
    expect(() => share(100)).toThrow('must be a share in (0, 100)%');
    expect(() => share(12.345)).toThrow('at most 2 decimals');
    expect(() => share(20, { ...none, subset: { accountsPct: 10, faults: none } })).toThrow(
      'cannot have a share of their own',
    );
    expect(() => share(20, { ...none, rejectPct: 120 })).toThrow(ConfigError);
  });
});
