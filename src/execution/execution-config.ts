import type { Arm } from '../core/arm.js';
import { Decimal } from '../core/money.js';

/**
 * Order latency of one arm: submission to arrival at the venue is
 * `baseMs + jitter`, where the jitter is log-normal with mean `jitterMs` and log-space standard
 * deviation `jitterSigma` (a right-skewed, always positive delay with occasional spikes, the shape
 * measured order round trips tend to have). `jitterMs = 0` gives a constant latency.
 *
 * @example
 * const colocated: LatencyModel = { baseMs: 2, jitterMs: 0.5 };
 */
export interface LatencyModel {
  /** Fixed part, ms, >= 0: the network and gateway floor. */
  readonly baseMs: number;
  /** Mean of the random part, ms, >= 0. */
  readonly jitterMs: number;
  /**
   * Shape of the jitter: standard deviation of its logarithm, >= 0. Default
   * {@link DEFAULT_JITTER_SIGMA} (0.5: the jitter's p99 is about 3.2× its median).
   */
  readonly jitterSigma?: number;
}

/** The jitter shape used when a {@link LatencyModel} does not set `jitterSigma`. */
export const DEFAULT_JITTER_SIGMA = 0.5;

/**
 * Venue outages: windows of `durationMs` whose starts form a Poisson process of `perHour` per hour
 * of event time, venue-wide (both arms). Every order that settles inside a window is rejected
 * with `VENUE`.
 *
 * @example
 * const flaky: OutageModel = { perHour: 36, durationMs: 1000 }; // about 1 % of the time down
 */
export interface OutageModel {
  /** Mean number of outages per hour of event time, > 0 and <= {@link MAX_OUTAGES_PER_HOUR}. */
  readonly perHour: number;
  /** Length of each outage, ms, > 0 and <= {@link MAX_OUTAGE_DURATION_MS} (one hour). */
  readonly durationMs: number;
}

/** Largest `OutageModel.perHour` accepted (one a second on average). */
export const MAX_OUTAGES_PER_HOUR = 3600;
/** Largest `OutageModel.durationMs` accepted: one hour. */
export const MAX_OUTAGE_DURATION_MS = 3_600_000;
/** Largest `accountSlippageSdBps` accepted. */
export const MAX_ACCOUNT_SLIPPAGE_SD_BPS = 100;

/** Parameters of the simulated broker's fill model; docs/fill-model.md explains each one. */
export interface ExecutionConfig {
  /** Latency per arm. Give both arms the same model unless the comparison is about latency. */
  readonly latency: Readonly<Record<Arm, LatencyModel>>;
  /** Taker fee, basis points of the fill's notional (quote currency), >= 0. */
  readonly feeBps: number;
  /** Minimum order value, quote units: `quantity × decisionPrice` below it is rejected at submission. */
  readonly minNotional: Decimal;
  /**
   * Price protection band, bps, > 0: a fill whose slippage (positive = worse for us) exceeds it is
   * rejected at arrival.
   */
  readonly protectionBandBps: number;
  /**
   * Per-account execution heterogeneity: the standard deviation, bps, of each account's
   * persistent slippage offset (Normal(0, sd), fixed per run seed and account id), in
   * [0, {@link MAX_ACCOUNT_SLIPPAGE_SD_BPS}]. 0 or absent: every account fills alike.
   */
  readonly accountSlippageSdBps?: number;
  /** Venue outages (both arms); null or absent: none. */
  readonly outages?: OutageModel | null;
}

/**
 * Defaults: a cloud-hosted bot near the venue (15 ms + log-normal jitter of mean 5 ms, both arms),
 * Binance spot's base taker fee (10 bps = 0.1 %), Binance BTCUSDT's minimum notional (5 quote
 * units), a 50 bps protection band, no per-account heterogeneity and no outages.
 */
export const DEFAULT_EXECUTION_CONFIG: ExecutionConfig = {
  latency: {
    stable: { baseMs: 15, jitterMs: 5 },
    canary: { baseMs: 15, jitterMs: 5 },
  },
  feeBps: 10,
  minNotional: new Decimal('5'),
  protectionBandBps: 50,
  accountSlippageSdBps: 0,
  outages: null,
};

const isNonNegative = (value: number): boolean => Number.isFinite(value) && value >= 0;

/** Throws a RangeError naming the first invalid field (a programming error, not user input). */
export function assertValidExecutionConfig(config: ExecutionConfig): void {
  for (const arm of ['stable', 'canary'] as const) {
    const model = config.latency[arm];
    if (!isNonNegative(model.baseMs)) throw new RangeError(`latency.${arm}.baseMs must be >= 0`);
    if (!isNonNegative(model.jitterMs))
      throw new RangeError(`latency.${arm}.jitterMs must be >= 0`);
    if (model.jitterSigma !== undefined && !isNonNegative(model.jitterSigma))
      throw new RangeError(`latency.${arm}.jitterSigma must be >= 0`);
  }
  if (!isNonNegative(config.feeBps)) throw new RangeError('feeBps must be >= 0');
  if (!config.minNotional.isFinite() || config.minNotional.isNegative())
    throw new RangeError('minNotional must be >= 0');
  if (!(Number.isFinite(config.protectionBandBps) && config.protectionBandBps > 0))
    throw new RangeError('protectionBandBps must be > 0');
  const sd = config.accountSlippageSdBps ?? 0;
  if (!(isNonNegative(sd) && sd <= MAX_ACCOUNT_SLIPPAGE_SD_BPS))
    throw new RangeError(`accountSlippageSdBps must be in [0, ${MAX_ACCOUNT_SLIPPAGE_SD_BPS}]`);
  const outages = config.outages ?? null;
  if (outages !== null) {
    const { perHour, durationMs } = outages;
    if (!(Number.isFinite(perHour) && perHour > 0 && perHour <= MAX_OUTAGES_PER_HOUR))
      throw new RangeError(`outages.perHour must be in (0, ${MAX_OUTAGES_PER_HOUR}]`);
    if (!(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= MAX_OUTAGE_DURATION_MS))
      throw new RangeError(`outages.durationMs must be in (0, ${MAX_OUTAGE_DURATION_MS}]`);
  }
}
