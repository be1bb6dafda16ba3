import { Subject } from 'rxjs';
import type { Account } from '../core/account.js';
import { ARMS, type Arm } from '../core/arm.js';
import { EventClock } from '../core/event-clock.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { decimalToFloat } from '../core/decimal-to-float.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import type { Strategy, TargetPosition } from '../core/strategy.js';
import { US_PER_MS } from '../core/time.js';
import { SimulatedBroker } from '../execution/index.js';
import { Ledger } from '../ledger/index.js';
import { IntervalBoundaries, type MetricsInput } from '../metrics/index.js';
import { overridesOf, Router } from '../router/index.js';
import { stepsToDecimalString } from './quantity-steps.js';
import type { EngineConfig } from './replay-config.js';

/** One account as the engine tracks it on its arm: sizing inputs and orders in flight. */
interface AccountSlot {
  readonly account: Account;
  readonly capitalNum: number;
  /** Signed quantity sent but not yet filled or rejected, per symbol, in integer quantity steps. */
  readonly pendingSteps: Map<string, number>;
}

/** Per-arm runtime: its strategy, its accounts and what it has done. */
interface ArmRuntime {
  readonly arm: Arm;
  readonly strategy: Strategy;
  readonly slots: AccountSlot[];
  targetChanges: number;
  strategyErrors: number;
  firstStrategyError: string | null;
  orderSeq: number;
}

/** Float view of a symbol's market, for decision prices. */
interface SymbolState {
  mid: number;
  lastTrade: number;
}

/** What the engine counted beyond the metrics stream. */
export interface ArmActivity {
  readonly targetChanges: number;
  readonly strategyErrors: number;
  readonly firstStrategyError: string | null;
}

/**
 * The synchronous heart of a run: one call per market event, in event-time order. For each event
 * it fills the orders that have reached the market, marks the ledger, asks each arm's strategy
 * once, turns a changed target into one order per account on that arm, and samples equity on
 * the event-time interval. Everything it observes goes out on {@link TradingEngine.metricsInput$}
 * and {@link TradingEngine.executions$}; the replay and live drivers only feed it events.
 */
export class TradingEngine {
  readonly clock = new EventClock();
  readonly router: Router;
  readonly ledger: Ledger;
  readonly broker: SimulatedBroker;
  /** Every fill and reject, as it happens. */
  readonly executions$ = new Subject<ExecutionReport>();
  /** Orders, executions, strategy errors and equity samples: the metrics pipeline's input. */
  readonly metricsInput$ = new Subject<MetricsInput>();

  readonly #arms: Record<Arm, ArmRuntime>;
  readonly #slotsById = new Map<string, AccountSlot>();
  readonly #symbols = new Map<string, SymbolState>();
  readonly #boundaries: IntervalBoundaries;
  readonly #quantityDecimals: number;
  readonly #quantityScale: number;
  readonly #emitReport = (report: ExecutionReport): void => this.#onReport(report);
  readonly #emitEquityAt = (tsUs: number): void => this.#emitEquity(tsUs);

