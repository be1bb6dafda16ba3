import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import type { ExecutionReport, FillReport } from '../core/execution-report.js';
import type { MarketEvent, QuoteEvent, TradeEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Strategy, StrategyDefinition } from '../core/strategy.js';
import {
  accountSlippageBps,
  DEFAULT_EXECUTION_CONFIG,
  NO_INJECTIONS,
  parseInjectSpecs,
} from '../execution/index.js';
import { EquityCurve } from '../ledger/index.js';
import type { EquitySample, MetricsInput } from '../metrics/index.js';
import { bucketOf } from '../router/index.js';
import type { EngineConfig } from './replay-config.js';
import { TradingEngine } from './trading-engine.js';

const SYMBOL = 'BTCUSDT';

function quote(tsUs: number, bid: string, ask: string, symbol = SYMBOL): QuoteEvent {
  return {
    type: 'quote',
    tsUs,
    exchangeTsUs: null,
    exchange: 'test',
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

function trade(tsUs: number, price: string): TradeEvent {
  return {
    type: 'trade',
    tsUs,
    exchangeTsUs: null,
    exchange: 'test',
    symbol: SYMBOL,
    id: null,
    side: 'buy',
    price,
    priceNum: Number(price),
    size: '0.1',
    sizeNum: 0.1,
  };
}

/** A strategy that sets the given exposure at the given event times (µs), and nothing else. */
function scripted(id: string, script: ReadonlyMap<number, number>): Strategy {
  return {
    id,
    onMarketEvent: (event) => {
      const exposure = script.get(event.tsUs);
      return exposure === undefined ? null : { symbol: event.symbol, exposure, reason: 'scripted' };
    },
    targetQuantity: (target, account, price) => (target.exposure * account.equity) / price,
  };
}

const idle: Strategy = { id: 'idle@1.0.0', onMarketEvent: () => null, targetQuantity: () => 0 };

function definition(name: string): StrategyDefinition {
  return { name, version: '1.0.0', description: '', parseParams: () => ({}), create: () => idle };
}

function accounts(n: number, capital = '10000'): Account[] {
  return Array.from({ length: n }, (_, i) => ({ id: `a${i + 1}`, capital: new Decimal(capital) }));
}

function config(overrides: Partial<EngineConfig> = {}): EngineConfig {
  return {
    accounts: accounts(20),
    salt: 'engine-test',
    weightBps: 5000,
    seed: 3,
    strategies: {
      stable: { spec: 'stable', definition: definition('stable'), params: {} },
      canary: { spec: 'canary', definition: definition('canary'), params: {} },
    },
    execution: {
      ...DEFAULT_EXECUTION_CONFIG,
      latency: { stable: { baseMs: 1, jitterMs: 0 }, canary: { baseMs: 1, jitterMs: 0 } },
    },
    injections: NO_INJECTIONS,
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
    ...overrides,
  };
}

interface Run {
  readonly engine: TradingEngine;
  readonly reports: ExecutionReport[];
  readonly inputs: MetricsInput[];
}

function run(
  cfg: EngineConfig,
  strategies: Readonly<Record<Arm, Strategy>>,
  events: readonly MarketEvent[],
): Run {
  const engine = new TradingEngine(cfg, strategies);
  const reports: ExecutionReport[] = [];
  const inputs: MetricsInput[] = [];
  engine.executions$.subscribe((r) => reports.push(r));
  engine.metricsInput$.subscribe((i) => inputs.push(i));
  for (const event of events) engine.process(event);
  engine.finish();
  return { engine, reports, inputs };
}

/** A tape of quotes every 10 ms from t = 1 s, with one trade in the middle. */
function tape(count: number): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let i = 0; i < count; i++) {
    const tsUs = 1_000_000 + i * 10_000;
    events.push(i === 50 ? trade(tsUs, '100.00') : quote(tsUs, '99.99', '100.01'));
  }
  return events;
}

