import type { Subscription } from 'rxjs';
import { createStrategyFromParsed } from '../../strategies/index.js';
import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import type { MarketEvent } from '../core/market-event.js';
import type { BotReport } from '../embed/bot-report.js';
import type { CanaryState } from '../rollout/index.js';
import type { ArmStrategyConfig } from '../engine/replay-config.js';
import {
  decisionTimeSince,
  slowCanaryWarning,
  type DecisionTime,
} from '../engine/decision-timer.js';
import { TradingEngine, type PositionsPolicy } from '../engine/trading-engine.js';
import {
  DEFAULT_EXECUTION_CONFIG,
  NO_INJECTIONS,
  type ExecutionConfig,
  type FaultInjection,
} from '../execution/index.js';
import type { MarketSink, ReportSink, RoutingSource } from './agent-ports.js';
import { botExecutionOf, botOrderOf, botStrategyErrorOf } from './bot-reports.js';
import { MarketForwarder } from './market-forwarder.js';
import { tapOrders } from './order-tap.js';
import {
  applyRoutingState,
  routingStateOf,
  sameRouting,
  type RoutingState,
} from './routing-state.js';

/** Options of {@link SimulatedBot}. */
export interface SimulatedBotOptions {
  /** The bot's agent id: order ids are `<agentId>-<startedAtMs>-<engine's order id>`. */
  readonly agentId: string;
  readonly accounts: readonly Account[];
  /** The rollout's routing salt (the server's). */
  readonly salt: string;
  readonly strategies: Readonly<Record<Arm, ArmStrategyConfig>>;
  /** Whose state the routing follows (a `CanaryAgent`). */
  readonly routing: RoutingSource;
  /** Where the orders, fills, rejects and strategy errors go (a `CanaryAgent`). */
  readonly reports: ReportSink;
  /** Where marks and event time go, thinned (a `CanaryAgent`); none when omitted. */
  readonly market?: MarketSink;
  /** Seed of the simulated broker's latency and rejects (default 1). */
  readonly seed?: number;
  readonly execution?: ExecutionConfig;
  readonly injections?: Readonly<Record<Arm, FaultInjection>>;
  /** What happens to the positions of accounts that change arm: the plan's (default flatten). */
  readonly positions?: PositionsPolicy;
  /** Gross exposure limit per account, × equity (default 1, as `replay`). */
  readonly maxLeverage?: number;
  /** Order quantities are rounded to this many decimals (default 8, as `replay`). */
  readonly quantityDecimals?: number;
  /** Event-time interval of the engine's equity samples, ms (default 1000). */
  readonly sampleIntervalMs?: number;
  /** Marks and event time go to `market` once per this many ms of event time (default 1000). */
  readonly forwardIntervalMs?: number;
  /** Wall-clock start, ms (default now): in the order ids, so a restarted bot never reuses one. */
  readonly startedAtMs?: number;
  /** The wall clock decision times are measured with, ms (default `performance.now`; tests). */
  readonly wallClockMs?: () => number;
}

/**
 * Market events between checks of the strategies' decision times (the first after as many). Live,
 * a canary much slower than stable ({@link slowCanaryWarning}) trades on stale decisions: once it
 * is, on the events of {@link SLOW_CANARY_CHECKS} checks in a row, the bot reports it once as a
 * canary strategy error, which the rollout's guardrail rolls back.
 */
export const DECISION_TIME_CHECK_EVENTS = 1024;

/**
 * Checks in a row that must find the canary slow, each on its own events' mean: one stall inside a
 * timed decision (a collector pause, the machine busy elsewhere) weighs on one check only, where
 * the mean since the start once made a single 100 ms stall roll a good canary back.
 */
export const SLOW_CANARY_CHECKS = 3;

/** What one arm of the bot did. */
export interface BotArmCounts {
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
  readonly strategyErrors: number;
}

