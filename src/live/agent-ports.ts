import type { Observable } from 'rxjs';
import type { MarketEvent } from '../core/market-event.js';
import type { BotReport } from '../embed/bot-report.js';
import type { CanaryState } from '../rollout/index.js';

/**
 * Where a bot's routing comes from: the rollout's state as it changes (null until known). A
 * {@link CanaryAgent} is one (the states its server sends); so is anything that replays states.
 */
export interface RoutingSource {
  readonly state$: Observable<CanaryState | null>;
}

/** Where a bot's orders, fills, rejects and strategy errors go (a `CanaryAgent`, a canary). */
export interface ReportSink {
  report(report: BotReport): unknown;
}

/** Where a bot forwards its market data, so the rollout's marks and event time follow it. */
export interface MarketSink {
  /** The latest market event of a symbol (marks the rollout's books). */
  market(event: MarketEvent): void;
  /** Event time the bot's market data has reached, ms since the epoch. */
  clock(tsMs: number): void;
}
