import { bernoulliMixtureUpperBound } from './bernoulli-mixture-bound.js';
import { oneSidedMixtureHalfWidth } from './mixture-bound.js';
import { logNormalCdf, normalQuantile } from './normal-distribution.js';
import type { PairedSequence } from './paired-sequence.js';
import type { RatioSequence } from './ratio-sequence.js';
import { studentTUpperQuantile } from './student-t-quantile.js';

/** An estimate with its two one-sided anytime-valid bounds (each at its own α). */
export interface Bounds {
  readonly estimate: number;
  /** Lower bound (−Infinity when there is none yet). */
  readonly lower: number;
  /** Upper bound (+Infinity when there is none yet). */
  readonly upper: number;
  /** Clusters behind the variance: paired buckets, or paired intervals. */
  readonly clusters: number;
  /** Which variance model gave the wider bounds (the ones used): order-level or cluster-level. */
  readonly varianceModel: 'within' | 'between';
  /** Variance of the estimate under that model (account part included), the metric's unit². */
  readonly variance: number;
}

/** How tight a bound should be where it matters: tuned so it is narrowest when its sd is margin / 3. */
export const TARGET_SD_PER_MARGIN = 1 / 3;

function targetVariance(margin: number): number {
  const sd = margin * TARGET_SD_PER_MARGIN;
  return sd * sd;
}

/** Fewest degrees of freedom a between-cluster variance is used with (3 effective clusters). */
export const MIN_CLUSTER_DEGREES_OF_FREEDOM = 2;

/**
 * The half-width of a bound whose variance was **estimated** from clusters, with
 * `degreesOfFreedom` (at least {@link MIN_CLUSTER_DEGREES_OF_FREEDOM}, else unbounded): the
 * normal-mixture boundary's standardized level c (the half-width over the standard deviation) is
 * carried to the Student-t scale at the same tail probability, c → t_df⁻¹(1 − Φ(−c)). Every look
 * keeps the normal boundary's crossing probability although the variance comes from a handful of
 * buckets; with many buckets it is the normal boundary.
 */
export function studentizedHalfWidth(
  variance: number,
  degreesOfFreedom: number,
  target: number,
  alpha: number,
): number {
  if (!(degreesOfFreedom >= MIN_CLUSTER_DEGREES_OF_FREEDOM) || !Number.isFinite(variance))
    return Number.POSITIVE_INFINITY;
  const normal = oneSidedMixtureHalfWidth(variance, target, alpha);
  if (!(normal > 0) || !Number.isFinite(normal)) return normal;
  const sd = Math.sqrt(variance);
  const tail = Math.exp(logNormalCdf(-normal / sd));
  if (!(tail > 0)) return Number.POSITIVE_INFINITY;
  return studentTUpperQuantile(tail, degreesOfFreedom) * sd;
}

/** Wilson–Hilferty's approximation of the χ² quantile with k degrees of freedom, divided by k. */
function chiSquareQuantileOverDf(p: number, k: number): number {
  const a = 2 / (9 * k);
  return (1 - a + normalQuantile(p) * Math.sqrt(a)) ** 3;
}

/**
 * Whether the buckets spread more than order-level noise can make them: a χ²_df test at 95 % of
 * the between-bucket variance against the within-bucket one (the reject rate's rule: with bursts
 * already counted as episodes, independent rejects keep their order-level power unless the data
 * show clustering).
 */
export function clustered(within: number, between: number, degreesOfFreedom: number): boolean {
  if (!Number.isFinite(within)) return true;
  return (
    degreesOfFreedom >= 1 && between > within * chiSquareQuantileOverDf(0.95, degreesOfFreedom)
  );
}

const UNBOUNDED = { lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };

/**
 * The accounts' part of an estimate's variance (τ̂²·Σn²/W² per arm) and the degrees of freedom of
 * τ̂² (accounts − 1: it is estimated from every account, many more than the buckets).
 */
export interface AccountPart {
  readonly variance: number;
  readonly degreesOfFreedom: number;
}

/** No account effects (a test, or a metric without them). */
export const NO_ACCOUNT_PART: AccountPart = {
  variance: 0,
  degreesOfFreedom: Number.POSITIVE_INFINITY,
};

