import { Subject } from 'rxjs';
import type { Account } from '../core/account.js';
import { ARMS, otherArm, type Arm } from '../core/arm.js';
import { decimalToFloat } from '../core/decimal-to-float.js';
import { EventClock } from '../core/event-clock.js';
import { HotSubject } from '../core/hot-subject.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import type { Strategy, TargetPosition } from '../core/strategy.js';
import { US_PER_MS } from '../core/time.js';
import { SimulatedBroker, SimulatedFill } from '../execution/index.js';
import { Ledger, type ArmEquityNum, type LedgerAccount } from '../ledger/index.js';
import {
  IntervalBoundaries,
  type EquitySample,
  type MetricsInput,
  type OrderSent,
} from '../metrics/index.js';
import { overridesOf, Router } from '../router/index.js';
import { DecisionTimer, type DecisionTime } from './decision-timer.js';
import { engineOrderCodec } from './engine-order-codec.js';
import { EngineOrder, type OrderDecision } from './engine-order.js';
import { PendingSteps } from './pending-steps.js';
import type { EngineConfig } from './replay-config.js';

/**
 * What happens to an account's positions when it changes arm (rollback, promotion, a step):
 * - `flatten`: the leaving arm closes them through the execution path (P&L booked on the leaving
 *   arm); the account joins the other arm flat;
 * - `handoff`: they move as they are; the receiving arm's strategy takes them over at once (it
 *   rebalances the account to its current target).
 */
export type PositionsPolicy = 'flatten' | 'handoff';

/** Prefix of the ids of the shadow step's paper accounts. */
export const PAPER_ID_PREFIX = 'paper:';

/** One account as the engine tracks it: its arm, sizing inputs and orders in flight. */
interface AccountSlot {
  readonly account: Account;
  readonly capitalNum: number;
  /** A shadow step's paper copy of a stable account: traded by the canary strategy, never routed. */
  readonly paper: boolean;
  readonly ledger: Ledger;
  /** The account's books in `ledger` (no lookup by id on the fill path). */
  readonly books: LedgerAccount;
  arm: Arm;
  /** Moving to the other arm, waiting for its positions to be closed (flatten policy). */
  leaving: boolean;
  /** A paper account whose shadow step is over: it sends no more orders and is closed when idle. */
  retiring: boolean;
  /** The account's row in the engine's {@link PendingSteps}. */
  readonly row: number;
  /**
   * Symbols whose closing order the venue refused as below its minimum: dust, moves as it is.
   * Null while there is none, as almost always: no set for each of 100,000 accounts.
   */
  dust: Set<string> | null;
}

/** Per-arm runtime: its strategy, its accounts, its current targets and what it has done. */
interface ArmRuntime {
  readonly arm: Arm;
  readonly strategy: Strategy;
  readonly slots: Set<AccountSlot>;
  /** The strategy's latest target per symbol, to rebalance accounts that join the arm. */
  readonly targets: Map<string, TargetPosition>;
  targetChanges: number;
  strategyErrors: number;
  firstStrategyError: string | null;
  orderSeq: number;
  /** The decision of the arm's last order: the next orders of the same decision share it. */
  lastDecision: OrderDecision | null;
  /**
   * The metrics record of the arm's last real and last paper order: the orders sent at one event
   * time share it (the same immutable value: one object, and its boxed time, fewer per order).
   */
  lastOrderSent: OrderSent | null;
  lastPaperOrderSent: OrderSent | null;
  /** Orders not sent because their value was below the venue's minimum (dust). */
  ordersBelowMinNotional: number;
  /** Wall-clock time of the strategy's decisions (sampled; never in report.json). */
  readonly timer: DecisionTimer;
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
  readonly ordersBelowMinNotional: number;
}

/** The canary's real exposure (paper excluded): now, at its maximum, and integrated over event time. */
export interface CanaryExposureTrack {
  readonly accounts: number;
  readonly capital: number;
  /** The most real accounts on the canary at any point of the run, from its first event on. */
  readonly maxAccounts: number;
  /** The most starting capital of them, likewise. */
  readonly maxCapital: number;
  /** ∫ canary capital dt, quote currency × minutes (capital-minutes exposed). */
  readonly capitalMinutes: number;
}

/** The canary's real exposure from `tsUs` on (a step: until the next point). */
export interface CanaryExposurePoint {
  readonly tsUs: number;
  /**
   * The canary weight in effect, bps: the router's weight while the canary is live, 0 under the
   * kill switch (before the first live step, in shadow, after rollback), 10,000 after promotion.
   */
  readonly weightBps: number;
  /** Real accounts on the canary, and their starting capital (float). */
  readonly accounts: number;
  readonly capital: number;
}