  constructor(config: EngineConfig, strategies: Readonly<Record<Arm, Strategy>>) {
    this.#boundaries = new IntervalBoundaries(
      Math.max(1, Math.round(config.sampleIntervalMs * US_PER_MS)),
    );
    this.#quantityDecimals = config.quantityDecimals;
    this.#quantityScale = 10 ** config.quantityDecimals;
    this.router = new Router({
      salt: config.salt,
      weightBps: config.weightBps,
      overrides: overridesOf(config.accounts),
    });
    this.#arms = {
      stable: newArmRuntime('stable', strategies.stable),
      canary: newArmRuntime('canary', strategies.canary),
    };
    const assignments = config.accounts.map((account) => ({
      account,
      arm: this.router.route(account.id),
    }));
    for (const { account, arm } of assignments) {
      const slot: AccountSlot = {
        account,
        capitalNum: account.capital.toNumber(),
        pendingSteps: new Map(),
      };
      this.#slotsById.set(account.id, slot);
      this.#arms[arm].slots.push(slot);
    }
    this.ledger = new Ledger(assignments);
    this.broker = new SimulatedBroker({
      config: config.execution,
      injections: config.injections,
      seed: config.seed,
      buyingPower: (order, fillPrice) =>
        this.ledger.canAfford(order, fillPrice, config.maxLeverage),
    });
  }

  /** Feeds one market event; events must come in non-decreasing event time. */
  process(event: MarketEvent): void {
    const nowUs = this.clock.advance(event.tsUs);
    // Samples at each boundary this event passes: taken after every event up to the boundary.
    this.#boundaries.passTo(nowUs, this.#emitEquityAt);
    this.ledger.mark(event);
    const symbol = this.#symbolState(event.symbol);
    if (event.type === 'quote') symbol.mid = (event.bidPriceNum + event.askPriceNum) / 2;
    else symbol.lastTrade = event.priceNum;
    this.broker.onMarketEvent(event, this.#emitReport);
    for (const arm of ARMS) {
      const runtime = this.#arms[arm];
      const target = this.#decide(runtime, event);
      if (target !== null) this.#rebalance(runtime, target, nowUs, symbol);
    }
  }

  /**
   * Ends the run: orders still in flight expire, a last equity sample is taken at the last event
   * time, and the streams complete.
   */
  finish(): void {
    const nowUs = this.clock.nowUs;
    this.broker.expirePending(nowUs, this.#emitReport);
    this.#emitEquity(nowUs);
    this.executions$.complete();
    this.metricsInput$.complete();
  }

  /** Target changes and strategy errors per arm. */
  activity(arm: Arm): ArmActivity {
    const runtime = this.#arms[arm];
    return {
      targetChanges: runtime.targetChanges,
      strategyErrors: runtime.strategyErrors,
      firstStrategyError: runtime.firstStrategyError,
    };
  }

  /** The accounts currently on an arm. */
  accountsOn(arm: Arm): readonly Account[] {
    return this.#arms[arm].slots.map((slot) => slot.account);
  }

  #symbolState(symbol: string): SymbolState {
    let state = this.#symbols.get(symbol);
    if (state === undefined) {
      state = { mid: Number.NaN, lastTrade: Number.NaN };
      this.#symbols.set(symbol, state);
    }
    return state;
  }

  /** The strategy's new target, or null; a throw or an invalid target counts as a strategy error. */
  #decide(runtime: ArmRuntime, event: MarketEvent): TargetPosition | null {
    let target: TargetPosition | null;
    try {
      target = runtime.strategy.onMarketEvent(event);
    } catch (error) {
      this.#strategyError(runtime, event.tsUs, `onMarketEvent threw: ${describeError(error)}`);
      return null;
    }
    if (target === null || target === undefined) return null;
    const problem = invalidTarget(target, event.symbol);
    if (problem !== null) {
      this.#strategyError(runtime, event.tsUs, `invalid target: ${problem}`);
      return null;
    }
    return target;
  }

  #rebalance(
    runtime: ArmRuntime,
    target: TargetPosition,
    nowUs: number,
    symbol: SymbolState,
  ): void {
    runtime.targetChanges++;
    const price = Number.isNaN(symbol.mid) ? symbol.lastTrade : symbol.mid;
    if (!(price > 0)) return;
    const strategy = runtime.strategy;
    const scale = this.#quantityScale;
    for (const slot of runtime.slots) {
      const view = this.ledger.accountView(slot.account.id, target.symbol);
      const pendingSteps = slot.pendingSteps.get(target.symbol) ?? 0;
      const position = view.position + pendingSteps / scale;
      let wanted: number;
      try {
        wanted = strategy.targetQuantity(
          target,
          { accountId: slot.account.id, capital: slot.capitalNum, equity: view.equity, position },
          price,
        );
      } catch (error) {
        this.#strategyError(runtime, nowUs, `targetQuantity threw: ${describeError(error)}`);
        continue;
      }
      if (!Number.isFinite(wanted)) {
        this.#strategyError(runtime, nowUs, `targetQuantity returned ${String(wanted)}`);
        continue;
      }
      const steps = Math.round((wanted - position) * scale);
      if (steps === 0) continue;
      const order: Order = {
        orderId: `${runtime.arm}-${++runtime.orderSeq}`,
        accountId: slot.account.id,
        arm: runtime.arm,
        symbol: target.symbol,
        side: steps > 0 ? 'buy' : 'sell',
        quantity: new Decimal(stepsToDecimalString(Math.abs(steps), this.#quantityDecimals)),
        decisionTsUs: nowUs,
        decisionPrice: price,
      };
      this.metricsInput$.next({ type: 'order', tsUs: nowUs, arm: runtime.arm });
      slot.pendingSteps.set(target.symbol, pendingSteps + steps);
      const rejected = this.broker.submit(order, nowUs);
      if (rejected !== null) this.#onReport(rejected);
    }
  }

  #onReport(report: ExecutionReport): void {
    const slot = this.#slotsById.get(report.accountId);
    if (slot !== undefined) {
      const steps = Math.round(decimalToFloat(report.quantity) * this.#quantityScale);
      const signed = report.side === 'buy' ? steps : -steps;
      slot.pendingSteps.set(report.symbol, (slot.pendingSteps.get(report.symbol) ?? 0) - signed);
    }
    if (report.type === 'fill') this.ledger.applyFill(report);
    this.executions$.next(report);
    this.metricsInput$.next(report);
  }

  #strategyError(runtime: ArmRuntime, tsUs: number, message: string): void {
    runtime.strategyErrors++;
    runtime.firstStrategyError ??= message;
    this.metricsInput$.next({ type: 'strategy-error', tsUs, arm: runtime.arm, message });
  }

  #emitEquity(tsUs: number): void {
    for (const arm of ARMS) {
      const { equity, capital, contributed } = this.ledger.armEquityNum(arm);
      this.metricsInput$.next({ type: 'equity', tsUs, arm, equity, capital, contributed });
    }
  }
}

function newArmRuntime(arm: Arm, strategy: Strategy): ArmRuntime {
  return {
    arm,
    strategy,
    slots: [],
    targetChanges: 0,
    strategyErrors: 0,
    firstStrategyError: null,
    orderSeq: 0,
  };
}

function invalidTarget(target: TargetPosition, symbol: string): string | null {
  if (typeof target !== 'object') return `expected an object, got ${typeof target}`;
  if (target.symbol !== symbol)
    return `symbol "${String(target.symbol)}" is not the event's "${symbol}"`;
  if (typeof target.exposure !== 'number' || !Number.isFinite(target.exposure)) {
    return `exposure ${String(target.exposure)} is not a finite number`;
  }
  if (Math.abs(target.exposure) > 1) return `exposure ${target.exposure} is outside [-1, 1]`;
  return null;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
