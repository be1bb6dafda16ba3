import type { Arm } from '../core/arm.js';
import { decimalToFloat, LastDecimalFloat } from '../core/decimal-to-float.js';
import type { ExecutionReport, FillReport } from '../core/execution-report.js';
import { AccountConcentration, AccountEffects } from './account-effects.js';
import { PairedSequence, type ArmBucketSummary } from './paired-sequence.js';

/**
 * The per-order metrics paired by event-time bucket: fill slippage, fill latency, reject rate, and
 * the fee of each fill in bps of its notional.
 */
export type OrderMetric = 'slippageBps' | 'latencyMs' | 'rejectRate' | 'feeBps';

/** The per-order metrics, in evidence order. */
export const ORDER_METRICS: readonly OrderMetric[] = [
  'slippageBps',
  'latencyMs',
  'rejectRate',
  'feeBps',
];

/** Which scope of evidence: the whole rollout, or the current step only. */
export type EvidenceScope = 'rollout' | 'step';

/**
 * Which pairs a sequence holds: `bucket`, the arms' observations in the same bucket only; `window`,
 * those and the pairs of the pairing windows (a one-armed bucket with the other arm's next one).
 */
export type Pairing = 'bucket' | 'window';

const METRIC_COUNT = 4;
const metricIndex: Readonly<Record<OrderMetric, number>> = {
  slippageBps: 0,
  latencyMs: 1,
  rejectRate: 2,
  feeBps: 3,
};

function perMetric<T>(make: () => T): T[] {
  return Array.from({ length: METRIC_COUNT }, make);
}
// The step's start as the rollout's own objects (see PairedOrderMetrics' #stepSharesRollout).
const sequencesOf = (): Record<EvidenceScope, PairedSequence[]> => {
  const rollout = perMetric(() => new PairedSequence());
  return { rollout, step: [...rollout] };
};
const concentrationsOf = (): Record<EvidenceScope, AccountConcentration[]> => {
  const rollout = perMetric(() => new AccountConcentration());
  return { rollout, step: [...rollout] };
};

/** Options of {@link PairedOrderMetrics}. */
export interface PairedOrderMetricsOptions {
  /**
   * false: the step's sums are kept apart from the rollout's from the start, each pair added to
   * both. The same figures (tested) at twice the work: the reference the shared sums are held to.
   */
  readonly stepSharesRollout?: boolean;
}

/**
 * Values beyond these are winsorized (clipped) before they enter any statistic, so that one absurd
 * report (a slippage of 1e308 bps from a buggy bot) moves an estimate by a bounded amount and can
 * never freeze a metric. Far outside anything a venue produces: 10 % of price, one minute.
 */
export const WINSOR_BOUNDS = { slippageBps: 1_000, latencyMs: 60_000, feeBps: 1_000 } as const;

/**
 * A fill's fee in bps of its notional is rounded to 1 / this (a millionth of a bp): far below any
 * fee schedule's step, and exact fees (a fixed rate on every fill) give exactly equal observations
 * instead of floating-point dust around them.
 */
const FEE_BPS_SCALE = 1e6;

/** A pairing window spans at most this many buckets… */
export const PAIRING_WINDOW_BUCKETS = 6;
/** …or this long, whichever is longer (ms). */
export const MIN_PAIRING_WINDOW_MS = 60_000;

/** Marks a reject in the slippage column (a reject has no slippage; NaN never is a fill's). */
const REJECT_MARK = Number.NaN;

/**
 * One open bucket: the orders decided in [start, end) of event time within one step, a column per
 * report field (exported for tests).
 */
export interface OpenBucket {
  readonly step: number;
  readonly endUs: number;
  /** Orders sent minus reports received. */
  pending: number;
  size: number;
  account: Int32Array;
  arm: Uint8Array;
  /** 0 a fill, 1 a reject that counts, 2 a report that is no observation (EXPIRED). */
  kind: Uint8Array;
  slippage: Float64Array;
  latency: Float64Array;
  fee: Float64Array;
  /** The decision time of each report's order, µs (groups a bucket's reports into batches). */
  decision: Float64Array;
}

/**
 * A decision batch (one arm's orders of one decision) with at least this many rejects, and at
 * least half its orders rejected, is a **burst** (a rate limit, a venue hiccup): one episode,
 * counted per arm and left out of the reject-rate comparison, not n correlated rejects. A canary
 * whose batches keep failing trips the reject-rate guardrail (docs/analysis.md).
 */
export const BURST_MIN_REJECTS = 3;

/**
 * The latest bucket in which one arm had observations of a metric and the other none, waiting for
 * the other arm's next bucket (a pairing window wider than one bucket).
 */
interface Carry {
  readonly arm: 0 | 1;
  readonly step: number;
  /** Start of the carried bucket, µs. */
  readonly startUs: number;
  readonly summary: ArmBucketSummary;
  /** The account index of each of its observations (for the scope's account concentration). */
  readonly accounts: readonly number[];
}