describe('TradingEngine', () => {
  it('puts each account on the arm its bucket gives at the weight', () => {
    const cfg = config({ accounts: accounts(200), weightBps: 3000 });
    const engine = new TradingEngine(cfg, { stable: idle, canary: idle });
    const canary = engine.accountsOn('canary').map((a) => a.id);
    const expected = cfg.accounts.filter((a) => bucketOf(cfg.salt, a.id) < 3000).map((a) => a.id);
    expect(canary).toEqual(expected);
    expect(engine.accountsOn('stable')).toHaveLength(200 - expected.length);
  });

  it('turns a target change into one order per account of that arm only, filled at the touch', () => {
    const events = tape(100);
    const buyAt = events[10]!.tsUs;
    const { engine, reports } = run(
      config(),
      { stable: idle, canary: scripted('c@1', new Map([[buyAt, 0.01]])) },
      events,
    );
    const canaryIds = engine.accountsOn('canary').map((a) => a.id);
    expect(canaryIds.length).toBeGreaterThan(0);
    expect(reports.map((r) => r.accountId).sort()).toEqual([...canaryIds].sort());
    for (const report of reports) {
      expect(report).toMatchObject({
        type: 'fill',
        arm: 'canary',
        side: 'buy',
        decisionTsUs: buyAt,
      });
      if (report.type !== 'fill') continue;
      expect(report.price.toString()).toBe('100.01'); // the ask of the next quote after 1 ms
      expect(report.tsUs).toBe(events[11]!.tsUs);
      // 1 % of 10,000 at the decision mid (100.00): 1 BTC... of price 100 → quantity 1
      expect(report.quantity.toString()).toBe('1');
    }
    expect(engine.activity('canary').targetChanges).toBe(1);
    expect(engine.activity('stable').targetChanges).toBe(0);
    const totals = engine.ledger.armTotals('canary');
    // Each canary account bought 1 at 100.01 and pays 10 bps fees: 0.10001 each.
    expect(totals.fees.toString()).toBe(new Decimal('0.10001').times(canaryIds.length).toString());
  });

  it('counts orders still in flight when a new target comes before the fill (no double order)', () => {
    const events = tape(100);
    // Two targets 0 ms apart in event time terms: the second arrives before the first order fills.
    const slow = config({
      execution: {
        ...DEFAULT_EXECUTION_CONFIG,
        latency: { stable: { baseMs: 50, jitterMs: 0 }, canary: { baseMs: 50, jitterMs: 0 } },
      },
      weightBps: 10_000,
    });
    const script = new Map([
      [events[10]!.tsUs, 0.01],
      [events[11]!.tsUs, 0.02],
    ]);
    const { engine, reports } = run(
      slow,
      { stable: idle, canary: scripted('c@1', script) },
      events,
    );
    const n = engine.accountsOn('canary').length;
    const fills = reports.filter((r) => r.type === 'fill');
    expect(fills).toHaveLength(2 * n);
    // Each account ends at 2 % of equity: 1 + 1 (the second order is the difference only).
    for (const account of engine.accountsOn('canary')) {
      const snapshot = engine.ledger.accountSnapshot(account.id);
      expect(snapshot.positions[0]!.quantity.toNumber()).toBeCloseTo(2, 2);
    }
  });

  it('catches a strategy that throws, counts it for its arm and goes on', () => {
    let calls = 0;
    const throwing: Strategy = {
      id: 'boom@1',
      onMarketEvent: () => {
        calls++;
        throw new Error('boom');
      },
      targetQuantity: () => 0,
    };
    const events = tape(30);
    const buyAt = events[5]!.tsUs;
    const { engine, reports, inputs } = run(
      config(),
      { stable: scripted('s@1', new Map([[buyAt, 0.01]])), canary: throwing },
      events,
    );
    expect(calls).toBe(30);
    expect(engine.activity('canary')).toMatchObject({
      strategyErrors: 30,
      firstStrategyError: 'onMarketEvent threw: boom',
    });
    expect(engine.activity('stable').strategyErrors).toBe(0);
    expect(reports.filter((r) => r.arm === 'stable' && r.type === 'fill').length).toBe(
      engine.accountsOn('stable').length,
    );
    expect(inputs.filter((i) => i.type === 'strategy-error')).toHaveLength(30);
  });

  it.each([
    [{ symbol: 'ETHUSDT', exposure: 0.1, reason: 'x' }, /symbol "ETHUSDT" is not the event's/],
    [{ symbol: SYMBOL, exposure: Number.NaN, reason: 'x' }, /exposure NaN is not a finite number/],
    [{ symbol: SYMBOL, exposure: 1.5, reason: 'x' }, /exposure 1.5 is outside \[-1, 1\]/],
  ])('counts an invalid target as a strategy error and sends no order: %j', (target, message) => {
    const bad: Strategy = {
      id: 'bad@1',
      onMarketEvent: (e) => (e.tsUs === 1_050_000 ? target : null),
      targetQuantity: () => 1,
    };
    const { engine, reports } = run(config(), { stable: idle, canary: bad }, tape(20));
    expect(engine.activity('canary').strategyErrors).toBe(1);
    expect(engine.activity('canary').firstStrategyError).toMatch(message);
    expect(reports).toHaveLength(0);
  });

  it('counts a sizing function that returns NaN, once per account, and skips those orders', () => {
    const nanSizing: Strategy = {
      id: 'nan@1',
      onMarketEvent: (e) =>
        e.tsUs === 1_050_000 ? { symbol: SYMBOL, exposure: 0.1, reason: 'x' } : null,
      targetQuantity: () => Number.NaN,
    };
    const { engine, reports } = run(config(), { stable: idle, canary: nanSizing }, tape(20));
    expect(engine.activity('canary').strategyErrors).toBe(engine.accountsOn('canary').length);
    expect(reports).toHaveLength(0);
  });

  it('counts an order beyond 2^53 quantity steps as a strategy error and sends none', () => {
    const huge: Strategy = {
      id: 'huge@1',
      onMarketEvent: (e) =>
        e.tsUs === 1_050_000 ? { symbol: SYMBOL, exposure: 1, reason: 'x' } : null,
      targetQuantity: () => 1e25,
    };
    const { engine, reports } = run(config(), { stable: idle, canary: huge }, tape(20));
    expect(engine.activity('canary').strategyErrors).toBe(engine.accountsOn('canary').length);
    expect(engine.activity('canary').firstStrategyError).toMatch(
      /^order too large: a buy of 1e\+25 BTCUSDT for account a\d+ is more than 2\^53 - 1 quantity steps of 1e-8/,
    );
    expect(reports).toHaveLength(0);
  });

  it('samples both arms’ equity once per interval boundary passed', () => {
    const { inputs } = run(config(), { stable: idle, canary: idle }, tape(250)); // 1.00 s → 3.49 s
    const samples = inputs.filter((i) => i.type === 'equity');
    // The first event sits exactly on the 1 s boundary, so its interval ends there (intervals are
    // (B − 1 s, B]); 1 s, 2 s and 3 s are passed, then the final sample at the last event.
    expect(samples.map((s) => [s.tsUs, s.arm])).toEqual([
      [1_000_000, 'stable'],
      [1_000_000, 'canary'],
      [2_000_000, 'stable'],
      [2_000_000, 'canary'],
      [3_000_000, 'stable'],
      [3_000_000, 'canary'],
      [3_490_000, 'stable'],
      [3_490_000, 'canary'],
    ]);
    for (const s of samples) if (s.type === 'equity') expect(s.equity).toBe(s.capital);
  });

  it('expires orders still pending when the data ends', () => {
    const events = tape(12);
    const { reports } = run(
      config({ weightBps: 10_000 }),
      { stable: idle, canary: scripted('c@1', new Map([[events[11]!.tsUs, 0.01]])) },
      events,
    );
    expect(reports.length).toBe(20);
    for (const r of reports) expect(r).toMatchObject({ type: 'reject', reason: 'EXPIRED' });
  });

  it('gives identical reports for identical inputs', () => {
    const events = tape(200);
    const script = new Map([
      [events[20]!.tsUs, 0.01],
      [events[120]!.tsUs, -0.01],
    ]);
    const strategies = () => ({ stable: scripted('s', script), canary: scripted('c', script) });
    const text = (r: Run): string =>
      JSON.stringify(r.reports.map((x) => ({ ...x, quantity: x.quantity.toString() })));
    const cfg = config({
      execution: DEFAULT_EXECUTION_CONFIG,
    });
    expect(text(run(cfg, strategies(), events))).toBe(text(run(cfg, strategies(), events)));
  });
});

describe('TradingEngine: moving accounts between arms', () => {
  /** Both arms hold 1 % long from t = 1.1 s (stable target only), on a tape of 300 quotes. */
  function longStable(
    weightBps: number,
    accountsCount = 40,
  ): { engine: TradingEngine; events: MarketEvent[] } {
    const events = tape(300);
    const script = new Map([[events[10]!.tsUs, 0.01]]);
    const cfg = config({ accounts: accounts(accountsCount), weightBps });
    const engine = new TradingEngine(cfg, {
      stable: scripted('s@1', script),
      canary: scripted('c@1', new Map([[events[10]!.tsUs, 0.02]])),
    });
    return { engine, events };
  }

  it('raising the weight hands positions over: moved accounts keep them, then follow canary', () => {
    const { engine, events } = longStable(1000);
    engine.positionsPolicy = 'handoff';
    for (const e of events.slice(0, 100)) engine.process(e);
    const before = new Set(engine.accountsOn('canary').map((a) => a.id));
    const moved = engine.setWeightBps(5000);
    const after = engine.accountsOn('canary').map((a) => a.id);
    expect(moved).toBe(after.length - before.size);
    for (const id of before) expect(after).toContain(id); // monotone: nobody leaves canary
    expect(engine.transitionInProgress).toBe(false);
    for (const e of events.slice(100, 120)) engine.process(e);
    // Moved accounts were rebalanced from stable's 1 % to canary's 2 % target.
    for (const id of after) {
      const q = engine.ledger.accountSnapshot(id).positions[0]!.quantity.toNumber();
      expect(q).toBeCloseTo(2, 2); // 2 % of 10,000 at 100
    }
    expect(engine.ledger.armTotals('canary').accounts).toBe(after.length);
  });

  it('flatten closes positions on the leaving arm first, then the account joins the other arm', () => {
    const { engine, events } = longStable(0);
    engine.positionsPolicy = 'flatten';
    const completions: number[] = [];
    engine.transitionComplete$.subscribe((t) => completions.push(t));
    for (const e of events.slice(0, 100)) engine.process(e);
    const realizedBefore = engine.ledger.armTotals('stable').realizedPnl;
    const moving = engine.setWeightBps(5000);
    expect(moving).toBeGreaterThan(0);
    expect(engine.transitionInProgress).toBe(true);
    expect(engine.accountsOn('canary')).toHaveLength(0); // still on stable while closing
    for (const e of events.slice(100, 140)) engine.process(e);
    expect(engine.transitionInProgress).toBe(false);
    expect(completions).toHaveLength(1);
    expect(engine.accountsOn('canary')).toHaveLength(moving);
    // The close was booked on stable (fees and the round trip), before the move.
    expect(engine.ledger.armTotals('stable').realizedPnl.equals(realizedBefore)).toBe(false);
    for (const e of events.slice(140, 160)) engine.process(e);
    for (const account of engine.accountsOn('canary')) {
      const q = engine.ledger.accountSnapshot(account.id).positions[0]!.quantity.toNumber();
      expect(q).toBeCloseTo(2, 2);
    }
  });

  it('samples both arms just before accounts move, so an arm emptied at a loss keeps its return', () => {
    const { engine, events } = longStable(5000);
    engine.positionsPolicy = 'handoff';
    const inputs: MetricsInput[] = [];
    engine.metricsInput$.subscribe((i) => inputs.push(i));
    for (const e of events.slice(0, 100)) engine.process(e); // long 2 % on canary since 1.1 s
    engine.process(quote(2_005_000, '97.99', '98.01')); // −2 % just after the 2 s sample
    const canaryBefore = engine.ledger.armEquityNum('canary').equity;
    engine.rollback();
    engine.process(quote(2_500_000, '97.99', '98.01'));
    engine.finish();
    const flowSamples = inputs.filter(
      (i): i is EquitySample => i.type === 'equity' && i.beforeFlow === true,
    );
    expect(flowSamples.map((i) => [i.tsUs, i.arm])).toEqual([
      [2_005_000, 'stable'],
      [2_005_000, 'canary'],
    ]);
    expect(flowSamples[1]).toMatchObject({ equity: canaryBefore });
    const curve = new EquityCurve();
    for (const i of inputs) {
      if (i.type === 'equity' && i.arm === 'canary') curve.add(i.tsUs, i.equity, i.contributed!);
    }
    // 2 % exposure, −2 % price: about −0.04 % plus fees and spread, never −100 %.
    expect(curve.returnPct).toBeLessThan(-0.03);
    expect(curve.returnPct).toBeGreaterThan(-0.2);
    expect(curve.equity).toBe(0);
  });

  it('books every flatten fill of one market event before the accounts leave: one flow, no compounding', () => {
    const { engine, events } = longStable(5000);
    engine.positionsPolicy = 'flatten';
    const inputs: MetricsInput[] = [];
    engine.metricsInput$.subscribe((i) => inputs.push(i));
    for (const e of events.slice(0, 100)) engine.process(e); // long 2 % on canary since 1.1 s
    const leaving = engine.rollback();
    expect(leaving).toBeGreaterThan(5);
    // Every closing order arrives after 1 ms: this one quote fills them all.
    engine.process(quote(2_000_000, '99.99', '100.01'));
    expect(engine.transitionInProgress).toBe(false);
    engine.process(quote(2_500_000, '99.99', '100.01'));
    engine.finish();
    const flowSamples = inputs.filter(
      (i): i is EquitySample => i.type === 'equity' && i.beforeFlow === true && i.arm === 'canary',
    );
    expect(flowSamples.map((i) => i.tsUs)).toEqual([2_000_000]);
    const curve = new EquityCurve();
    for (const i of inputs) {
      if (i.type === 'equity' && i.arm === 'canary') curve.add(i.tsUs, i.equity, i.contributed!);
    }
    // The arm's return is its accounts' P&L over their capital, as nothing else flowed: the
    // closing fees of the last accounts to leave are not compounded over a shrinking arm.
    const totals = engine.ledger.armTotals('canary');
    const capital = leaving * 10_000;
    const pnlPct = (totals.pnl.toNumber() / capital) * 100;
    expect(pnlPct).toBeLessThan(0);
    expect(curve.returnPct).toBeCloseTo(pnlPct, 8);
  });

  it('rollback sends every account to stable, canary pins included, and keeps them there', () => {
    const cfg = config({
      accounts: [
        ...accounts(30),
        { id: 'tester', capital: new Decimal('10000'), override: 'canary' },
      ],
      weightBps: 5000,
    });
    const engine = new TradingEngine(cfg, { stable: idle, canary: idle });
    expect(engine.accountsOn('canary').map((a) => a.id)).toContain('tester');
    engine.rollback();
    expect(engine.accountsOn('canary')).toHaveLength(0);
    engine.setWeightBps(10_000);
    expect(engine.accountsOn('canary')).toHaveLength(0);
    expect(cfg.accounts.every((a) => engine.router.route(a.id) === 'stable')).toBe(true);
  });

  it('promotion moves every account to the canary version at once, pins and exclusions too', () => {
    const cfg = config({
      accounts: [
        ...accounts(30),
        { id: 'vip', capital: new Decimal('10000'), override: 'stable' },
        { id: 'mm', capital: new Decimal('10000'), override: 'exclude' },
      ],
      weightBps: 100,
    });
    const engine = new TradingEngine(cfg, { stable: idle, canary: idle });
    engine.promote();
    expect(engine.accountsOn('stable')).toHaveLength(0);
    expect(engine.accountsOn('canary')).toHaveLength(32);
    expect(engine.ledger.armTotals('canary').accounts).toBe(32);
  });

  it('a shadow step trades paper copies of the stable accounts with the canary strategy', () => {
    const events = tape(300);
    const cfg = config({ accounts: accounts(10), weightBps: 0 });
    const engine = new TradingEngine(cfg, {
      stable: scripted('s@1', new Map([[events[10]!.tsUs, 0.01]])),
      canary: scripted('c@1', new Map([[events[10]!.tsUs, 0.02]])),
    });
    const inputs: MetricsInput[] = [];
    engine.metricsInput$.subscribe((i) => inputs.push(i));
    engine.startShadow();
    expect(engine.paperAccounts).toBe(10);
    for (const e of events.slice(0, 100)) engine.process(e);
    const paperFills = inputs.filter((i) => i.type === 'fill' && i.arm === 'canary');
    expect(paperFills).toHaveLength(10);
    expect(engine.accountsOn('canary')).toHaveLength(0); // no real account on canary
    expect(engine.canaryExposure()).toMatchObject({ accounts: 0, capital: 0 });
    expect(engine.paperLedger.armTotals('canary').accounts).toBe(10);
    expect(engine.canaryEquityNum().accounts).toBe(10);
    // The real books are untouched by paper trading.
    expect(engine.ledger.armTotals('canary').accounts).toBe(0);
    expect(engine.ledger.armTotals('stable').fees.toString()).not.toBe('0');
    engine.endShadow();
    expect(engine.paperAccounts).toBe(0);
    expect(engine.paperLedger.armTotals('canary').accounts).toBe(0);
    // Paper equity left as a flow: the canary series' contributed moved with it.
    expect(engine.canaryEquityNum().equity).toBeCloseTo(0, 9);
  });

  it('does not send orders worth less than the minimum notional, and counts them', () => {
    const events = tape(50);
    const cfg = config({ accounts: [{ id: 'tiny', capital: new Decimal('100') }], weightBps: 0 });
    const engine = new TradingEngine(cfg, {
      stable: scripted('s@1', new Map([[events[5]!.tsUs, 0.01]])), // 1 USDT of BTC < 5
      canary: idle,
    });
    const reports: ExecutionReport[] = [];
    engine.executions$.subscribe((r) => reports.push(r));
    for (const e of events) engine.process(e);
    expect(reports).toHaveLength(0);
    expect(engine.activity('stable').ordersBelowMinNotional).toBe(1);
  });

  it('moves a leaving account with the dust the venue refuses to close, and tries again next time', () => {
    // 0.30000014 × 16.666658888892517 is 5 in floats (the engine sends the close) and
    // 4.9999999999999995… exactly (the venue refuses it as below its 5 USDT minimum).
    const held = 0.30000014;
    const dustPrice = '16.666658888892517';
    const cfg = config({ accounts: [{ id: 'a1', capital: new Decimal('1000') }], weightBps: 0 });
    const buyOnce: Strategy = {
      id: 'buy-once@1',
      onMarketEvent: (event) =>
        event.tsUs === 1_000_000 ? { symbol: SYMBOL, exposure: 0.01, reason: 'scripted' } : null,
      targetQuantity: () => held,
    };
    const engine = new TradingEngine(cfg, { stable: buyOnce, canary: idle });
    engine.positionsPolicy = 'flatten';
    const reports: ExecutionReport[] = [];
    engine.executions$.subscribe((r) => reports.push(r));
    const completions: number[] = [];
    engine.transitionComplete$.subscribe((t) => completions.push(t));
    engine.process(trade(1_000_000, '20'));
    engine.process(trade(1_010_000, '20'));
    engine.process(trade(1_020_000, dustPrice));
    expect(reports.map((r) => r.type)).toEqual(['fill']);
    const position = (): string =>
      engine.ledger.accountSnapshot('a1').positions[0]!.quantity.toFixed();

    expect(engine.setWeightBps(10_000)).toBe(1);
    const refused = reports.slice(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ type: 'reject', reason: 'MIN_NOTIONAL', side: 'sell' });
    expect(engine.transitionInProgress).toBe(false);
    expect(completions).toEqual([1_020_000]);
    expect(engine.accountsOn('canary').map((a) => a.id)).toEqual(['a1']);
    expect(position()).toBe('0.30000014'); // moved as it is

    // The dust was the move's: leaving again, the account tries to close once more.
    engine.process(trade(1_030_000, dustPrice));
    expect(engine.setWeightBps(0)).toBe(1);
    expect(reports.slice(2).map((r) => (r.type === 'reject' ? r.reason : r.type))).toEqual([
      'MIN_NOTIONAL',
    ]);
    expect(engine.accountsOn('stable').map((a) => a.id)).toEqual(['a1']);
    expect(position()).toBe('0.30000014');
  });

  it('records the weight in effect after each transition: 0 after rollback, 100 % after promotion', () => {
    const events = tape(300);
    const weights = (engine: TradingEngine): number[] =>
      engine.exposureHistory().map((p) => p.weightBps);
    const rolledBack = new TradingEngine(config({ accounts: accounts(40), weightBps: 2000 }), {
      stable: idle,
      canary: idle,
    });
    for (const e of events.slice(0, 100)) rolledBack.process(e);
    rolledBack.rollback();
    for (const e of events.slice(100)) rolledBack.process(e);
    rolledBack.finish();
    expect(weights(rolledBack)).toEqual([2000, 0]);
    expect(rolledBack.exposureHistory().at(-1)).toMatchObject({ accounts: 0, capital: 0 });

    const promoted = new TradingEngine(config({ accounts: accounts(40), weightBps: 2000 }), {
      stable: idle,
      canary: idle,
    });
    for (const e of events.slice(0, 100)) promoted.process(e);
    promoted.promote();
    for (const e of events.slice(100)) promoted.process(e);
    promoted.finish();
    expect(weights(promoted)).toEqual([2000, 10_000]);
    expect(promoted.exposureHistory().at(-1)).toMatchObject({ accounts: 40, capital: 400_000 });
  });

  it('integrates the canary’s real capital over event time', () => {
    const events = tape(601); // 1 s → 7 s
    const cfg = config({ accounts: accounts(10, '6000'), weightBps: 10_000 });
    const engine = new TradingEngine(cfg, { stable: idle, canary: idle });
    for (const e of events) engine.process(e);
    const exposure = engine.canaryExposure();
    expect(exposure).toMatchObject({ accounts: 10, capital: 60_000, maxAccounts: 10 });
    // 60,000 of capital for the 6 s the run lasted: 60,000 × 0.1 min.
    expect(exposure.capitalMinutes).toBeCloseTo(6_000, 6);
  });
});

