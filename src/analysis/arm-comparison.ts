import type { Arm } from '../core/arm.js';
import { US_PER_MS } from '../core/time.js';
import type { MetricsInput } from '../metrics/metrics-input.js';
import { ANALYSIS_INTERVAL_MS, BUCKET_CLOSE_AFTER_MS } from './analysis-defaults.js';
import { METRIC_NAMES, type MetricName } from './compared-metric.js';
import type { RequiredMetric } from './decide-step.js';
import { metricEvidence, type MetricEvidence } from './metric-evidence.js';
import { DEFAULT_METRIC_POLICIES, type MetricPolicies } from './metric-policy.js';
import { meanBounds, rateBounds, ratioBounds } from './paired-bounds.js';
import { PairedEdge } from './paired-edge.js';
import {
  PairedOrderMetrics,
  type AccountJudgement,
  type EvidenceScope,
  type Pairing,
} from './paired-order-metrics.js';

/** Stable names of the tests behind each metric's evidence (docs/analysis.md). */
export const TEST_NAMES = {
  slippageBps: 'paired-buckets/mean/normal-mixture-cs',
  latencyMs: 'paired-buckets/mean/normal-mixture-cs',
  rejectRate: 'paired-buckets/rate-score/normal-mixture-cs',
  feeBps: 'paired-buckets/mean/normal-mixture-cs',
  edgeBps: 'paired-intervals/ratio/normal-mixture-cs',
} as const satisfies Readonly<Record<MetricName, string>>;

/**
 * The test names of an order metric's evidence when its harm bound comes from the pairing windows
 * (docs/analysis.md, "Paired buckets").
 */
export const WINDOW_TEST_NAMES = {
  slippageBps: 'paired-windows/mean/normal-mixture-cs',
  latencyMs: 'paired-windows/mean/normal-mixture-cs',
  rejectRate: 'paired-windows/rate-score/normal-mixture-cs',
  feeBps: 'paired-windows/mean/normal-mixture-cs',
} as const;

/** Tuning of an {@link ArmComparison}; every field defaults to analysis-defaults.ts. */
export interface ArmComparisonOptions {
  /**
   * Width of the event-time buckets that pair orders, and of the paired return intervals, ms
   * (a positive whole number; default 60,000).
   */
  readonly intervalMs?: number;
  /** A bucket still missing reports closes anyway this long after its end, ms (default 60,000). */
  readonly closeAfterMs?: number;
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
}

/** Policies per scope: the current step's (its margins) and the whole rollout's. */
export type ScopedPolicies = Readonly<Record<EvidenceScope, MetricPolicies>>;

/**
 * The statistical comparison of canary against stable, fed the engine's `MetricsInput` stream, in
 * the units that carry the randomness (docs/analysis.md):
 * - slippage, latency, reject rate and fees **paired by event-time bucket** (both arms' orders decided
 *   in the same bucket face the same market; the bucket, not the order, is the unit that survives
 *   bursts, regimes and arms that decide at different moments), with the accounts' own effects
 *   as a variance component ({@link PairedOrderMetrics});
 * - returns **per unit of turnover**, paired by analysis interval ({@link PairedEdge}).
 * Each metric has two sequences: the whole rollout's, and the current step's (restarted by
 * {@link startStep}, so a regression that appears only at a higher weight is judged on that
 * weight's data). `evaluate` turns them into one {@link MetricEvidence} per metric and scope.
 *
 * `record` is O(1) amortized; memory is O(open orders + accounts).
 *
 * @example
 * const comparison = new ArmComparison();
 * engine.metricsInput$.subscribe((input) => {
 *   if (comparison.record(input)) decide(comparison.evaluate(policies, required));
 * });
 */
export class ArmComparison {
  readonly intervalMs: number;
  readonly #orders: PairedOrderMetrics;
  readonly #edge: PairedEdge;
  // Per arm (0 stable, 1 canary).
  readonly #sent: [number, number] = [0, 0];
  readonly #fills: [number, number] = [0, 0];
  readonly #rejects: [number, number] = [0, 0];
  readonly #resolved: [number, number] = [0, 0];
  readonly #strategyErrors: [number, number] = [0, 0];