/** The scopes and pairings a pair enters (shared, not built per pair). */
const BOTH_SCOPES: readonly EvidenceScope[] = ['rollout', 'step'];
const ROLLOUT_ONLY: readonly EvidenceScope[] = ['rollout'];
const BOTH_PAIRINGS: readonly Pairing[] = ['bucket', 'window'];
const WINDOW_ONLY: readonly Pairing[] = ['window'];

/** What {@link PairedOrderMetrics.advance} returns when no bucket closed (shared). */
const NOTHING_CLOSED: BucketsClosed = Object.freeze({ closed: 0, paired: 0 });

/** The step index of the baseline (every account on stable, before the first step). */
const BASELINE_STEP = -2;

/**
 * The metrics whose observations are adjusted by each account's baseline effect: the continuous
 * ones. A reject is a 0/1 observation that the rate bounds need as such.
 */
const ADJUSTED: readonly boolean[] = [true, true, false, true];

/** What closing buckets changed, for the caller's "new evidence" signal. */
export interface BucketsClosed {
  readonly closed: number;
  readonly paired: number;
}

/**
 * Which τ̂² the canary's accounts are taken to have: the pooled one (every account alike: the
 * harm bound, whose null is a canary no different from stable), or the larger of that and its
 * own accounts' (the non-inferiority bound, whose null is a canary worse by the margin, perhaps
 * on some of its accounts only).
 */
export type AccountJudgement = 'pooled' | 'canary';

/**
 * Per-order evidence paired by **event-time bucket**, the unit that carries the market's
 * randomness: every order belongs to the bucket of its decision time (width `bucketMs`) within
 * its step; when a bucket closes (event time has passed its end and every order in it has a
 * report, or `closeAfterMs` later at the latest), each metric with observations on both arms adds
 * one paired difference (canary mean − stable mean, weighted by the canary's count) to the
 * rollout's sequence and to the current step's. The market's own move in that bucket cancels.
 *
 * It also keeps every account's residuals (observation − its arm's bucket mean) to estimate the
 * between-account variance τ² of each metric ({@link AccountEffects}), and how the current
 * scopes' observations are spread over accounts ({@link AccountConcentration}).
 *
 * O(1) per order and report (amortized); memory O(open orders + accounts).
 */