/** Counters of a {@link SimulatedBot}. */
export interface SimulatedBotStats {
  /** Market events processed. */
  readonly events: number;
  /** Routing changes applied (a new status or weight from the routing source). */
  readonly routingChanges: number;
  /** Accounts that changed arm through them. */
  readonly moves: number;
  /** Reports handed to the sink. */
  readonly reports: number;
  /** Marks-and-clock forwards to the market sink. */
  readonly forwards: number;
  readonly arms: Readonly<Record<Arm, BotArmCounts>>;
}

type MutableCounts = { -readonly [K in keyof BotArmCounts]: number };

/**
 * A trading bot whose broker is simulated: the replay's {@link TradingEngine} (both strategy
 * versions, the simulated broker with seeded latency and slippage, the ledger) on live market
 * events, with its routing taken from a {@link RoutingSource} instead of a rollout runner. Each
 * new state (status or weight) is applied through the engine's host commands (`goLive`,
 * `promote`, `rollback`, `holdAllOnStable`), so accounts that change arm are re-routed and their
 * positions flattened on the arm they leave, exactly as in a replay; until the first state every
 * account trades stable. Every order (before its fill or reject), fill, reject and strategy error
 * goes to the {@link ReportSink} as a `BotReport`, in the order it happened; marks and event time
 * go to the {@link MarketSink} once per `forwardIntervalMs` of event time.
 *
 * @example
 * const agent = new CanaryAgent({ url, token, agentId: 'bot-1', salt, accounts });
 * const bot = new SimulatedBot({ agentId: 'bot-1', accounts, salt, strategies,
 *   routing: agent, reports: agent, market: agent });
 * for await (const item of feed) if (item.type === 'event') bot.onMarketEvent(item.event);
 * bot.finish();
 * await agent.flush();
 */