/**
 * The synchronous heart of a run: one call per market event, in event-time order. For each event
 * it fills the orders that have reached the market, marks the ledgers, asks each arm's strategy
 * once, turns a changed target into one order per account on that arm, and samples equity on
 * the event-time interval. Accounts move between arms when the weight changes, on rollback and on
 * promotion ({@link TradingEngine.setWeightBps}, {@link TradingEngine.rollback},
 * {@link TradingEngine.promote}); a shadow step trades paper copies of the stable accounts with
 * the canary strategy. Everything it observes goes out on {@link TradingEngine.metricsInput$} and
 * {@link TradingEngine.executions$}; drivers only feed it events and commands.
 */
export class TradingEngine {
  readonly clock = new EventClock();
  readonly router: Router;
  /** The real accounts' books. */
  readonly ledger: Ledger;
  /** The shadow step's paper accounts' books (all on the canary arm). */
  readonly paperLedger: Ledger;
  readonly broker: SimulatedBroker<EngineOrder<AccountSlot>>;
  /** Every fill and reject, as it happens. */
  readonly executions$ = new HotSubject<ExecutionReport>();
  /** Orders, executions, strategy errors and equity samples: the metrics pipeline's input. */
  readonly metricsInput$ = new HotSubject<MetricsInput>();
  /** Emits the event time when an account move that was waiting on flattening is complete. */
  readonly transitionComplete$ = new Subject<number>();

