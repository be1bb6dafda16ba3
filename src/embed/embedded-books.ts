import { Subject } from 'rxjs';
import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import { EventClock } from '../core/event-clock.js';
import { HotSubject } from '../core/hot-subject.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import type { Decimal } from '../core/money.js';
import { Ledger, type ArmEquityNum } from '../ledger/index.js';
import { IntervalBoundaries, type MetricsInput } from '../metrics/index.js';
import type { PositionsPolicy } from '../rollout/index.js';
import { overridesOf, Router } from '../router/index.js';
import type { RolloutHost } from '../control/index.js';

/** An account that changed arm: the bot flattens or hands over its positions (`positions`). */
export interface AssignmentChange {
  readonly accountId: string;
  readonly from: Arm;
  readonly to: Arm;
  /** Event time of the change, µs. */
  readonly atTsUs: number;
  /** The plan's policy for the positions of accounts that change version. */
  readonly positions: PositionsPolicy;
}

/**
 * A bot's side of a rollout: the router, exact books of the bot's accounts fed by the fills it
 * reports, and event-time equity sampling. It is the {@link RolloutHost} the rollout runner
 * drives: a weight change re-routes the accounts at once, books them to their new arm (as they
 * are: the P&L they earned stays with the arm they leave) and tells the bot on `assignments$`,
 * which then flattens or hands over the positions as `positions` says and reports those fills.
 */
export class EmbeddedBooks implements RolloutHost {
  readonly clock = new EventClock();
  readonly router: Router;
  readonly ledger: Ledger;
  readonly metricsInput$ = new HotSubject<MetricsInput>();
  readonly transitionComplete$ = new Subject<number>();
  readonly assignments$ = new Subject<AssignmentChange>();
  positionsPolicy: PositionsPolicy = 'flatten';
  readonly transitionInProgress = false;
  readonly paperAccountsOpen = 0;
  /**
   * Called after every membership change is booked, with the marks it was booked at (the report
   * journal records it, so a restart can book the same moves at the same values).
   */
  onMembershipChange:
    | ((
        tsUs: number,
        marks: readonly [string, Decimal][],
        moves: readonly AssignmentChange[],
      ) => void)
    | null = null;
  readonly #accounts: readonly Account[];
  /** Each symbol's latest market event time, µs (what its mark was set from). */
  readonly #markedUs = new Map<string, number>();
  readonly #boundaries: IntervalBoundaries;
  readonly #emitEquityAt = (tsUs: number): void => this.#emitEquity(tsUs);