describe('TradingEngine: execution faults that follow the rollout', () => {
  it('tells the broker the canary weight whenever routing changes', () => {
    const engine = new TradingEngine(config({ weightBps: 1500 }), { stable: idle, canary: idle });
    const weight = () => engine.broker.canaryWeightBps;
    expect(weight()).toBe(1500);
    engine.setWeightBps(3000);
    expect(weight()).toBe(3000);
    engine.holdAllOnStable(); // kill switch: no real account on the canary
    expect(weight()).toBe(0);
    engine.startShadow(); // paper only
    expect(weight()).toBe(0);
    engine.goLive(2500);
    expect(weight()).toBe(2500);
    engine.rollback();
    expect(weight()).toBe(0);
    engine.goLive(1000);
    engine.promote();
    expect(weight()).toBe(10_000);
  });

  it('applies weight-conditional faults to the canary orders sent once the weight reaches them', () => {
    const events = tape(300);
    const cfg = config({
      accounts: accounts(40),
      weightBps: 1000,
      injections: parseInjectSpecs(['canary:slippage=+3bp,from=25%']),
    });
    const engine = new TradingEngine(cfg, {
      stable: scripted('s@1', new Map([[events[10]!.tsUs, 0.01]])),
      canary: scripted('c@1', new Map([[events[10]!.tsUs, 0.02]])),
    });
    engine.positionsPolicy = 'handoff';
    const fills: FillReport[] = [];
    engine.executions$.subscribe((r) => {
      if (r.type === 'fill') fills.push(r);
    });
    for (const e of events.slice(0, 100)) engine.process(e);
    const early = fills.filter((f) => f.arm === 'canary');
    expect(early.length).toBeGreaterThan(0);
    for (const f of early) expect(f.price.toString()).toBe('100.01'); // 10 %: off
    engine.setWeightBps(5000);
    for (const e of events.slice(100, 200)) engine.process(e);
    const late = fills.filter((f) => f.arm === 'canary').slice(early.length);
    expect(late.length).toBeGreaterThan(0);
    // 50 %: 100.01 × 1.0003 = 100.040003, filled on the tape's 0.01 tick
    for (const f of late) expect(f.price.toString()).toBe('100.04');
    for (const f of fills.filter((f) => f.arm === 'stable')) {
      expect(['100.01', '100.00']).toContain(f.price.toString()); // stable: never
    }
  });

  it('gives a shadow step’s paper copy the slippage offset of the account it copies', () => {
    const events = tape(100);
    const buyAt = new Map([[events[10]!.tsUs, 0.01]]);
    const cfg = config({
      accounts: accounts(10),
      weightBps: 0,
      execution: {
        ...config().execution,
        accountSlippageSdBps: 2,
      },
    });
    const engine = new TradingEngine(cfg, {
      stable: scripted('s@1', buyAt),
      canary: scripted('c@1', buyAt),
    });
    const fills: FillReport[] = [];
    engine.executions$.subscribe((r) => {
      if (r.type === 'fill') fills.push(r);
    });
    engine.holdAllOnStable();
    engine.startShadow();
    for (const e of events) engine.process(e);
    const prices = new Set<string>();
    for (const account of cfg.accounts) {
      const real = fills.find((f) => f.accountId === account.id)!;
      const paper = fills.find((f) => f.accountId === `paper:${account.id}`)!;
      expect(real.arm).toBe('stable');
      expect(paper.arm).toBe('canary');
      expect(paper.price.toString()).toBe(real.price.toString());
      expect(engine.broker.accountSlippageBps(paper.accountId)).toBe(
        accountSlippageBps(cfg.seed, account.id, 2),
      );
      prices.add(real.price.toString());
    }
    // Every account has its own offset; on the tape's 0.01 tick (2 bp is 0.02) a few prices.
    const offsets = new Set(cfg.accounts.map((a) => engine.broker.accountSlippageBps(a.id)));
    expect(offsets.size).toBe(10);
    expect(prices.size).toBeGreaterThan(1);
  });
});