export class PairedOrderMetrics {
  readonly bucketUs: number;
  readonly closeAfterUs: number;
  /**
   * Longest pairing window, µs: a bucket in which only one arm traded waits at most this long
   * (from its start to the end of the other arm's bucket) to be paired with the other arm's next
   * bucket. Strategies that decide at different moments (a new version's signal, a slower
   * cadence) rarely share one short bucket; without the window they would never be compared.
   */
  readonly maxWindowUs: number;
  /** Per metric: the carried one-armed observations, or null. */
  readonly #carry: (Carry | null)[] = perMetric(() => null);
  readonly #open = new Map<number, OpenBucket>();
  /**
   * The open bucket of the last decision time asked for: the orders and reports of one decision
   * batch share their decision time. Forgotten when that bucket closes or a step starts.
   */
  #lastDecisionUs = Number.NaN;
  #lastBucket: OpenBucket | undefined = undefined;
  readonly #accountIndex = new Map<string, number>();
  /** Account index by the reports' `accountSeq` (-1: not seen yet). */
  #indexBySeq = new Int32Array(0);
  readonly #sequences: Record<Pairing, Record<EvidenceScope, PairedSequence[]>> = {
    bucket: sequencesOf(),
    window: sequencesOf(),
  };
  readonly #concentration: Record<Pairing, Record<EvidenceScope, AccountConcentration[]>> = {
    bucket: concentrationsOf(),
    window: concentrationsOf(),
  };
  readonly #effects = perMetric(() => new AccountEffects());
  /**
   * The canary's accounts alone, per metric: a fault that hits some of its accounts only makes
   * them differ among themselves far more than the pooled estimate, diluted by stable's many
   * accounts, shows.
   */
  readonly #canaryEffects = perMetric(() => new AccountEffects());
  /** Residuals of the baseline's buckets (every account on stable), per metric. */
  readonly #baseline = perMetric(() => new AccountEffects());
  /**
   * Each account's baseline effect per metric, frozen when the first step starts (null: no
   * baseline, or nothing to remove); subtracted from every later observation of the account.
   */
  #offsets: (Float64Array | null)[] | null = null;
  /** Pooled within-bucket variance per metric: Σ(n − 1)s² and Σ(n − 1). */
  readonly #pooledSs = new Float64Array(METRIC_COUNT);
  readonly #pooledDf = new Float64Array(METRIC_COUNT);
  /** Step transitions: the step index in force from each start time on (ascending). */
  readonly #stepStarts: { readonly step: number; readonly fromUs: number }[] = [
    { step: -1, fromUs: Number.NEGATIVE_INFINITY },
  ];
  #pool: OpenBucket[] = [];
  /** The concentrations a pair enters (reused by every pair). */
  readonly #targets: AccountConcentration[] = [];
  /**
   * The closing bucket's observations, metric-major (`k × size + i`), NaN where a report is no
   * observation of the metric: read once per close instead of once per use (no observation is
   * NaN: absurd values are clipped, rejects have no slippage observation).
   */
  #observed = new Float64Array(METRIC_COUNT * 64);
  /** The earliest end of an open bucket, µs: before it, {@link advance} has nothing to close. */
  #earliestEndUs = Number.POSITIVE_INFINITY;
  /** Buckets ending at or before this time (µs) touch a membership change: not paired. */
  #quietUntilUs = Number.NEGATIVE_INFINITY;
  #lateReports = 0;
  #winsorized = 0;
  /** Reject episodes (bursts) per arm (0 stable, 1 canary). */
  readonly #bursts: [number, number] = [0, 0];
  /**
   * True while the step's sequences and concentrations are the rollout's own objects: until a
   * step starts after the first pair, or a pair enters the rollout alone (a bucket of an earlier
   * step). Until then both scopes have had the same pairs, so one set of sums serves both and
   * each pair is added once, not twice: a replay at a fixed weight, and a rollout's first step,
   * never part them. Adding a pair's observations to the account counts is the costly part: the
   * bench's replay took a few percent less (docs/benchmark-history.md, the eighteenth session).
   */
  #stepSharesRollout = true;
  /** Whether any pair was added yet (both scopes are empty until then). */
  #paired = false;

  constructor(
    bucketMs: number,
    closeAfterMs = Math.max(bucketMs, 60_000),
    options: PairedOrderMetricsOptions = {},
  ) {
    if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0)
      throw new RangeError(`bucketMs must be a positive whole number, got ${bucketMs}`);
    this.bucketUs = bucketMs * 1000;
    this.closeAfterUs = closeAfterMs * 1000;
    this.maxWindowUs = Math.max(
      MIN_PAIRING_WINDOW_MS * 1000,
      PAIRING_WINDOW_BUCKETS * this.bucketUs,
    );
    if (options.stepSharesRollout === false) this.#separateStep(false);
  }

  /** Reports that arrived after their bucket had closed (ignored). */
  get lateReports(): number {
    return this.#lateReports;
  }

  /** Observations clipped to {@link WINSOR_BOUNDS}. */
  get winsorized(): number {
    return this.#winsorized;
  }

  /** Buckets still open. */
  get openBuckets(): number {
    return this.#open.size;
  }

  /** Reject bursts (episodes) counted so far on `arm`. */
  bursts(arm: Arm): number {
    return this.#bursts[arm === 'canary' ? 1 : 0];
  }

  /**
   * A new step starts at `tsUs`: orders decided from then on belong to it, and the step's
   * sequences start empty (a regression that appears only at this weight is judged on this
   * weight's data).
   */
  startStep(step: number, tsUs: number): void {
    const last = this.#stepStarts[this.#stepStarts.length - 1]!;
    if (last.step === step) return;
    this.#lastBucket = undefined;
    if (last.step === BASELINE_STEP) this.#freezeOffsets();
    this.#stepStarts.push({ step, fromUs: Math.max(tsUs, last.fromUs) });
    if (this.#stepStarts.length > 8) this.#stepStarts.splice(1, this.#stepStarts.length - 8);
    if (this.#stepSharesRollout) {
      // Nothing paired yet: both scopes are empty and stay one. Else the step starts apart.
      if (this.#paired) this.#separateStep(false);
      return;
    }
    for (const pairing of ['bucket', 'window'] as const) {
      for (let k = 0; k < METRIC_COUNT; k++) {
        this.#sequences[pairing].step[k] = new PairedSequence();
        this.#concentration[pairing].step[k]!.reset();
      }
    }
  }

  /**
   * Gives the step sums of its own, for every metric and pairing: copies of the rollout's
   * (`copy`), or empty ones.
   */
  #separateStep(copy: boolean): void {
    this.#stepSharesRollout = false;
    for (const pairing of ['bucket', 'window'] as const) {
      const sequences = this.#sequences[pairing];
      const concentrations = this.#concentration[pairing];
      for (let k = 0; k < METRIC_COUNT; k++) {
        sequences.step[k] = copy ? sequences.rollout[k]!.copy() : new PairedSequence();
        concentrations.step[k] = copy
          ? concentrations.rollout[k]!.copy()
          : new AccountConcentration();
      }
    }
  }

  /**
   * A baseline starts at `tsUs` (before the first step; every account trades stable): its
   * observations are never paired; they estimate each account's persistent effect per metric (its
   * mean residual, shrunk by its reliability: {@link AccountEffects.shrunkEffect}), which is
   * subtracted from the account's later observations of slippage, latency and fees, so that the
   * few accounts of a small step are compared without their own offsets (regression adjustment on
   * pre-period data, as CUPED: Deng, Xu, Kohavi & Walker 2013). The offsets are fixed before any
   * account trades the canary, so the adjustment cannot depend on the comparison.
   */
  startBaseline(tsUs: number): void {
    if (this.#stepStarts.length !== 1) throw new Error('a baseline comes before the first step');
    this.#lastBucket = undefined;
    this.#stepStarts.push({ step: BASELINE_STEP, fromUs: tsUs });
  }

  /** Accounts whose baseline effect is removed from their observations (0 without a baseline). */
  get adjustedAccounts(): number {
    const offsets = this.#offsets ?? [];
    let count = 0;
    for (let j = 0; j < this.#accountIndex.size; j++)
      if (offsets.some((o) => offsetOf(o, j) !== 0)) count++;
    return count;
  }

  /** The baseline effect removed from account `accountId`'s observations of `metric` (0: none). */
  baselineEffect(metric: OrderMetric, accountId: string): number {
    const offsets = this.#offsets?.[metricIndex[metric]] ?? null;
    const index = this.#accountIndex.get(accountId);
    return offsets === null || index === undefined || index >= offsets.length ? 0 : offsets[index]!;
  }

  #freezeOffsets(): void {
    const accounts = this.#accountIndex.size;
    this.#offsets = perMetric(() => null);
    for (let k = 0; k < METRIC_COUNT; k++) {
      const baseline = this.#baseline[k]!;
      if (!ADJUSTED[k] || !(baseline.tau2 > 0)) continue;
      const offsets = new Float64Array(accounts);
      for (let j = 0; j < accounts; j++) offsets[j] = baseline.shrunkEffect(j);
      this.#offsets[k] = offsets;
    }
  }

  /**
   * Accounts changed arm at `tsUs` (a step's transition, a rollback, the shadow step starting or
   * ending): the bucket that contains it and the next one are not paired. Their orders are the
   * rollout's mechanics (flattening the leaving accounts on one arm, bringing the joining ones to
   * the other arm's target), not either version's decisions.
   */
  markMembershipChange(tsUs: number): void {
    const end = (Math.floor(tsUs / this.bucketUs) + 2) * this.bucketUs;
    this.#quietUntilUs = Math.max(this.#quietUntilUs, end);
  }

  /** One order sent by `arm`, decided at `tsUs`. */
  order(_arm: Arm, tsUs: number): void {
    this.#bucketFor(tsUs, true)!.pending++;
  }

  /** A fill or reject report. */
  report(report: ExecutionReport): void {
    const bucket = this.#bucketFor(report.decisionTsUs, false);
    if (bucket === undefined) {
      this.#lateReports++;
      return;
    }
    bucket.pending--;
    const i = bucket.size;
    if (i === bucket.account.length) this.#grow(bucket);
    bucket.size = i + 1;
    bucket.account[i] = this.#indexOf(report);
    bucket.arm[i] = report.arm === 'canary' ? 1 : 0;
    bucket.decision[i] = report.decisionTsUs;
    if (report.type === 'fill') {
      bucket.kind[i] = 0;
      bucket.slippage[i] = this.#clip(report.slippageBps, WINSOR_BOUNDS.slippageBps);
      bucket.latency[i] = this.#clip(report.latencyMs, WINSOR_BOUNDS.latencyMs);
      bucket.fee[i] = this.#clip(feeBpsOf(report), WINSOR_BOUNDS.feeBps);
      const offsets = this.#offsets;
      if (offsets !== null && bucket.step !== BASELINE_STEP) {
        const j = bucket.account[i];
        bucket.slippage[i] = bucket.slippage[i] - offsetOf(offsets[0], j);
        bucket.latency[i] = bucket.latency[i] - offsetOf(offsets[1], j);
        bucket.fee[i] = bucket.fee[i] - offsetOf(offsets[3], j);
      }
    } else {
      bucket.kind[i] = report.reason === 'EXPIRED' ? 2 : 1;
      bucket.slippage[i] = REJECT_MARK;
    }
  }

  /**
   * Event time has reached `tsUs`: closes every bucket that ended by then and has all its
   * reports (or ended `closeAfterMs` ago). Returns how many closed and how many gave a pair.
   */
  advance(tsUs: number): BucketsClosed {
    if (tsUs < this.#earliestEndUs) return NOTHING_CLOSED;
    let closed = 0;
    let paired = 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, bucket] of this.#open) {
      const open =
        bucket.endUs > tsUs || (bucket.pending > 0 && tsUs < bucket.endUs + this.closeAfterUs);
      if (open) {
        if (bucket.endUs < earliest) earliest = bucket.endUs;
        continue;
      }
      this.#open.delete(key);
      if (bucket === this.#lastBucket) this.#lastBucket = undefined;
      closed++;
      paired += this.#close(bucket);
      this.#release(bucket);
    }
    this.#earliestEndUs = earliest;
    return closed === 0 ? NOTHING_CLOSED : { closed, paired };
  }

  /** The paired sequence of `metric` over `scope`: same-bucket pairs, or with the windows' too. */
  sequence(metric: OrderMetric, scope: EvidenceScope, pairing: Pairing = 'bucket'): PairedSequence {
    return this.#sequences[pairing][scope][metricIndex[metric]]!;
  }

  /**
   * τ̂²·Σn²/W² per arm for `metric` over `scope`: the account part of the estimate's variance.
   * `pooled` (the harm bound's): one τ̂² over every account, what the accounts of both arms share
   * when the canary is no different. `canary` (the non-inferiority bound's): the canary's τ̂² is
   * the larger of the pooled one and its own accounts' (as its per-order variance is the larger
   * of its own and stable's), so a canary whose accounts differ among themselves (a fault on some
   * of them) is not shown within its margin on stable's many alike accounts.
   */
  accountVariance(
    metric: OrderMetric,
    scope: EvidenceScope,
    pairing: Pairing = 'bucket',
    judged: AccountJudgement = 'pooled',
  ): number {
    const k = metricIndex[metric];
    const concentration = this.#concentration[pairing][scope][k]!;
    const pooled = this.#effects[k]!.tau2;
    if (judged === 'pooled') return pooled * concentration.factor;
    const canary = Math.max(pooled, this.#canaryEffects[k]!.tau2);
    return pooled * concentration.armFactor(0) + canary * concentration.armFactor(1);
  }

  /**
   * Degrees of freedom of the τ̂² behind {@link accountVariance} (accounts with two observations
   * or more, less one): with `canary`, its own accounts' when theirs is the larger τ̂².
   */
  accountDegreesOfFreedom(metric: OrderMetric, judged: AccountJudgement = 'pooled'): number {
    const k = metricIndex[metric];
    const pooled = this.#effects[k]!;
    const canary = this.#canaryEffects[k]!;
    const by = judged === 'canary' && canary.tau2 > pooled.tau2 ? canary : pooled;
    return Math.max(1, by.accounts - 1);
  }

  /** True when the canary's own accounts differ more than the pooled τ̂² says (for `metric`). */
  canaryAccountsDiffer(metric: OrderMetric): boolean {
    const k = metricIndex[metric];
    return this.#canaryEffects[k]!.tau2 > this.#effects[k]!.tau2;
  }

  /** τ̂² of `metric`: the between-account variance of its account effects. */
  tau2(metric: OrderMetric): number {
    return this.#effects[metricIndex[metric]]!.tau2;
  }

  #clip(value: number, bound: number): number {
    if (Number.isNaN(value)) {
      this.#winsorized++;
      return 0;
    }
    if (value > bound || value < -bound) {
      this.#winsorized++;
      return value > 0 ? bound : -bound;
    }
    return value;
  }

  #stepAt(tsUs: number): number {
    const starts = this.#stepStarts;
    for (let i = starts.length - 1; i >= 0; i--)
      if (starts[i]!.fromUs <= tsUs) return starts[i]!.step;
    return -1;
  }

  #bucketFor(tsUs: number, create: boolean): OpenBucket | undefined {
    if (tsUs === this.#lastDecisionUs && this.#lastBucket !== undefined) return this.#lastBucket;
    const step = this.#stepAt(tsUs);
    const index = Math.floor(tsUs / this.bucketUs);
    const key = index * 1024 + ((step + 1) & 1023);
    let bucket = this.#open.get(key);
    if (bucket === undefined && create) {
      bucket = this.#acquire(step, (index + 1) * this.bucketUs);
      this.#open.set(key, bucket);
      if (bucket.endUs < this.#earliestEndUs) this.#earliestEndUs = bucket.endUs;
    }
    if (bucket !== undefined) {
      this.#lastDecisionUs = tsUs;
      this.#lastBucket = bucket;
    }
    return bucket;
  }

  /**
   * The report's account's index (first seen, first numbered). Through the report's
   * `accountSeq` when it has one (an array read), else by id; either way the same index.
   */
  #indexOf(report: ExecutionReport): number {
    const seq = report.accountSeq;
    if (seq !== undefined) {
      const known = seq < this.#indexBySeq.length ? this.#indexBySeq[seq]! : -1;
      if (known >= 0) return known;
    }
    let index = this.#accountIndex.get(report.accountId);
    if (index === undefined) {
      index = this.#accountIndex.size;
      this.#accountIndex.set(report.accountId, index);
    }
    if (seq !== undefined) this.#rememberSeq(seq, index);
    return index;
  }

  #rememberSeq(seq: number, index: number): void {
    if (!(Number.isSafeInteger(seq) && seq >= 0)) return;
    if (seq >= this.#indexBySeq.length) {
      let size = Math.max(64, this.#indexBySeq.length);
      while (size <= seq) size *= 2;
      const grown = new Int32Array(size).fill(-1);
      grown.set(this.#indexBySeq);
      this.#indexBySeq = grown;
    }
    this.#indexBySeq[seq] = index;
  }

  /** Closes one bucket; returns 1 when some metric gave a paired observation. */
  #close(bucket: OpenBucket): number {
    const currentStep = this.#stepStarts[this.#stepStarts.length - 1]!.step;
    if (bucket.step === BASELINE_STEP) {
      // Never paired: the baseline only teaches each account's own effect.
      const observed = this.#observe(bucket);
      for (let k = 0; k < METRIC_COUNT; k++) {
        const summaries = summarizeArms(bucket, observed, k);
        this.#addResiduals(bucket, observed, k, summaries, this.#baseline[k]!);
      }
      return 0;
    }
    this.#markBursts(bucket);
    const observed = this.#observe(bucket);
    const synchronized = decidedTogether(bucket);
    const quiet = bucket.endUs > this.#quietUntilUs;
    let anyPair = 0;
    for (let k = 0; k < METRIC_COUNT; k++) {
      const summaries = summarizeArms(bucket, observed, k);
      const [stable, canary] = summaries;
      // Pooled per-observation variance (fallback for buckets that cannot estimate their own).
      for (const s of summaries) {
        if (s.n >= 2) {
          this.#pooledSs[k] = this.#pooledSs[k]! + (s.n - 1) * s.variance;
          this.#pooledDf[k] = this.#pooledDf[k]! + s.n - 1;
        }
      }
      const pooled = this.#pooledDf[k]! > 0 ? this.#pooledSs[k]! / this.#pooledDf[k]! : Number.NaN;
      this.#addResiduals(bucket, observed, k, summaries, this.#effects[k]!);
      this.#addResiduals(bucket, observed, k, summaries, this.#canaryEffects[k]!, true);
      if (!quiet) {
        this.#carry[k] = null; // a membership change: nothing is paired across it
        continue;
      }
      if (stable.n > 0 && canary.n > 0) {
        this.#carry[k] = null;
        this.#pair(bucket, k, canary, stable, pooled, synchronized, currentStep);
        anyPair = 1;
        continue;
      }
      if (stable.n === 0 && canary.n === 0) continue;
      // One arm only: pair it with the other arm's carried observations, or carry it.
      const arm = canary.n > 0 ? 1 : 0;
      const here = summaries[arm];
      let carry = this.#carry[k] ?? null;
      if (
        carry !== null &&
        (carry.step !== bucket.step ||
          bucket.endUs - carry.startUs > this.maxWindowUs ||
          carry.startUs + this.bucketUs <= this.#quietUntilUs)
      ) {
        carry = null; // too old, another step's, or before a membership change: dropped unpaired
      }
      if (carry !== null && carry.arm !== arm) {
        this.#carry[k] = null;
        const [c, st] = arm === 1 ? [here, carry.summary] : [carry.summary, here];
        this.#pair(bucket, k, c, st, pooled, false, currentStep, carry);
        anyPair = 1;
        continue;
      }
      // The latest one-armed bucket waits (an older one of the same arm is dropped): a pair is
      // always two neighbouring moments, one bucket of each arm, never a pile of buckets.
      const accounts: number[] = [];
      const row = k * bucket.size;
      for (let i = 0; i < bucket.size; i++)
        if (bucket.arm[i] === arm && !Number.isNaN(observed[row + i]!))
          accounts.push(bucket.account[i]!);
      this.#carry[k] = {
        arm,
        step: bucket.step,
        startUs: bucket.endUs - this.bucketUs,
        summary: here,
        accounts,
      };
    }
    return anyPair;
  }

  #pair(
    bucket: OpenBucket,
    k: number,
    canary: ArmBucketSummary,
    stable: ArmBucketSummary,
    pooled: number,
    synchronized: boolean,
    currentStep: number,
    carried: Carry | null = null,
  ): void {
    let scopes = bucket.step === currentStep ? BOTH_SCOPES : ROLLOUT_ONLY;
    if (this.#stepSharesRollout) {
      // Adding to the rollout's sums adds to the step's: they are the same objects. A pair for
      // the rollout alone parts them first.
      if (scopes === ROLLOUT_ONLY) this.#separateStep(true);
      scopes = ROLLOUT_ONLY;
    }
    this.#paired = true;
    // A same-bucket pair is in both kinds of sequence; a window's pair in `window` only.
    const pairings = carried === null ? BOTH_PAIRINGS : WINDOW_ONLY;
    const targets = this.#targets;
    targets.length = 0;
    for (const pairing of pairings) {
      for (const scope of scopes) {
        this.#sequences[pairing][scope][k]!.add(canary, stable, pooled, synchronized);
        targets.push(this.#concentration[pairing][scope][k]!);
      }
    }
    // Each concentration takes the bucket's observations in one pass, in order (its float sums
    // are those of adding them one by one).
    const observed = this.#observed;
    const row = k * bucket.size;
    for (const concentration of targets)
      concentration.addObserved(bucket.account, bucket.arm, observed, row, bucket.size);
    if (carried !== null)
      for (const concentration of targets)
        for (const account of carried.accounts) concentration.add(account, carried.arm, 1);
  }

  /**
   * Finds the bucket's bursts (decision batches with ≥ {@link BURST_MIN_REJECTS} rejects and at
   * least half their orders rejected) and counts each as one episode of its arm; its reports stop
   * being reject-rate observations (kind 3): one venue outage, which hits whichever arm happens to
   * trade at that moment, must not decide the rate comparison either way.
   */
  #markBursts(bucket: OpenBucket): void {
    let rejects = 0;
    for (let i = 0; i < bucket.size; i++) if (bucket.kind[i] === 1) rejects++;
    if (rejects < BURST_MIN_REJECTS) return;
    const batches = new Map<number, { orders: number; rejects: number }>();
    for (let i = 0; i < bucket.size; i++) {
      const kind = bucket.kind[i]!;
      if (kind === 2) continue;
      const key = bucket.decision[i]! * 2 + bucket.arm[i]!;
      const batch = batches.get(key) ?? { orders: 0, rejects: 0 };
      batch.orders++;
      if (kind === 1) batch.rejects++;
      batches.set(key, batch);
    }
    for (const [key, batch] of batches) {
      if (!(batch.rejects >= BURST_MIN_REJECTS && 2 * batch.rejects >= batch.orders)) continue;
      const arm = key % 2;
      this.#bursts[arm as 0 | 1]++;
      for (let i = 0; i < bucket.size; i++) {
        if (bucket.decision[i]! * 2 + bucket.arm[i]! !== key || bucket.kind[i] === 2) continue;
        bucket.kind[i] = 3;
      }
    }
  }

  /** Fills {@link #observed} with the bucket's observations of every metric; returns it. */
  #observe(bucket: OpenBucket): Float64Array {
    const size = bucket.size;
    if (this.#observed.length < METRIC_COUNT * size) {
      this.#observed = new Float64Array(METRIC_COUNT * bucket.account.length);
    }
    const observed = this.#observed;
    for (let k = 0; k < METRIC_COUNT; k++) {
      const row = k * size;
      for (let i = 0; i < size; i++) observed[row + i] = observation(bucket, k, i) ?? Number.NaN;
    }
    return observed;
  }

  #addResiduals(
    bucket: OpenBucket,
    observed: Float64Array,
    k: number,
    summaries: readonly ArmBucketSummary[],
    effects: AccountEffects,
    canaryOnly = false,
  ): void {
    // An arm with fewer than two observations in the bucket has no residuals (nor stable's, for
    // the canary's own estimate: a NaN mean skips an arm).
    const [stable, canary] = summaries as readonly [ArmBucketSummary, ArmBucketSummary];
    effects.addResiduals(
      bucket.account,
      bucket.arm,
      observed,
      k * bucket.size,
      bucket.size,
      stable.n >= 2 && !canaryOnly ? stable.mean : Number.NaN,
      canary.n >= 2 ? canary.mean : Number.NaN,
    );
  }

  #acquire(step: number, endUs: number): OpenBucket {
    const reused = this.#pool.pop();
    if (reused !== undefined) {
      // Written out as the literal below, in its order: a spread (`{ ...reused, step }`) gives
      // the object another hidden class, and every function reading buckets then meets two
      // shapes (V8 deoptimized `summarizeArms` some 20 times a replay on it).
      return {
        step,
        endUs,
        pending: 0,
        size: 0,
        account: reused.account,
        arm: reused.arm,
        kind: reused.kind,
        slippage: reused.slippage,
        latency: reused.latency,
        fee: reused.fee,
        decision: reused.decision,
      };
    }
    const capacity = 64;
    return {
      step,
      endUs,
      pending: 0,
      size: 0,
      account: new Int32Array(capacity),
      arm: new Uint8Array(capacity),
      kind: new Uint8Array(capacity),
      slippage: new Float64Array(capacity),
      latency: new Float64Array(capacity),
      fee: new Float64Array(capacity),
      decision: new Float64Array(capacity),
    };
  }

  #release(bucket: OpenBucket): void {
    if (this.#pool.length < 8) this.#pool.push(bucket);
  }

  #grow(bucket: OpenBucket): void {
    const size = bucket.account.length * 2;
    const account = new Int32Array(size);
    account.set(bucket.account);
    const arm = new Uint8Array(size);
    arm.set(bucket.arm);
    const kind = new Uint8Array(size);
    kind.set(bucket.kind);
    const slippage = new Float64Array(size);
    slippage.set(bucket.slippage);
    const latency = new Float64Array(size);
    latency.set(bucket.latency);
    const fee = new Float64Array(size);
    fee.set(bucket.fee);
    const decision = new Float64Array(size);
    decision.set(bucket.decision);
    bucket.decision = decision;
    bucket.account = account;
    bucket.arm = arm;
    bucket.kind = kind;
    bucket.slippage = slippage;
    bucket.latency = latency;
    bucket.fee = fee;
  }
}