/**
 * Welch–Satterthwaite's degrees of freedom of a sum of two estimated variances: the buckets'
 * (few degrees) and the accounts' (many), so the account part is not studentized by the buckets.
 */
function combinedDegreesOfFreedom(
  between: number,
  betweenDf: number,
  account: AccountPart,
): number {
  // Too few buckets for a between-bucket variance at all: no cluster-level bound yet.
  if (!(betweenDf >= MIN_CLUSTER_DEGREES_OF_FREEDOM)) return betweenDf;
  if (!(account.variance > 0)) return betweenDf;
  if (!(between > 0)) return account.degreesOfFreedom;
  const total = between + account.variance;
  const accountTerm = Number.isFinite(account.degreesOfFreedom)
    ? (account.variance * account.variance) / account.degreesOfFreedom
    : 0;
  return (total * total) / ((between * between) / betweenDf + accountTerm);
}

/**
 * A sequence's estimate and cluster-level variance: the between-bucket variance plus the
 * accounts' part, with its degrees of freedom.
 */
function clusterPart(sequence: PairedSequence, account: AccountPart) {
  const { estimate, buckets, effectiveBuckets, between, degreesOfFreedom } = sequence.variance();
  return {
    estimate,
    buckets,
    effectiveBuckets,
    between,
    bucketDf: degreesOfFreedom,
    cluster: between + account.variance,
    degreesOfFreedom: combinedDegreesOfFreedom(between, degreesOfFreedom, account),
  };
}

/**
 * Bounds for a difference of means (slippage, latency). Each bound is the wider of two: the
 * order-level one (within-bucket variance, normal boundary) and the cluster-level one
 * (between-bucket variance, studentized boundary) — valid whatever the clustering, while a gross
 * fault, whose buckets all agree, still shows at once. The accounts' part is added to both
 * variances. Lower bound at `alphaLower`, upper at `alphaUpper`.
 */
export function meanBounds(
  sequence: PairedSequence,
  account: AccountPart,
  margin: number,
  alphaLower: number,
  alphaUpper: number,
): Bounds {
  const { estimate, buckets, effectiveBuckets, cluster, degreesOfFreedom } = clusterPart(
    sequence,
    account,
  );
  const within = sequence.withinVariance() + account.variance;
  const synchronized = sequence.synchronized;
  if (effectiveBuckets < 2 || !Number.isFinite(estimate)) {
    return {
      estimate,
      ...UNBOUNDED,
      clusters: buckets,
      varianceModel: 'between',
      variance: cluster,
    };
  }
  const v0 = targetVariance(margin);
  const half = (alpha: number): { h: number; model: 'within' | 'between' } => {
    const hw = Number.isFinite(within) ? oneSidedMixtureHalfWidth(within, v0, alpha) : Infinity;
    // Both arms decided at the same instants in every bucket: the order-level model is the whole
    // story (the market moment cancels exactly); otherwise the cluster-level bound may be wider.
    if (synchronized && Number.isFinite(hw)) return { h: hw, model: 'within' };
    const hb = studentizedHalfWidth(cluster, degreesOfFreedom, v0, alpha);
    return hb > hw ? { h: hb, model: 'between' } : { h: hw, model: 'within' };
  };
  const lower = half(alphaLower);
  const upper = half(alphaUpper);
  const varianceModel = upper.model;
  return {
    estimate,
    lower: estimate - lower.h,
    upper: estimate + upper.h,
    clusters: buckets,
    varianceModel,
    variance: varianceModel === 'between' ? cluster : within,
  };
}

/**
 * Bounds for a difference of rates (rejects), by inverting score tests: δ is inside the bound
 * when |d̂ − δ| is within the half-width computed with the canary's variance **at the null**
 * p_c = q̃ + δ ({@link PairedSequence.bernoulliWithin}), so zero rejects never means zero
 * variance; when the buckets show clustering ({@link clustered}), the cluster-level bound
 * (studentized) widens it too. The accounts' part is added to both variances.
 */
