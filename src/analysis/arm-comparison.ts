import type { Arm } from '../core/arm.js';
import { US_PER_MS } from '../core/time.js';
import type { MetricsInput } from '../metrics/metrics-input.js';
import {
  ANALYSIS_INTERVAL_MS,
  MIN_OBSERVATIONS,
  N_STAR_BATCHES,
  N_STAR_INTERVALS,
  N_STAR_ORDERS,
} from './analysis-defaults.js';
import { bernoulliSummary } from './bernoulli-summary.js';
import { DecisionBatches } from './decision-batches.js';
import { metricEvidence, type MetricEvidence } from './metric-evidence.js';
import { DEFAULT_METRIC_POLICIES, type MetricPolicies } from './metric-policy.js';
import {
  oneSampleCs,
  rho2ForOptimalN,
  twoSampleCs,
  type ConfidenceInterval,
} from './normal-mixture-cs.js';
import { PairedReturns } from './paired-returns.js';

/** Stable names of the tests behind each metric's evidence. */
export const TEST_NAMES = {
  batchMeans: 'normal-mixture-cs/two-sample/batch-means',
  bernoulli: 'normal-mixture-cs/two-sample/bernoulli',
  pairedIntervals: 'normal-mixture-cs/paired-intervals',
} as const;

/** Tuning of an {@link ArmComparison}; every field defaults to analysis-defaults.ts. */
export interface ArmComparisonOptions {
  /** Paired-returns interval, ms of event time, a positive whole number (default 60,000). */
  readonly intervalMs?: number;
  /** Observations per arm below which a metric is inconclusive (default 10). */
  readonly minObservations?: number;
  /** n* of the batch-mean metrics, batches canary + stable (default 100). */
  readonly nStarBatches?: number;
  /** n* of the reject rate, orders canary + stable (default 2,000). */
  readonly nStarOrders?: number;
  /** n* of the paired returns, intervals (default 60). */
  readonly nStarIntervals?: number;
}

/** What one arm did, as the comparison counted it. */
export interface ArmCounts {
  /** `order` records (orders sent). */
  readonly orders: number;
  readonly fills: number;
  /** Every reject report, EXPIRED included. */
  readonly rejects: number;
  /** Reports that are reject-rate observations: fills plus rejects other than EXPIRED. */
  readonly resolvedOrders: number;
  readonly strategyErrors: number;
  readonly completedBatches: number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * The statistical comparison of canary against stable, fed the engine's `MetricsInput` stream
 * (cumulative over the whole rollout: one sequence per metric, shadow step included). Per arm it
 * keeps: decision-batch means of slippage and latency, per-order reject observations (EXPIRED
 * rejects at the end of data are not observations: the data ended, the venue said nothing), and the
 * paired per-interval return differences. `evaluate` turns them into one {@link MetricEvidence}
 * per metric with the normal-mixture confidence sequences of normal-mixture-cs.ts.
 *
 * `record` is O(1) and allocates only when a new decision batch opens; memory is O(open batches).
 *
 * @example
 * const comparison = new ArmComparison();
 * engine.metricsInput$.subscribe((input) => {
 *   if (comparison.record(input)) decide(comparison.evaluate(policies));
 * });
 */
export class ArmComparison {
  readonly intervalMs: number;
  readonly minObservations: number;
  readonly nStarBatches: number;
  readonly nStarOrders: number;
  readonly nStarIntervals: number;
  readonly #batches = new DecisionBatches();
  readonly #returns: PairedReturns;
  // Per arm (0 stable, 1 canary).
  readonly #orders: [number, number] = [0, 0];
  readonly #fills: [number, number] = [0, 0];
  readonly #rejects: [number, number] = [0, 0];
  readonly #resolved: [number, number] = [0, 0];
  readonly #rejectObservations: [number, number] = [0, 0];
  readonly #strategyErrors: [number, number] = [0, 0];

  constructor(options: ArmComparisonOptions = {}) {
    this.intervalMs = options.intervalMs ?? ANALYSIS_INTERVAL_MS;
    this.minObservations = options.minObservations ?? MIN_OBSERVATIONS;
    this.nStarBatches = options.nStarBatches ?? N_STAR_BATCHES;
    this.nStarOrders = options.nStarOrders ?? N_STAR_ORDERS;
    this.nStarIntervals = options.nStarIntervals ?? N_STAR_INTERVALS;
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs <= 0) {
      throw new RangeError(`intervalMs must be a positive whole number, got ${this.intervalMs}`);
    }
    if (!(this.minObservations >= 2)) {
      throw new RangeError(`minObservations must be at least 2, got ${this.minObservations}`);
    }
    for (const nStar of [this.nStarBatches, this.nStarOrders, this.nStarIntervals]) {
      if (!(nStar > 0) || !Number.isFinite(nStar))
        throw new RangeError(`n* must be positive, got ${nStar}`);
    }
    this.#returns = new PairedReturns(this.intervalMs * US_PER_MS);
  }