  constructor(options: {
    readonly accounts: readonly Account[];
    readonly salt: string;
    readonly sampleIntervalMs: number;
  }) {
    this.#accounts = options.accounts;
    this.router = new Router({
      salt: options.salt,
      weightBps: 0,
      overrides: overridesOf(options.accounts),
    });
    this.router.disableCanary();
    this.ledger = new Ledger(
      options.accounts.map((account) => ({ account, arm: this.router.route(account.id) })),
    );
    this.#boundaries = new IntervalBoundaries(
      Math.max(1, Math.round(options.sampleIntervalMs * 1000)),
    );
  }

  /** Event time moves on to `tsUs`: equity is sampled at every interval boundary passed. */
  advance(tsUs: number): void {
    const nowUs = this.clock.advance(tsUs);
    this.#boundaries.passTo(nowUs, this.#emitEquityAt);
  }

  /**
   * A market event: event time moves on, and the event's symbol is marked for the books, unless
   * an event of that symbol stamped later has marked it already (a bot's streams out of order).
   */
  onMarketEvent(event: MarketEvent): void {
    this.advance(event.tsUs);
    if (event.tsUs < (this.#markedUs.get(event.symbol) ?? 0)) return;
    this.#markedUs.set(event.symbol, event.tsUs);
    this.ledger.mark(event);
  }

  /** An order the bot sent (validated), for the analysis's decision batches and reject rate. */
  recordOrder(arm: Arm, decisionTsUs: number): void {
    this.metricsInput$.next({ type: 'order', tsUs: decisionTsUs, arm });
  }

  /** A fill or reject the bot's broker returned (validated): booked, then analysed. */
  recordReport(report: ExecutionReport): void {
    this.advance(report.tsUs);
    if (report.type === 'fill') this.ledger.applyFill(report);
    this.metricsInput$.next(report);
  }

  /** A strategy error in the bot: counted for the arm (the canary's breaks a guardrail). */
  recordStrategyError(arm: Arm, tsUs: number, message: string): void {
    this.advance(tsUs);
    this.metricsInput$.next({ type: 'strategy-error', tsUs, arm, message });
  }

  holdAllOnStable(): number {
    this.router.setWeightBps(0);
    this.router.disableCanary();
    return this.#reassign();
  }

  startShadow(): void {
    // createCanary refuses plans with a shadow step: a bot has no paper execution to run one.
    throw new RangeError('an embedded rollout has no shadow step');
  }

  goLive(weightBps: number): number {
    this.router.setWeightBps(weightBps);
    this.router.enableCanary();
    return this.#reassign();
  }

  promote(): number {
    this.router.promoteCanary();
    return this.#reassign();
  }

  rollback(): number {
    this.router.setWeightBps(0);
    this.router.disableCanary();
    return this.#reassign();
  }

  /** After the router was set from a persisted state: books every account to its route. */
  resync(): number {
    return this.#reassign();
  }

  /**
   * A restart with no record of the moves booked before it: opens every account's books on its
   * route as it stands, where the bot already trades it. Nothing moves, so nothing is told, journaled
   * or sampled.
   */
  restoreRoutes(): void {
    for (const account of this.#accounts) {
      const arm = this.router.route(account.id);
      if (this.ledger.armOf(account.id) !== arm) this.ledger.moveAccount(account.id, arm);
    }
  }

  /**
   * Rebuild from a report journal: books a fill as it was booked before (at `fill.tsUs`), with no
   * equity sample and nothing for the analysis (its evidence starts afresh after a restart).
   */
  restoreFill(fill: ExecutionReport & { readonly type: 'fill' }): void {
    this.clock.advance(fill.tsUs);
    this.ledger.applyFill(fill);
  }

  /** Rebuild from a report journal: moves accounts at the marks the change was booked at. */
  restoreMoves(
    tsUs: number,
    marks: readonly (readonly [string, Decimal])[],
    moves: readonly (readonly [accountId: string, to: Arm])[],
  ): void {
    this.restoreMarks(tsUs, marks);
    for (const [accountId, to] of moves) this.ledger.moveAccount(accountId, to);
  }

  /** Rebuild from a report journal: the symbols' marks at `tsUs`, as the market data had set them. */
  restoreMarks(tsUs: number, marks: readonly (readonly [string, Decimal])[]): void {
    this.clock.advance(tsUs);
    for (const [symbol, price] of marks) {
      this.ledger.restoreMark(symbol, price, tsUs);
      this.#markedUs.set(symbol, Math.max(tsUs, this.#markedUs.get(symbol) ?? 0));
    }
  }

  canaryEquityNum(): ArmEquityNum {
    return this.ledger.armEquityNum('canary');
  }

  /** Books every account whose route changed to its new arm and tells the bot. */
  #reassign(): number {
    const nowUs = this.clock.nowUs;
    const moves: AssignmentChange[] = [];
    for (const account of this.#accounts) {
      const from = this.ledger.armOf(account.id);
      const to = this.router.route(account.id);
      if (from === to) continue;
      if (moves.length === 0) this.#emitEquity(nowUs, true); // returns stay exact across the move
      this.ledger.moveAccount(account.id, to);
      moves.push({
        accountId: account.id,
        from,
        to,
        atTsUs: nowUs,
        positions: this.positionsPolicy,
      });
    }
    if (moves.length > 0) {
      this.onMembershipChange?.(nowUs, this.ledger.markPrices(), moves);
      this.metricsInput$.next({ type: 'membership', tsUs: nowUs });
    }
    for (const move of moves) this.assignments$.next(move);
    return moves.length;
  }

  #emitEquity(tsUs: number, beforeFlow = false): void {
    for (const arm of ['stable', 'canary'] as const) {
      const figures = this.ledger.armEquityNum(arm);
      this.metricsInput$.next({
        type: 'equity',
        tsUs,
        arm,
        equity: figures.equity,
        capital: figures.capital,
        contributed: figures.contributed,
        ...(beforeFlow ? { beforeFlow: true as const } : {}),
      });
    }
  }
}
