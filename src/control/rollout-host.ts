import type { Observable } from 'rxjs';
import type { EventClock } from '../core/event-clock.js';
import type { ArmEquityNum } from '../ledger/index.js';
import type { MetricsInput } from '../metrics/index.js';
import type { PositionsPolicy } from '../rollout/index.js';

/**
 * What a rollout runs on: the replay's trading engine, or an embedding bot's books. It streams the
 * records the analysis reads, reports when a transition's accounts have all moved, and applies the
 * controller's commands to its router.
 */
export interface RolloutHost {
  readonly clock: EventClock;
  /** Orders, reports, strategy errors, equity samples and membership changes, in event time. */
  readonly metricsInput$: Observable<MetricsInput>;
  /** Event time at which a transition's last account finished moving. */
  readonly transitionComplete$: Observable<number>;
  /** How positions move with accounts that change arm. */
  positionsPolicy: PositionsPolicy;
  /** True while accounts are still moving (e.g. waiting for positions to be flattened). */
  readonly transitionInProgress: boolean;
  /** Real accounts with open paper twins (a shadow step), 0 otherwise. */
  readonly paperAccountsOpen: number;
  /** Every account on stable and the canary blocked: the state before a rollout starts. */
  holdAllOnStable(): number;
  /** A shadow step: the canary trades paper copies of the stable accounts. */
  startShadow(): void;
  /** The canary at this weight (bps) for real accounts. */
  goLive(weightBps: number): number;
  promote(): number;
  rollback(): number;
  /** The canary's equity as the guardrails read it (with paper accounts during a shadow step). */
  canaryEquityNum(): ArmEquityNum;
}