  readonly #arms: Record<Arm, ArmRuntime>;
  /** The arms' runtimes in {@link ARMS} order (an index per event, not a keyed lookup). */
  readonly #armList: readonly ArmRuntime[];
  readonly #accounts: readonly Account[];
  readonly #slotsById = new Map<string, AccountSlot>();
  /** Every account's orders in flight, in quantity steps per symbol. */
  readonly #pending = new PendingSteps();
  readonly #symbols = new Map<string, SymbolState>();
  /** The last symbol looked up and its state: a feed's events mostly repeat their symbol. */
  #lastSymbol = '';
  #lastSymbolState: SymbolState | undefined = undefined;
  readonly #boundaries: IntervalBoundaries;
  readonly #quantityDecimals: number;
  readonly #quantityScale: number;
  readonly #minNotionalNum: number;
  #policy: PositionsPolicy = 'flatten';
  #leavingCount = 0;
  #paperAccountsCreated = 0;
  #exposure: {
    accounts: number;
    capital: number;
    capitalMinutes: number;
    sinceUs: number;
  } = { accounts: 0, capital: 0, capitalMinutes: 0, sinceUs: -1 };
  /** One point per change of the canary's weight or real accounts (same time: the last wins). */
  readonly #exposureHistory: CanaryExposurePoint[] = [];
  readonly #emitReport = (report: ExecutionReport, order: EngineOrder<AccountSlot>): void =>
    this.#onReport(report, order);
  readonly #emitEquityAt = (tsUs: number): void => this.#emitEquity(tsUs);
  /**
   * True while the arms' equity is unchanged since the last before-flow sample (no market event
   * and no fill since): more accounts moving at the same instant need no new sample.
   */
  #sampledBeforeFlow = false;
  /** True while the broker hands over the reports of one market event (or of the end of data). */
  #settling = false;
  /**
   * Leaving accounts flattened by the reports being handed over: they change arm together once
   * every report is booked, so one before-flow sample sees all their closing fills (one by one,
   * each account's costs would count against an arm shrinking under it, compounded).
   */
  readonly #flattened: AccountSlot[] = [];

  constructor(config: EngineConfig, strategies: Readonly<Record<Arm, Strategy>>) {
    this.#boundaries = new IntervalBoundaries(
      Math.max(1, Math.round(config.sampleIntervalMs * US_PER_MS)),
    );
    this.#quantityDecimals = config.quantityDecimals;
    this.#quantityScale = 10 ** config.quantityDecimals;
    this.#minNotionalNum = decimalToFloat(config.execution.minNotional);
    this.#accounts = config.accounts;
    this.router = new Router({
      salt: config.salt,
      weightBps: config.weightBps,
      overrides: overridesOf(config.accounts),
      ...(config.lane === undefined ? {} : { lane: config.lane }),
    });
    this.#arms = {
      stable: newArmRuntime('stable', strategies.stable, config.wallClockMs),
      canary: newArmRuntime('canary', strategies.canary, config.wallClockMs),
    };
    this.#armList = ARMS.map((arm) => this.#arms[arm]);
    const assignments = config.accounts.map((account) => ({
      account,
      arm: this.router.route(account.id),
    }));
    const ledgerOptions = { machineWords: config.bigintBooks !== true };
    this.ledger = new Ledger(assignments, ledgerOptions);
    this.paperLedger = new Ledger([], ledgerOptions);
    for (const { account, arm } of assignments) this.#addSlot(account, arm, this.ledger, false);
    this.broker = new SimulatedBroker<EngineOrder<AccountSlot>>({
      config: config.execution,
      injections: config.injections,
      seed: config.seed,
      buyingPower: (order, fillPrice) =>
        order.slot.ledger.canAfford(order, fillPrice, config.maxLeverage, order.slot.books, order),
      canaryWeightBps: this.#canaryWeightBps(),
      // A shadow step's paper copy executes like the account it copies (same slippage offset).
      offsetAccountOf: (accountId) =>
        this.#slotsById.get(accountId)?.paper === true
          ? accountId.slice(PAPER_ID_PREFIX.length)
          : accountId,
      // No order object of a large target change kept in flight: 90,000 of them were copied by
      // every young collection.
      inFlightCodec: engineOrderCodec<AccountSlot>(),
    });
    this.#updateExposure(0);
  }

  /** Feeds one market event; events must come in non-decreasing event time. */
  process(event: MarketEvent): void {
    const nowUs = this.clock.advance(event.tsUs);
    this.#sampledBeforeFlow = false; // marks move: the next flow needs a fresh sample
    // Exposure counts from the first event (its history starts there too).
    if (this.#exposure.sinceUs < 0) {
      this.#exposure.sinceUs = nowUs;
      this.#updateExposure(nowUs);
    }
    // Samples at each boundary this event passes: taken after every event up to the boundary.
    this.#boundaries.passTo(nowUs, this.#emitEquityAt);
    this.ledger.mark(event);
    this.paperLedger.mark(event);
    const symbol = this.#symbolState(event.symbol);
    if (event.type === 'quote') symbol.mid = (event.bidPriceNum + event.askPriceNum) / 2;
    else symbol.lastTrade = event.priceNum;
    this.#settling = true;
    this.broker.onMarketEvent(event, this.#emitReport);
    this.#settling = false;
    if (this.#flattened.length > 0) this.#completeFlattenedMoves(nowUs);
    const arms = this.#armList;
    for (let a = 0; a < arms.length; a++) {
      const runtime = arms[a]!;
      const target = this.#decide(runtime, event);
      if (target !== null) {
        runtime.targetChanges++;
        runtime.targets.set(target.symbol, target);
        for (const slot of runtime.slots) this.#rebalance(runtime, slot, target, nowUs);
      }
    }
  }

  /**
   * Ends the run: orders still in flight expire, a last equity sample is taken at the last event
   * time, and the streams complete.
   */
  finish(): void {
    const nowUs = this.clock.nowUs;
    this.#settling = true;
    this.broker.expirePending(nowUs, this.#emitReport);
    this.#settling = false;
    if (this.#flattened.length > 0) this.#completeFlattenedMoves(nowUs);
    this.#emitEquity(nowUs);
    this.#updateExposure(nowUs);
    this.executions$.complete();
    this.metricsInput$.complete();
    this.transitionComplete$.complete();
  }

  /** How positions move with accounts that change arm (default `flatten`). */
  set positionsPolicy(policy: PositionsPolicy) {
    this.#policy = policy;
  }

  get positionsPolicy(): PositionsPolicy {
    return this.#policy;
  }

  /** True while accounts are waiting for their positions to be closed before changing arm. */
  get transitionInProgress(): boolean {
    return this.#leavingCount > 0;
  }

  /**
   * Sets the canary weight and moves the accounts whose arm changes (raising the weight only moves
   * stable accounts to canary: the hash is monotone). Returns the number of accounts moving.
   */
  setWeightBps(weightBps: number): number {
    this.router.setWeightBps(weightBps);
    return this.#reassign();
  }

  /**
   * Before a rollout starts (and during its shadow step) no real account may trade the canary, canary
   * pins included: the kill switch holds every account on stable.
   */
  holdAllOnStable(): number {
    this.router.disableCanary();
    return this.#reassign();
  }

  /** A live step: ends a shadow step if one is on, lifts the kill switch, sets the weight. */
  goLive(weightBps: number): number {
    this.endShadow();
    this.router.setWeightBps(weightBps);
    this.router.enableCanary();
    return this.#reassign();
  }

  /** Rollback: the kill switch sends every account to stable (canary pins too), and paper stops. */
  rollback(): number {
    this.router.disableCanary();
    this.endShadow();
    return this.#reassign();
  }

  /** Promotion: every account moves to the canary version at once (pins and exclusions too). */
  promote(): number {
    this.router.promoteCanary();
    this.endShadow();
    return this.#reassign();
  }

  /**
   * Starts a shadow step: a paper copy of every stable account (same capital, id prefixed
   * `paper:`) joins the canary arm, traded by the canary strategy on the same market; its orders
   * are simulated and never sent (in replay, everything is). Real routing is unchanged.
   */
  startShadow(): void {
    for (const slot of [...this.#arms.stable.slots]) {
      if (slot.paper) continue;
      const paper: Account = {
        id: `${PAPER_ID_PREFIX}${slot.account.id}`,
        capital: slot.account.capital,
      };
      if (this.#slotsById.has(paper.id)) continue;
      this.#emitEquity(this.clock.nowUs, true);
      this.paperLedger.addAccount(paper, 'canary');
      this.#paperAccountsCreated++;
      const paperSlot = this.#addSlot(paper, 'canary', this.paperLedger, true);
      this.#joinTargets(this.#arms.canary, paperSlot, this.clock.nowUs);
    }
    this.#membershipChanged(this.clock.nowUs);
  }

  /** Ends a shadow step: paper accounts stop trading and are closed once their orders are in. */
  endShadow(): void {
    let retired = 0;
    for (const slot of [...this.#arms.canary.slots]) {
      if (!slot.paper || slot.retiring) continue;
      slot.retiring = true;
      retired++;
      this.#arms.canary.slots.delete(slot);
      this.#closeIfIdle(slot);
    }
    if (retired > 0) this.#membershipChanged(this.clock.nowUs);
  }

  /** Paper accounts created by shadow steps over the run. */
  get paperAccountsCreated(): number {
    return this.#paperAccountsCreated;
  }

  /** Paper accounts currently trading (a shadow step is on). */
  get paperAccounts(): number {
    let n = 0;
    for (const slot of this.#arms.canary.slots) if (slot.paper) n++;
    return n;
  }

  /** Target changes, strategy errors and dust orders per arm. */
  activity(arm: Arm): ArmActivity {
    const runtime = this.#arms[arm];
    return {
      targetChanges: runtime.targetChanges,
      strategyErrors: runtime.strategyErrors,
      firstStrategyError: runtime.firstStrategyError,
      ordersBelowMinNotional: runtime.ordersBelowMinNotional,
    };
  }

  /** The arm's strategy's wall-clock decision time per market event (sampled). */
  decisionTime(arm: Arm): DecisionTime {
    return this.#arms[arm].timer.summary;
  }

  /** The real accounts currently on an arm (paper accounts excluded). */
  accountsOn(arm: Arm): readonly Account[] {
    const accounts: Account[] = [];
    for (const slot of this.#arms[arm].slots) if (!slot.paper) accounts.push(slot.account);
    return accounts;
  }

  /** Every real account of the run. */
  get accounts(): readonly Account[] {
    return this.#accounts;
  }

  /**
   * The canary strategy's equity figures as floats: its real accounts, plus a shadow step's paper
   * accounts while any is open (what the analysis compares and the guardrails watch). Once the
   * last paper account is closed, real accounts only: paper P&L never counts against real limits.
   * O(symbols).
   */
  canaryEquityNum(): ArmEquityNum {
    return combine(this.ledger.armEquityNum('canary'), this.paperLedger.armEquityNum('canary'));
  }

  /** Paper accounts still open (trading, or retiring with orders in flight). O(1). */
  get paperAccountsOpen(): number {
    return this.paperLedger.openAccounts;
  }

  /**
   * The canary's real exposure over event time, as steps: a point at the first event and at every
   * change of the weight or of the canary's real accounts since.
   */
  exposureHistory(): readonly CanaryExposurePoint[] {
    return this.#exposureHistory;
  }

  /**
   * The canary's real exposure: now, its maxima over the run and its capital-minutes so far. The
   * maxima are over {@link exposureHistory}'s points, from the first event on: the accounts an
   * override routes to the canary before a plan's first step moves them back to stable at that
   * same first instant (a shadow step) were never exposed, and are not its maximum.
   */
  canaryExposure(): CanaryExposureTrack {
    this.#updateExposure(this.clock.nowUs);
    const { accounts, capital, capitalMinutes } = this.#exposure;
    let maxAccounts = 0;
    let maxCapital = 0;
    for (const point of this.#exposureHistory) {
      maxAccounts = Math.max(maxAccounts, point.accounts);
      maxCapital = Math.max(maxCapital, point.capital);
    }
    return { accounts, capital, maxAccounts, maxCapital, capitalMinutes };
  }

  #addSlot(account: Account, arm: Arm, ledger: Ledger, paper: boolean): AccountSlot {
    const slot: AccountSlot = {
      account,
      capitalNum: account.capital.toNumber(),
      paper,
      ledger,
      books: ledger.account(account.id),
      arm,
      leaving: false,
      retiring: false,
      row: this.#pending.newRow(),
      dust: null,
    };
    this.#slotsById.set(account.id, slot);
    this.#arms[arm].slots.add(slot);
    return slot;
  }

  /**
   * The canary's routing weight in effect, bps: the router's weight while the canary is live, 0
   * while the kill switch holds every account on stable (before a rollout's first live step, in
   * shadow, after rollback), 100 % after promotion.
   */
  #canaryWeightBps(): number {
    if (this.router.promoted) return 10_000;
    return this.router.canaryEnabled ? this.router.weightBps : 0;
  }

  /**
   * Moves every real account whose routed arm differs from its current one. Every routing change
   * (weight, kill switch, promotion) comes through here, so here the broker learns the weight:
   * orders submitted from now on get the faults in effect at it.
   */
  #reassign(): number {
    this.broker.setCanaryWeightBps(this.#canaryWeightBps());
    const nowUs = this.clock.nowUs;
    let moving = 0;
    for (const runtime of [this.#arms.stable, this.#arms.canary]) {
      for (const slot of [...runtime.slots]) {
        if (slot.paper || slot.leaving) continue;
        const to = this.router.route(slot.account.id);
        if (to === slot.arm) continue;
        moving++;
        if (this.#policy === 'handoff' || this.#isFlat(slot)) this.#completeMove(slot, nowUs);
        else this.#startLeaving(slot, nowUs);
      }
    }
    if (moving > 0) this.#membershipChanged(nowUs);
    this.#updateExposure(nowUs);
    return moving;
  }

  #startLeaving(slot: AccountSlot, nowUs: number): void {
    slot.leaving = true;
    this.#leavingCount++;
    this.#flattenStep(slot, nowUs);
    if (this.#isFlat(slot)) this.#completeMove(slot, nowUs);
  }

  /**
   * Sends a closing order for every position of a leaving account that has none in flight (after
   * a reject, the next report sends it again).
   */
  #flattenStep(slot: AccountSlot, nowUs: number): void {
    const runtime = this.#arms[slot.arm];
    for (const position of slot.ledger.accountSnapshot(slot.account.id).positions) {
      const symbol = position.symbol;
      if (this.#pending.get(slot.row, symbol) !== 0 || slot.dust?.has(symbol) === true) continue;
      const held = decimalToFloat(position.quantity);
      if (Math.abs(held) * this.#decisionPrice(symbol) < this.#minNotionalNum) continue;
      this.#sendOrder(runtime, slot, symbol, 0, held, nowUs, true);
    }
  }

  /** The account joins the other arm, and that arm's strategy takes it over at once. */
  #completeMove(slot: AccountSlot, nowUs: number): void {
    const from = this.#arms[slot.arm];
    const to = this.#arms[otherArm(slot.arm)];
    if (slot.leaving) {
      slot.leaving = false;
      this.#leavingCount--;
    }
    slot.dust = null;
    this.#emitEquity(nowUs, true);
    from.slots.delete(slot);
    to.slots.add(slot);
    slot.arm = to.arm;
    slot.ledger.moveAccount(slot.account.id, to.arm);
    this.#joinTargets(to, slot, nowUs);
    this.#membershipChanged(nowUs);
    this.#updateExposure(nowUs);
  }

  /** Moves the accounts the last reports flattened, after one before-flow sample of them all. */
  #completeFlattenedMoves(nowUs: number): void {
    const slots = this.#flattened;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.leaving) this.#completeMove(slot, nowUs);
    }
    slots.length = 0;
    if (this.#leavingCount === 0) this.transitionComplete$.next(nowUs);
  }

  #membershipChanged(tsUs: number): void {
    this.metricsInput$.next({ type: 'membership', tsUs });
  }

  /** Rebalances a newly joined account to every current target of its arm. */
  #joinTargets(runtime: ArmRuntime, slot: AccountSlot, nowUs: number): void {
    for (const target of runtime.targets.values()) this.#rebalance(runtime, slot, target, nowUs);
  }

  /** Flat means no order in flight and every position below the minimum order value (dust). */
  #isFlat(slot: AccountSlot): boolean {
    if (this.#pending.any(slot.row)) return false;
    for (const position of slot.ledger.accountSnapshot(slot.account.id).positions) {
      if (slot.dust?.has(position.symbol) === true) continue;
      const price = this.#decisionPrice(position.symbol);
      const notional = Math.abs(decimalToFloat(position.quantity)) * (price > 0 ? price : 0);
      if (notional >= this.#minNotionalNum) return false;
    }
    return true;
  }

  #symbolState(symbol: string): SymbolState {
    let state = this.#knownSymbolState(symbol);
    if (state === undefined) {
      state = { mid: Number.NaN, lastTrade: Number.NaN };
      this.#symbols.set(symbol, state);
      this.#lastSymbol = symbol;
      this.#lastSymbolState = state;
    }
    return state;
  }

  #knownSymbolState(symbol: string): SymbolState | undefined {
    if (symbol === this.#lastSymbol && this.#lastSymbolState !== undefined) {
      return this.#lastSymbolState;
    }
    const state = this.#symbols.get(symbol);
    if (state !== undefined) {
      this.#lastSymbol = symbol;
      this.#lastSymbolState = state;
    }
    return state;
  }

  /** The decision price: the mid of the last quote, else the last trade, else NaN. */
  #decisionPrice(symbol: string): number {
    const state = this.#knownSymbolState(symbol);
    if (state === undefined) return Number.NaN;
    return Number.isNaN(state.mid) ? state.lastTrade : state.mid;
  }

  /** The strategy's new target, or null; a throw or an invalid target counts as a strategy error. */
  #decide(runtime: ArmRuntime, event: MarketEvent): TargetPosition | null {
    let target: TargetPosition | null;
    const timer = runtime.timer;
    const startMs = timer.sampleThis() ? timer.now() : Number.NaN;
    try {
      target = runtime.strategy.onMarketEvent(event);
    } catch (error) {
      this.#strategyError(runtime, event.tsUs, `onMarketEvent threw: ${describeError(error)}`);
      return null;
    } finally {
      if (!Number.isNaN(startMs)) timer.record(timer.now() - startMs);
    }
    if (target === null || target === undefined) return null;
    const problem = invalidTarget(target, event.symbol);
    if (problem !== null) {
      this.#strategyError(runtime, event.tsUs, `invalid target: ${problem}`);
      return null;
    }
    return target;
  }

  /** Sizes one account for a target and sends the difference as an order. */
  #rebalance(runtime: ArmRuntime, slot: AccountSlot, target: TargetPosition, nowUs: number): void {
    if (slot.leaving || slot.retiring) return;
    const price = this.#decisionPrice(target.symbol);
    if (!(price > 0)) return;
    const ledger = slot.ledger;
    const position =
      ledger.positionNum(slot.books, target.symbol) +
      this.#pending.get(slot.row, target.symbol) / this.#quantityScale;
    let wanted: number;
    try {
      wanted = runtime.strategy.targetQuantity(
        target,
        {
          accountId: slot.account.id,
          capital: slot.capitalNum,
          equity: ledger.equityNum(slot.books),
          position,
        },
        price,
      );
    } catch (error) {
      this.#strategyError(runtime, nowUs, `targetQuantity threw: ${describeError(error)}`);
      return;
    }
    if (!Number.isFinite(wanted)) {
      this.#strategyError(runtime, nowUs, `targetQuantity returned ${String(wanted)}`);
      return;
    }
    this.#sendOrder(runtime, slot, target.symbol, wanted, position, nowUs, false);
  }

  /**
   * Sends the order that takes `slot` from `position` to `wanted` in `symbol`, rounded to the
   * quantity step. An order worth less than the venue's minimum is not sent (counted as dust),
   * except to close a position completely.
   */
  #sendOrder(
    runtime: ArmRuntime,
    slot: AccountSlot,
    symbol: string,
    wanted: number,
    position: number,
    nowUs: number,
    closing: boolean,
  ): void {
    const price = this.#decisionPrice(symbol);
    if (!(price > 0)) return;
    const scale = this.#quantityScale;
    const steps = Math.round((wanted - position) * scale);
    if (steps === 0) return;
    const size = Math.abs(steps);
    if (!closing && (size / scale) * price < this.#minNotionalNum) {
      runtime.ordersBelowMinNotional++;
      return;
    }
    if (size > Number.MAX_SAFE_INTEGER) {
      // Steps are whole floats everywhere after this (pending steps, the books, the order's
      // decimal), exact only up to 2^53 - 1. A bigger order (a huge capital, a price near zero, a
      // strategy sizing 1e25) would be booked as some nearby number, so it is refused as the
      // sizing's error, counted for its arm like a non-finite size (docs/strategies.md, "Safe
      // sizing"), and the run goes on.
      this.#strategyError(
        runtime,
        nowUs,
        oversizeOrderMessage(slot.account.id, symbol, steps, this.#quantityDecimals),
      );
      return;
    }
    let decision = runtime.lastDecision;
    if (decision?.tsUs !== nowUs || decision.symbol !== symbol || decision.price !== price) {
      decision = { arm: runtime.arm, symbol, tsUs: nowUs, price, decimals: this.#quantityDecimals };
      runtime.lastDecision = decision;
    }
    const order = new EngineOrder(
      ++runtime.orderSeq,
      decision,
      steps > 0 ? 'buy' : 'sell',
      size,
      slot,
      slot.row,
    );
    this.metricsInput$.next(orderSent(runtime, nowUs, slot.paper));
    this.#pending.add(slot.row, symbol, steps);
    const rejected = this.broker.submit(order, nowUs);
    if (rejected !== null) this.#onReport(rejected, order);
  }

  /** A fill or reject of `order` (an order of this engine: its slot is open until it settles). */
  #onReport(report: ExecutionReport, order: EngineOrder<AccountSlot>): void {
    const slot = order.slot;
    const signed = order.side === 'buy' ? order.steps : -order.steps;
    this.#pending.add(slot.row, order.symbol, -signed);
    if (report.type === 'fill') {
      slot.ledger.applyFill(
        report,
        slot.books,
        order,
        report instanceof SimulatedFill ? report.feePerUnit : undefined,
      );
      this.#sampledBeforeFlow = false;
    } else if (slot.leaving && report.reason === 'MIN_NOTIONAL') {
      (slot.dust ??= new Set()).add(report.symbol);
    }
    this.executions$.next(report);
    this.metricsInput$.next(report);
    if (slot.leaving) {
      this.#flattenStep(slot, report.tsUs);
      if (this.#isFlat(slot)) {
        if (this.#settling) {
          this.#flattened.push(slot);
        } else {
          this.#completeMove(slot, report.tsUs);
          if (this.#leavingCount === 0) this.transitionComplete$.next(report.tsUs);
        }
      }
    }
    if (slot.retiring) this.#closeIfIdle(slot);
  }

  /** Closes a retiring paper account once no order of it is in flight. */
  #closeIfIdle(slot: AccountSlot): void {
    if (this.#pending.any(slot.row)) return;
    this.#slotsById.delete(slot.account.id);
    this.#emitEquity(this.clock.nowUs, true);
    slot.ledger.removeAccount(slot.account.id);
    slot.retiring = false;
    this.#membershipChanged(this.clock.nowUs);
  }

  #strategyError(runtime: ArmRuntime, tsUs: number, message: string): void {
    runtime.strategyErrors++;
    runtime.firstStrategyError ??= message;
    this.metricsInput$.next({ type: 'strategy-error', tsUs, arm: runtime.arm, message });
  }

  /**
   * Samples both arms' equity: at each interval boundary, and (`beforeFlow`) just before accounts
   * join or leave an arm, so an equity curve sees each flow at the start of its next interval,
   * where its return formula puts it, and the arms' returns and drawdowns chain exactly through a
   * transition (docs/accounting.md). Moves at one instant with no fill between them share one
   * before-flow sample: the arms' equity does not change between them.
   */
  #emitEquity(tsUs: number, beforeFlow = false): void {
    if (beforeFlow) {
      if (this.#sampledBeforeFlow) return;
      this.#sampledBeforeFlow = true;
    }
    const flag = beforeFlow ? { beforeFlow: true as const } : {};
    this.#emitSample(tsUs, 'stable', this.ledger.armEquityNum('stable'), flag);
    const canary = this.ledger.armEquityNum('canary');
    const paper = this.paperLedger.armEquityNum('canary');
    if (paper.accounts === 0) {
      this.#emitSample(tsUs, 'canary', canary, flag);
    } else {
      // A shadow step: the real book for reports, the strategy's (paper included) for the analysis.
      this.#emitSample(tsUs, 'canary', canary, { ...flag, book: 'real' });
      this.#emitSample(tsUs, 'canary', combine(canary, paper), { ...flag, book: 'with-paper' });
    }
  }

  #emitSample(
    tsUs: number,
    arm: Arm,
    figures: ArmEquityNum,
    flags: Pick<EquitySample, 'beforeFlow' | 'book'>,
  ): void {
    this.metricsInput$.next({
      type: 'equity',
      tsUs,
      arm,
      equity: figures.equity,
      capital: figures.capital,
      contributed: figures.contributed,
      ...flags,
    });
  }

  /** Integrates the canary's real capital over event time and records its changes. */
  #updateExposure(nowUs: number): void {
    const e = this.#exposure;
    const started = e.sinceUs >= 0; // from the first event on; before it, only the current counts
    if (started && nowUs > e.sinceUs) {
      e.capitalMinutes += (e.capital * (nowUs - e.sinceUs)) / 60_000_000;
      e.sinceUs = nowUs;
    }
    let accounts = 0;
    let capital = 0;
    for (const slot of this.#arms.canary.slots) {
      if (slot.paper) continue;
      accounts++;
      capital += slot.capitalNum;
    }
    e.accounts = accounts;
    e.capital = capital;
    if (started) this.#recordExposurePoint(e.sinceUs, accounts, capital);
  }

  #recordExposurePoint(tsUs: number, accounts: number, capital: number): void {
    const history = this.#exposureHistory;
    // The weight in effect, not the router's configured one: 0 after rollback, 100 % after promotion.
    const weightBps = this.#canaryWeightBps();
    const last = history.at(-1);
    if (last !== undefined) {
      if (last.weightBps === weightBps && last.accounts === accounts && last.capital === capital) {
        return;
      }
      if (last.tsUs === tsUs) history.pop();
    }
    const before = history.at(-1);
    if (
      before !== undefined &&
      before.weightBps === weightBps &&
      before.accounts === accounts &&
      before.capital === capital
    ) {
      return; // a change and its undoing at one instant: no change
    }
    history.push({ tsUs, weightBps, accounts, capital });
  }
}