  constructor(options: ArmComparisonOptions = {}) {
    this.intervalMs = options.intervalMs ?? ANALYSIS_INTERVAL_MS;
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs <= 0) {
      throw new RangeError(`intervalMs must be a positive whole number, got ${this.intervalMs}`);
    }
    this.#orders = new PairedOrderMetrics(
      this.intervalMs,
      options.closeAfterMs ?? Math.max(BUCKET_CLOSE_AFTER_MS, this.intervalMs),
    );
    this.#edge = new PairedEdge(this.intervalMs * US_PER_MS);
  }

  /**
   * A baseline starts at `tsUs`, before the first step, every account on stable: each account's
   * persistent effect is learnt from it and removed from its later observations
   * ({@link PairedOrderMetrics.startBaseline}).
   */
  startBaseline(tsUs: number): void {
    this.#orders.startBaseline(tsUs);
  }

  /**
   * A new step starts at `tsUs` (`step` is its index): the step's sequences restart, and orders
   * decided from then on are the step's.
   */
  startStep(step: number, tsUs: number): void {
    this.#orders.startStep(step, tsUs);
    this.#edge.startStep();
  }

  /**
   * Consumes one record; returns true when it added evidence (a paired bucket or interval
   * completed): the moment to evaluate again.
   */
  record(input: MetricsInput): boolean {
    switch (input.type) {
      case 'order': {
        const closed = this.#orders.advance(input.tsUs);
        this.#sent[input.arm === 'canary' ? 1 : 0]++;
        this.#orders.order(input.arm, input.tsUs);
        return closed.paired > 0;
      }
      case 'fill':
      case 'reject': {
        const index = input.arm === 'canary' ? 1 : 0;
        if (input.type === 'fill') {
          this.#fills[index]++;
          this.#resolved[index]++;
          this.#edge.fill(input);
        } else {
          this.#rejects[index]++;
          if (input.reason !== 'EXPIRED') this.#resolved[index]++;
        }
        this.#orders.report(input);
        return this.#orders.advance(input.tsUs).paired > 0;
      }
      case 'strategy-error':
        this.#strategyErrors[input.arm === 'canary' ? 1 : 0]++;
        return this.#orders.advance(input.tsUs).paired > 0;
      case 'equity': {
        // A sample just before a flow is taken mid-event: not a boundary, nothing completes.
        if (input.beforeFlow === true) return false;
        // In a shadow step the canary strategy's results are its paper book's, not the real one.
        if (input.book === 'real') return false;
        const closed = this.#orders.advance(input.tsUs);
        return this.#edge.onEquity(input) || closed.paired > 0;
      }
      case 'membership':
        this.#orders.markMembershipChange(input.tsUs);
        this.#edge.markMembershipChange(input.tsUs);
        return false;
    }
  }

  /** What one arm did so far. */
  counts(arm: Arm): ArmCounts {
    const index = arm === 'canary' ? 1 : 0;
    return {
      orders: this.#sent[index],
      fills: this.#fills[index],
      rejects: this.#rejects[index],
      resolvedOrders: this.#resolved[index],
      strategyErrors: this.#strategyErrors[index],
    };
  }

  /** Buckets still waiting for reports or for event time to pass their end. */
  get openBuckets(): number {
    return this.#orders.openBuckets;
  }

  /** Observations clipped to their plausibility bounds (docs/analysis.md, "Absurd values"). */
  get winsorized(): number {
    return this.#orders.winsorized;
  }

  /**
   * The evidence: for each compared metric, its current step's record then its whole rollout's,
   * each judged at its scope's policy. `required` names the metrics (and scopes) this step needs shown
   * non-inferior (it only marks the records; the decision rule reads it). O(metrics).
   */
  evaluate(
    policies: ScopedPolicies = { step: DEFAULT_METRIC_POLICIES, rollout: DEFAULT_METRIC_POLICIES },
    required: readonly RequiredMetric[] = METRIC_NAMES.map((metric) => ({ metric, scope: 'step' })),
  ): MetricEvidence[] {
    const out: MetricEvidence[] = [];
    for (const metric of METRIC_NAMES) {
      for (const scope of ['step', 'rollout'] as const) {
        const isRequired = required.some((r) => r.metric === metric && r.scope === scope);
        out.push(this.#evidence(metric, scope, policies[scope][metric], isRequired));
      }
    }
    return out;
  }

  #evidence(
    metric: MetricName,
    scope: EvidenceScope,
    policy: MetricPolicies[MetricName],
    required: boolean,
  ): MetricEvidence {
    const common = { metric, scope, policy, test: TEST_NAMES[metric], required };
    if (metric === 'edgeBps') {
      const sequence = this.#edge.sequence(scope);
      // Higher is better: the lower bound shows non-inferiority, the upper bound harm.
      const bounds = ratioBounds(
        sequence,
        policy.margin,
        policy.nonInferiorityAlpha,
        policy.rollbackAlpha,
      );
      return metricEvidence({
        ...common,
        bounds,
        n: sequence.intervals,
        nStable: sequence.intervals,
        unitOfObservation: 'intervals',
        unitOfCluster: 'intervals',
      });
    }
    // Two sequences, each with half the rollback α (Bonferroni): the same-bucket pairs, and those
    // with the pairing windows' pairs (arms that decide at different moments). Harm is shown when
    // either harm bound crosses; non-inferiority only by the same-bucket pairs, at full α.
    // The harm bounds take the accounts' variance pooled over both arms (their null: a canary
    // no different); the non-inferiority bound takes the canary's own when its accounts differ
    // more among themselves (a fault on some of them: docs/analysis.md, "Accounts as a variance
    // component").
    const boundsOf = (pairing: Pairing, judged: AccountJudgement = 'pooled') => {
      const sequence = this.#orders.sequence(metric, scope, pairing);
      const account = {
        variance: this.#orders.accountVariance(metric, scope, pairing, judged),
        degreesOfFreedom: this.#orders.accountDegreesOfFreedom(metric, judged),
      };
      const bounds = (metric === 'rejectRate' ? rateBounds : meanBounds)(
        sequence,
        account,
        policy.margin,
        policy.rollbackAlpha / 2,
        policy.nonInferiorityAlpha,
      );
      return { sequence, bounds };
    };
    const same = boundsOf('bucket');
    const windowed = boundsOf('window');
    const byWindows = windowed.bounds.lower > same.bounds.lower;
    const source = byWindows ? windowed : same;
    // The wider of the two: with the canary's own τ̂² (few accounts, few degrees of freedom)
    // dominating, Welch–Satterthwaite gives the sum more degrees of freedom than a few buckets'
    // spread alone, and the bound could come out narrower than with the pooled τ̂².
    const upper = this.#orders.canaryAccountsDiffer(metric)
      ? Math.max(same.bounds.upper, boundsOf('bucket', 'canary').bounds.upper)
      : same.bounds.upper;
    return metricEvidence({
      ...common,
      test: byWindows ? WINDOW_TEST_NAMES[metric] : common.test,
      bounds: { ...source.bounds, lower: source.bounds.lower, upper },
      n: source.sequence.canaryN,
      nStable: source.sequence.stableN,
      unitOfObservation: metric === 'rejectRate' ? 'orders' : 'fills',
      unitOfCluster: byWindows ? 'pairing windows' : 'buckets',
    });
  }
}