export class SimulatedBot {
  /** The engine: books (`engine.ledger`), router, broker. Drive it through the bot only. */
  readonly engine: TradingEngine;
  readonly #reports: ReportSink;
  readonly #forwarder: MarketForwarder | null;
  readonly #idPrefix: string;
  readonly #counts: Record<Arm, MutableCounts> = {
    stable: newCounts(),
    canary: newCounts(),
  };
  readonly #engineSubscriptions: Subscription[] = [];
  readonly #routingSubscription: Subscription;
  readonly #untap: () => void;
  #routing: RoutingState | null = null;
  #events = 0;
  #routingChanges = 0;
  #moves = 0;
  #reportCount = 0;
  #finished = false;
  #reportedSlowCanary = false;
  /** Checks in a row that found the canary slow, and the decision times at the last check. */
  #slowChecks = 0;
  #checkedTimes: Readonly<Record<Arm, DecisionTime>> | null = null;

  constructor(options: SimulatedBotOptions) {
    const startedAtMs = Math.round(options.startedAtMs ?? Date.now());
    this.#idPrefix = `${options.agentId}-${startedAtMs}-`;
    this.#reports = options.reports;
    this.engine = new TradingEngine(
      {
        accounts: options.accounts,
        salt: options.salt,
        weightBps: 0,
        seed: options.seed ?? 1,
        strategies: options.strategies,
        execution: options.execution ?? DEFAULT_EXECUTION_CONFIG,
        injections: options.injections ?? NO_INJECTIONS,
        maxLeverage: options.maxLeverage ?? 1,
        quantityDecimals: options.quantityDecimals ?? 8,
        sampleIntervalMs: options.sampleIntervalMs ?? 1000,
        ...(options.wallClockMs === undefined ? {} : { wallClockMs: options.wallClockMs }),
      },
      {
        stable: createStrategyFromParsed(
          options.strategies.stable.definition,
          options.strategies.stable.params,
        ),
        canary: createStrategyFromParsed(
          options.strategies.canary.definition,
          options.strategies.canary.params,
        ),
      },
    );
    this.engine.positionsPolicy = options.positions ?? 'flatten';
    this.engine.holdAllOnStable(); // every account on stable until the rollout's state is known
    this.#forwarder =
      options.market === undefined
        ? null
        : new MarketForwarder(options.market, options.forwardIntervalMs ?? 1000);

    // The engine's order ids restart at 1 with every engine: prefixed, they are unique to this
    // bot and this run (several bots report to one server; a restarted bot replays its outbox).
    this.#untap = tapOrders(this.engine.broker, (order) => {
      this.#counts[order.arm].orders++;
      this.#report(botOrderOf(order, this.#orderId(order.orderId)));
    });
    this.#engineSubscriptions.push(
      this.engine.executions$.subscribe((execution) => {
        const counts = this.#counts[execution.arm];
        if (execution.type === 'fill') counts.fills++;
        else counts.rejects++;
        this.#report(botExecutionOf(execution, this.#orderId(execution.orderId)));
      }),
      this.engine.metricsInput$.subscribe((input) => {
        if (input.type !== 'strategy-error') return;
        this.#counts[input.arm].strategyErrors++;
        this.#report(botStrategyErrorOf(input));
      }),
    );
    this.#routingSubscription = options.routing.state$.subscribe((state) => this.#onState(state));
  }

  /** One market event, in event-time order: fills, strategy decisions, orders, all reported. */
  onMarketEvent(event: MarketEvent): void {
    if (this.#finished) throw new Error('SimulatedBot: onMarketEvent after finish()');
    this.#events++;
    this.engine.process(event);
    if (!this.#reportedSlowCanary && this.#events % DECISION_TIME_CHECK_EVENTS === 0) {
      this.#checkDecisionTime(event.tsUs);
    }
    this.#forwarder?.onEvent(event);
  }

  /**
   * A canary much slower than stable on the events since the last check, at
   * {@link SLOW_CANARY_CHECKS} checks in a row: reported once as a canary strategy error (a
   * guardrail).
   */
  #checkDecisionTime(tsUs: number): void {
    const times = {
      stable: this.engine.decisionTime('stable'),
      canary: this.engine.decisionTime('canary'),
    };
    const before = this.#checkedTimes;
    this.#checkedTimes = times;
    const slow = slowCanaryWarning(
      decisionTimeSince(before?.stable ?? null, times.stable),
      decisionTimeSince(before?.canary ?? null, times.canary),
    );
    this.#slowChecks = slow === null ? 0 : this.#slowChecks + 1;
    if (slow === null || this.#slowChecks < SLOW_CANARY_CHECKS) return;
    this.#reportedSlowCanary = true;
    this.#counts.canary.strategyErrors++;
    const message = `${slow} (on the last ${SLOW_CANARY_CHECKS} checks of ${DECISION_TIME_CHECK_EVENTS} market events each)`;
    this.#report(botStrategyErrorOf({ type: 'strategy-error', arm: 'canary', tsUs, message }));
  }

  /**
   * The data ended (or the bot stops): orders still in flight are rejected `EXPIRED` and
   * reported, the last marks and event time are forwarded, and the bot stops following the
   * routing source. Idempotent.
   */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#routingSubscription.unsubscribe();
    this.engine.finish(); // the EXPIRED rejects are reported like any other
    for (const subscription of this.#engineSubscriptions) subscription.unsubscribe();
    this.#untap();
    this.#forwarder?.flush();
  }

  /** The routing state the bot trades by now, or null before the first. */
  get routing(): RoutingState | null {
    return this.#routing;
  }

  get stats(): SimulatedBotStats {
    return {
      events: this.#events,
      routingChanges: this.#routingChanges,
      moves: this.#moves,
      reports: this.#reportCount,
      forwards: this.#forwarder?.forwards ?? 0,
      arms: {
        stable: { ...this.#counts.stable },
        canary: { ...this.#counts.canary },
      },
    };
  }

  #onState(state: CanaryState | null): void {
    if (state === null || this.#finished) return;
    const routing = routingStateOf(state);
    if (sameRouting(this.#routing, routing)) return;
    this.#routing = routing;
    this.#routingChanges++;
    this.#moves += applyRoutingState(this.engine, routing);
  }

  #orderId(engineOrderId: string): string {
    return `${this.#idPrefix}${engineOrderId}`;
  }

  #report(report: BotReport): void {
    this.#reportCount++;
    this.#reports.report(report);
  }
}

function newCounts(): MutableCounts {
  return { orders: 0, fills: 0, rejects: 0, strategyErrors: 0 };
}