/**
 * Observation `i` of metric `k` in the bucket, or null when that report is not one. Kinds: 0 a
 * fill, 1 a reject, 2 EXPIRED (no observation), 3 a reject or fill folded into a burst's episode
 * (no reject-rate observation; a fill of a burst batch still has its slippage and latency).
 */
function observation(bucket: OpenBucket, k: number, i: number): number | null {
  const kind = bucket.kind[i]!;
  if (k === 2) return kind === 0 || kind === 1 ? kind : null;
  if (kind !== 0 && !(kind === 3 && !Number.isNaN(bucket.slippage[i]!))) return null;
  return k === 0 ? bucket.slippage[i]! : k === 1 ? bucket.latency[i]! : bucket.fee[i]!;
}

/** The fills' prices as floats: an event's fills share their price object. */
const fillPriceFloat = new LastDecimalFloat();

/**
 * A fill's fee in bps of its notional (price × quantity), to a millionth of a bp;
 * NaN when the notional is not positive (counted as an absurd value).
 */
export function feeBpsOf(fill: FillReport): number {
  // Floats read from the decimals' digit words (relative error < 1e-15, far below the rounding).
  // The float twins when the producer gives them (the simulated venue: no decimal is built); the
  // ratio is the fee rate exactly in reals, so either way it rounds to the same millionth of a bp.
  const quantity = fill.quantityNum ?? decimalToFloat(fill.quantity);
  const notional = fillPriceFloat.of(fill.price) * quantity;
  if (!(notional > 0)) return Number.NaN;
  const fee = fill.feeNum ?? decimalToFloat(fill.fee);
  return Math.round((fee / notional) * 1e4 * FEE_BPS_SCALE) / FEE_BPS_SCALE;
}

