import type { MarketEvent } from './market-event.js';

/**
 * The arm-wide target a strategy sets for one symbol. Every account on the arm is rebalanced
 * towards it, sized by {@link Strategy.targetQuantity}.
 */
export interface TargetPosition {
  readonly symbol: string;
  /**
   * Signed fraction of each account's equity to hold in the symbol: `0.01` is long worth 1 % of
   * equity, `-0.01` short, `0` flat. Finite, within [-1, 1].
   */
  readonly exposure: number;
  /** Short stable code for why, e.g. `entry-long`, `stop-loss`, `take-profit`, `exit`. */
  readonly reason: string;
}

/** What a strategy sees of one account when sizing its order. Floats: sizing is a heuristic. */
export interface AccountView {
  readonly accountId: string;
  /** Starting capital, quote currency. */
  readonly capital: number;
  /** Capital plus realized and unrealized P&L minus fees, marked to the last price, quote currency. */
  readonly equity: number;
  /** Signed quantity held in the target's symbol (base units), counting orders sent but not filled. */
  readonly position: number;
}

/**
 * A trading strategy, one instance per arm. Deterministic: the same events in the same order give
 * the same targets, with no clock, randomness or I/O of its own.
 *
 * @example
 * const strategy: Strategy = {
 *   id: 'always-long@1.0.0',
 *   onMarketEvent: (e) => ({ symbol: e.symbol, exposure: 0.01, reason: 'entry-long' }),
 *   targetQuantity: (target, account, price) => (target.exposure * account.equity) / price,
 * };
 */
export interface Strategy {
  /** `name@version`, e.g. `momentum@2.0.0`. */
  readonly id: string;
  /**
   * Called once per market event for the whole arm. Returns the new target for the event's symbol
   * when it changes, or null to keep the current one. Cheap: this runs on every event.
   */
  onMarketEvent(event: MarketEvent): TargetPosition | null;
  /**
   * Per-account sizing: the signed quantity (base units) the account should hold once the target
   * is reached, given its equity and current position and the decision price (quote per base).
   * Called once per account on the arm, only when the target changes. The engine rounds the
   * difference with the current position to the quantity step and sends it as a market order.
   */
  targetQuantity(target: TargetPosition, account: AccountView, price: number): number;
}

/**
 * How a strategy is registered and loaded: bundled strategies and user modules (`default` export)
 * both provide one.
 */
export interface StrategyDefinition<Params = unknown> {
  readonly name: string;
  /** Semantic version; with `name` it forms the id `name@version`. */
  readonly version: string;
  /** One line for `--help` and reports. */
  readonly description: string;
  /** Validates user parameters and fills defaults; throws with a readable message when invalid. */
  parseParams(input: unknown): Params;
  /** A fresh, independent instance (one per arm). */
  create(params: Params): Strategy;
}