  /**
   * Consumes one record; returns true when it added evidence (completed a decision batch or a paired
   * interval): the moment to evaluate again.
   */
  record(input: MetricsInput): boolean {
    switch (input.type) {
      case 'order': {
        const completed = this.#batches.closeThrough(input.tsUs - 1);
        this.#orders[input.arm === 'canary' ? 1 : 0]++;
        this.#batches.order(input.arm, input.tsUs);
        return completed > 0;
      }
      case 'fill':
      case 'reject': {
        const index = input.arm === 'canary' ? 1 : 0;
        const completed = this.#batches.closeThrough(input.tsUs - 1);
        if (input.type === 'fill') {
          this.#fills[index]++;
          this.#resolved[index]++;
        } else {
          this.#rejects[index]++;
          if (input.reason !== 'EXPIRED') {
            this.#resolved[index]++;
            this.#rejectObservations[index]++;
          }
        }
        return this.#batches.report(input) || completed > 0;
      }
      case 'strategy-error':
        this.#strategyErrors[input.arm === 'canary' ? 1 : 0]++;
        return this.#batches.closeThrough(input.tsUs - 1) > 0;
      case 'equity': {
        // A sample just before a flow is taken mid-event: not a boundary, nothing completes.
        if (input.beforeFlow === true) return false;
        // In a shadow step the canary strategy's results are its paper book's, not the real one.
        if (input.book === 'real') return false;
        // Sampled after every event up to its boundary: no order at or before it is still to come.
        const completed = this.#batches.closeThrough(input.tsUs);
        return this.#returns.onEquity(input) || completed > 0;
      }
      case 'membership':
        this.#returns.markMembershipChange(input.tsUs);
        return false;
    }
  }

  /** What one arm did so far. */
  counts(arm: Arm): ArmCounts {
    const index = arm === 'canary' ? 1 : 0;
    return {
      orders: this.#orders[index],
      fills: this.#fills[index],
      rejects: this.#rejects[index],
      resolvedOrders: this.#resolved[index],
      strategyErrors: this.#strategyErrors[index],
      completedBatches: this.#batches.completed(arm),
    };
  }

  /** Decision batches not completed yet (both arms): bounded by the orders in flight. */
  get openBatches(): number {
    return this.#batches.open;
  }

  /** Paired return intervals observed. */
  get pairedIntervals(): number {
    return this.#returns.differencesBps.n;
  }

  /**
   * One evidence record per compared metric (slippageBps, latencyMs, rejectRate, returnBps), each
   * judged at its policy's margin and α. O(metrics).
   */
  evaluate(policies: MetricPolicies = DEFAULT_METRIC_POLICIES): readonly MetricEvidence[] {
    const batches = this.#batches;
    const min = this.minObservations;
    const slippage = policies.slippageBps;
    const latency = policies.latencyMs;
    const reject = policies.rejectRate;
    const returns = policies.returnBps;
    const [slipStable, slipCanary] = batches.slippageBps;
    const [latStable, latCanary] = batches.latencyMs;
    const rejectStable = bernoulliSummary(this.#rejectObservations[0], this.#resolved[0]);
    const rejectCanary = bernoulliSummary(this.#rejectObservations[1], this.#resolved[1]);
    const differences = this.#returns.differencesBps;
    return [
      metricEvidence({
        metric: 'slippageBps',
        interval: twoSampleCs(
          slipCanary,
          slipStable,
          rho2ForOptimalN(this.nStarBatches, slippage.alpha),
          slippage.alpha,
        ),
        n: slipCanary.n,
        nStable: slipStable.n,
        unitOfObservation: 'batches',
        policy: slippage,
        test: TEST_NAMES.batchMeans,
        minObservations: min,
      }),
      metricEvidence({
        metric: 'latencyMs',
        interval: twoSampleCs(
          latCanary,
          latStable,
          rho2ForOptimalN(this.nStarBatches, latency.alpha),
          latency.alpha,
        ),
        n: latCanary.n,
        nStable: latStable.n,
        unitOfObservation: 'batches',
        policy: latency,
        test: TEST_NAMES.batchMeans,
        minObservations: min,
      }),
      metricEvidence({
        metric: 'rejectRate',
        interval: twoSampleCs(
          rejectCanary,
          rejectStable,
          rho2ForOptimalN(this.nStarOrders, reject.alpha),
          reject.alpha,
        ),
        n: rejectCanary.n,
        nStable: rejectStable.n,
        unitOfObservation: 'orders',
        policy: reject,
        test: TEST_NAMES.bernoulli,
        minObservations: min,
      }),
      metricEvidence({
        metric: 'returnBps',
        interval: perHour(
          oneSampleCs(
            differences,
            rho2ForOptimalN(this.nStarIntervals, returns.alpha),
            returns.alpha,
          ),
          MS_PER_HOUR / this.intervalMs,
        ),
        n: differences.n,
        nStable: differences.n,
        unitOfObservation: 'intervals',
        policy: returns,
        test: TEST_NAMES.pairedIntervals,
        minObservations: min,
      }),
    ];
  }
}

/** Scales an interval of per-interval differences to per hour (a linear change of unit). */
function perHour(interval: ConfidenceInterval, intervalsPerHour: number): ConfidenceInterval {
  return {
    estimate: interval.estimate * intervalsPerHour,
    lower: interval.lower * intervalsPerHour,
    upper: interval.upper * intervalsPerHour,
  };
}