function newArmRuntime(
  arm: Arm,
  strategy: Strategy,
  wallClockMs: (() => number) | undefined,
): ArmRuntime {
  return {
    arm,
    strategy,
    slots: new Set(),
    targets: new Map(),
    targetChanges: 0,
    strategyErrors: 0,
    firstStrategyError: null,
    orderSeq: 0,
    lastDecision: null,
    lastOrderSent: null,
    lastPaperOrderSent: null,
    ordersBelowMinNotional: 0,
    timer: new DecisionTimer(wallClockMs),
  };
}

function combine(a: ArmEquityNum, b: ArmEquityNum): ArmEquityNum {
  if (b.accounts === 0) return a;
  return {
    equity: a.equity + b.equity,
    capital: a.capital + b.capital,
    contributed: a.contributed + b.contributed,
    grossNotional: a.grossNotional + b.grossNotional,
    accounts: a.accounts + b.accounts,
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

/** Why an order of `steps` of 10^-decimals (signed, beyond 2^53 in magnitude) was not sent. */
function oversizeOrderMessage(
  accountId: string,
  symbol: string,
  steps: number,
  decimals: number,
): string {
  const quantity = Number((Math.abs(steps) / 10 ** decimals).toPrecision(15));
  return `order too large: a ${steps > 0 ? 'buy' : 'sell'} of ${quantity} ${symbol} for account ${accountId} is more than 2^53 - 1 quantity steps of 1e-${decimals}, the most kept exactly`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The metrics record of a real or paper order the arm sends at `tsUs` (shared by that instant's). */
function orderSent(runtime: ArmRuntime, tsUs: number, paper: boolean): OrderSent {
  const last = paper ? runtime.lastPaperOrderSent : runtime.lastOrderSent;
  if (last !== null && last.tsUs === tsUs) return last;
  const arm = runtime.arm;
  if (paper) return (runtime.lastPaperOrderSent = { type: 'order', tsUs, arm, paper: true });
  return (runtime.lastOrderSent = { type: 'order', tsUs, arm });
}
