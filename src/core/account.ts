import type { Decimal } from './money.js';

/**
 * A per-account routing override:
 * - `stable`: pinned to stable at any weight;
 * - `canary`: pinned to canary at any weight, as long as a canary is live (a rollback or kill
 *   switch sends it back to stable);
 * - `exclude`: outside the rollout, never routed to canary, whatever the weight or a later pin.
 */
export type RoutingOverride = 'stable' | 'canary' | 'exclude';

/** A trading account taking part in the run. */
export interface Account {
  /** Stable id, as the bot knows it; hashed (UTF-8) for routing. */
  readonly id: string;
  /** Starting capital, quote currency (e.g. USDT), > 0. */
  readonly capital: Decimal;
  /** Optional routing override. */
  readonly override?: RoutingOverride;
  /**
   * The segment the account belongs to (venue, region, account class: a name of the plan's
   * `segments`), for a plan rolled out per segment; absent otherwise.
   */
  readonly segment?: string;
}