export function rateBounds(
  sequence: PairedSequence,
  account: AccountPart,
  margin: number,
  alphaLower: number,
  alphaUpper: number,
): Bounds {
  const { estimate, buckets, effectiveBuckets, between, bucketDf, cluster, degreesOfFreedom } =
    clusterPart(sequence, account);
  const accountVariance = account.variance;
  const isClustered =
    !sequence.synchronized && clustered(sequence.bernoulliWithin(estimate), between, bucketDf);
  const varianceModel = isClustered ? 'between' : 'within';
  const atEstimate = sequence.bernoulliWithin(estimate) + accountVariance;
  if (effectiveBuckets < 2 || !Number.isFinite(estimate) || !Number.isFinite(atEstimate)) {
    return { estimate, ...UNBOUNDED, clusters: buckets, varianceModel, variance: atEstimate };
  }
  const v0 = targetVariance(margin);
  const clusterHalf = (alpha: number): number =>
    isClustered ? studentizedHalfWidth(cluster, degreesOfFreedom, v0, alpha) : 0;
  // Upper: the largest δ ≥ d̂ still inside; lower: the smallest δ ≤ d̂ still inside. δ ∈ [−1, 1].
  const inside = (delta: number, alpha: number, floor: number): boolean =>
    Math.abs(estimate - delta) <=
    Math.max(
      oneSidedMixtureHalfWidth(sequence.bernoulliWithin(delta) + accountVariance, v0, alpha),
      floor,
    );
  const upperFloor = clusterHalf(alphaUpper);
  const lowerFloor = clusterHalf(alphaLower);
  const upper =
    !isClustered && !(accountVariance > 0)
      ? exactRateUpper(sequence, alphaUpper)
      : edgeOfInterval(estimate, 1, (d) => inside(d, alphaUpper, upperFloor));
  const lower = edgeOfInterval(estimate, -1, (d) => inside(d, alphaLower, lowerFloor));
  return {
    estimate,
    lower: lower === -1 ? Number.NEGATIVE_INFINITY : lower,
    upper: upper === 1 ? Number.POSITIVE_INFINITY : upper,
    clusters: buckets,
    varianceModel,
    variance: isClustered ? Math.max(cluster, atEstimate) : atEstimate,
  };
}

/**
 * The safe-side bound of a rate difference when the rejects are independent (no clustering, no
 * account effects): the canary's exact Bernoulli mixture bound ({@link bernoulliMixtureUpperBound})
 * minus a lower bound of the stable's rate (its estimate less three standard errors, from many
 * more orders), so that a canary without rejects is shown non-inferior from about
 * (ln(1/α) + ln(n·m))/m orders instead of the normal approximation's 10/m.
 */
function exactRateUpper(sequence: PairedSequence, alpha: number): number {
  const orders = sequence.canaryN;
  const rejects = Math.round(sequence.canarySum);
  const canaryUpper = bernoulliMixtureUpperBound(rejects, orders, alpha);
  if (!Number.isFinite(canaryUpper)) return 1;
  const stableN = sequence.stableN;
  const q = stableN > 0 ? sequence.stableSum / stableN : 0;
  const stableLower = Math.max(0, q - 3 * Math.sqrt((q * (1 - q)) / Math.max(1, stableN)));
  return canaryUpper - stableLower;
}

/** Bisection from `from` (inside) towards `to`: the last point still inside (or `to`). */
function edgeOfInterval(from: number, to: number, inside: (x: number) => boolean): number {
  if (inside(to)) return to;
  let a = from;
  let b = to;
  for (let i = 0; i < 40 && Math.abs(b - a) > 1e-7; i++) {
    const mid = (a + b) / 2;
    if (inside(mid)) a = mid;
    else b = mid;
  }
  return a;
}

/** Bounds for a ratio of paired sums (returns per unit of turnover): studentized, between only. */
export function ratioBounds(
  sequence: RatioSequence,
  margin: number,
  alphaLower: number,
  alphaUpper: number,
): Bounds {
  const { estimate, intervals, effectiveIntervals, variance, degreesOfFreedom } =
    sequence.variance();
  if (effectiveIntervals < 2 || !Number.isFinite(estimate) || !Number.isFinite(variance)) {
    return { estimate, ...UNBOUNDED, clusters: intervals, varianceModel: 'between', variance };
  }
  const v0 = targetVariance(margin);
  return {
    estimate,
    lower: estimate - studentizedHalfWidth(variance, degreesOfFreedom, v0, alphaLower),
    upper: estimate + studentizedHalfWidth(variance, degreesOfFreedom, v0, alphaUpper),
    clusters: intervals,
    varianceModel: 'between',
    variance,
  };
}