/** Account `j`'s baseline effect in one metric's offsets (0 without offsets or baseline data). */
function offsetOf(offsets: Float64Array | null | undefined, j: number): number {
  return offsets === null || offsets === undefined || j >= offsets.length ? 0 : offsets[j]!;
}

/**
 * True when both arms' reports in the bucket come from orders decided at the same instants
 * (exported for tests).
 */
export function decidedTogether(bucket: OpenBucket): boolean {
  // A bucket holds few decision moments (a target change decides every account's order at once):
  // distinct times in short lists, with sets only past a few dozen.
  const stable = DISTINCT_TIMES[0];
  const canary = DISTINCT_TIMES[1];
  stable.length = 0;
  canary.length = 0;
  for (let i = 0; i < bucket.size; i++) {
    const times = bucket.arm[i] === 1 ? canary : stable;
    const t = bucket.decision[i]!;
    if (listed(times, t)) continue;
    if (times.length === MAX_LISTED_TIMES) return decidedTogetherBySets(bucket);
    times.push(t);
  }
  if (stable.length === 0 || stable.length !== canary.length) return false;
  for (const t of stable) if (!listed(canary, t)) return false;
  return true;
}

/** `times.includes(t)` without the call's boxing of `t` (a loop the compiler keeps in registers). */
function listed(times: readonly number[], t: number): boolean {
  for (let i = times.length - 1; i >= 0; i--) if (times[i] === t) return true;
  return false;
}

