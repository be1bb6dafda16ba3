import type { Arm } from '../core/arm.js';
import type { ExecutionReport } from '../core/execution-report.js';

/** An order sent by an arm (counted when sent, whatever comes back). */
export interface OrderSent {
  readonly type: 'order';
  /** Event time the order was sent, µs. */
  readonly tsUs: number;
  readonly arm: Arm;
  /** A shadow step's paper order (simulated for comparison, never sent; absent when real). */
  readonly paper?: true;
}

/** A strategy that threw or returned something invalid; the engine kept going. */
export interface StrategyErrorInput {
  readonly type: 'strategy-error';
  readonly tsUs: number;
  readonly arm: Arm;
  readonly message: string;
}

/**
 * An arm's equity, sampled by the engine at each interval boundary (stamped at the boundary, taken
 * after every event up to and including it: docs/accounting.md), and just before every flow
 * (`beforeFlow`). Floats from the ledger's exact `ArmTotals`.
 */
export interface EquitySample {
  readonly type: 'equity';
  /** The boundary the sample belongs to, µs. */
  readonly tsUs: number;
  readonly arm: Arm;
  /** Arm equity, quote currency. */
  readonly equity: number;
  /** Σ starting capital of the accounts on the arm now, quote currency. */
  readonly capital: number;
  /**
   * `ArmTotals.contributed`: equity put into the arm so far (its accounts' starting capital, plus
   * accounts moved in, minus accounts moved out, valued when they moved). Changes in it are flows,
   * not returns. When absent, `capital` stands in, which is exact as long as no account moves.
   */
  readonly contributed?: number;
  /**
   * Taken just before accounts join or leave the arm (mid-event, off the interval grid), so the
   * equity curve chains returns exactly around the flow. Interval statistics (paired returns,
   * decision batches) and rollout checks use the boundary samples only.
   */
  readonly beforeFlow?: true;
  /**
   * While a shadow step's paper accounts are open, the canary arm has two samples per instant:
   * `real` (its real accounts: what reports show) and `with-paper` (real and paper accounts: the
   * canary strategy's results, what the analysis compares). Absent otherwise: one sample serves both.
   */
  readonly book?: 'real' | 'with-paper';
}

/**
 * Accounts changed arm, or a shadow step's paper accounts started or stopped, at `tsUs`: the arms'
 * equity series have a flow and rebalancing costs around here, so interval comparisons of returns
 * skip the intervals it touches.
 */
export interface MembershipChange {
  readonly type: 'membership';
  readonly tsUs: number;
}

/** What the metrics pipeline consumes: execution reports plus the engine's own records. */
export type MetricsInput =
  ExecutionReport | OrderSent | StrategyErrorInput | EquitySample | MembershipChange;