const MAX_LISTED_TIMES = 32;
const DISTINCT_TIMES: [number[], number[]] = [[], []];

/** {@link decidedTogether} for a bucket of many decision moments. */
function decidedTogetherBySets(bucket: OpenBucket): boolean {
  const times: [Set<number>, Set<number>] = [new Set<number>(), new Set<number>()];
  for (let i = 0; i < bucket.size; i++) times[bucket.arm[i] === 1 ? 1 : 0].add(bucket.decision[i]!);
  const [stable, canary] = times;
  if (stable.size === 0 || stable.size !== canary.size) return false;
  for (const t of stable) if (!canary.has(t)) return false;
  return true;
}

/**
 * Each arm's count, mean and sample variance of metric `k` in the bucket (stable first), from the
 * bucket's observation table (`observed`, see `#observe`): two passes over the bucket for both
 * arms, each arm's sums taken in report order.
 */
export function summarizeArms(
  bucket: OpenBucket,
  observed: Float64Array,
  k: number,
): readonly [ArmBucketSummary, ArmBucketSummary] {
  const row = k * bucket.size;
  let n0 = 0;
  let n1 = 0;
  let sum0 = 0;
  let sum1 = 0;
  for (let i = 0; i < bucket.size; i++) {
    const value = observed[row + i]!;
    if (Number.isNaN(value)) continue;
    if (bucket.arm[i] === 1) {
      n1++;
      sum1 += value;
    } else if (bucket.arm[i] === 0) {
      n0++;
      sum0 += value;
    }
  }
  const mean0 = n0 === 0 ? Number.NaN : sum0 / n0;
  const mean1 = n1 === 0 ? Number.NaN : sum1 / n1;
  let ss0 = 0;
  let ss1 = 0;
  if (n0 >= 2 || n1 >= 2) {
    for (let i = 0; i < bucket.size; i++) {
      const value = observed[row + i]!;
      if (Number.isNaN(value)) continue;
      if (bucket.arm[i] === 1) ss1 += (value - mean1) * (value - mean1);
      else if (bucket.arm[i] === 0) ss0 += (value - mean0) * (value - mean0);
    }
  }
  return [
    { n: n0, mean: mean0, variance: n0 < 2 ? Number.NaN : ss0 / (n0 - 1) },
    { n: n1, mean: mean1, variance: n1 < 2 ? Number.NaN : ss1 / (n1 - 1) },
  ];
}
