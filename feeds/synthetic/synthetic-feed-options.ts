/**
 * One hidden state of the synthetic market: how fast the mid moves, how busy the tape is and how
 * wide the book gets while the chain stays in it. See docs/synthetic-feed.md for the model.
 */
export interface VolatilityRegime {
  /** Label, unique among the regimes (e.g. `calm`). */
  readonly name: string;
  /** Annualized volatility of the latent mid's log-returns, percent (365-day year, 24/7 trading). */
  readonly annualVolPct: number;
  /**
   * Mean time spent in the regime before switching, minutes of event time: the chain leaves it
   * with probability `1 / meanDurationMinutes` per minute (exponential holding times).
   */
  readonly meanDurationMinutes: number;
  /** Multiplier of the baseline market-order and quote rates (1 = the baselines as given). */
  readonly activity: number;
  /** Probability, per re-quote or refill, that makers aim for a spread wider than one tick. */
  readonly wideSpreadProbability: number;
  /** Mean number of extra ticks of spread when they do (geometric, >= 1). */
  readonly wideSpreadMeanTicks: number;
  /** Mean distance, ticks, to the next price level when a touch level is emptied (geometric, >= 1). */
  readonly levelGapMeanTicks: number;
  /**
   * Where the chain goes when it leaves: probability of each regime, by index in the regimes
   * list (same length as the list, non-negative, summing to 1).
   */
  readonly next: readonly number[];
}

/**
 * One exponential kernel of the self-exciting (Hawkes) market-order process: every market order
 * raises the order intensity by `branchingRatio / decay` (per second), decaying with time
 * constant `decayMs`.
 */
export interface ExcitationKernel {
  /** Expected number of orders each order triggers through this kernel; all kernels sum below 1. */
  readonly branchingRatio: number;
  /** Time constant of the decay, milliseconds of event time. */
  readonly decayMs: number;
}

/**
 * Options of the seeded synthetic market-data generator. Only `seed` and one of `minutes` or
 * `events` are required; every model parameter has a documented default
 * ({@link DEFAULT_SYNTHETIC_FEED_PARAMETERS}, docs/synthetic-feed.md).
 *
 * @example
 * const options: SyntheticFeedOptions = { seed: 7, minutes: 60 }; // about 400k events
 */
export interface SyntheticFeedOptions {
  /**
   * Seed of every random draw: the same options give byte-identical output. A safe integer; like
   * every `SeededRng` seed, only its low 32 bits count.
   */
  readonly seed: number;
  /** Length in event time, minutes: events stop before `startTsUs + minutes`. */
  readonly minutes?: number;
  /** Exact number of events; takes precedence over `minutes` when both are given. */
  readonly events?: number;
  /**
   * Only trades come out (default false): the same market is simulated, quotes included, and its
   * trades are exactly those of the full run with the same options; `events` then counts trades.
   */
  readonly tradesOnly?: boolean;
  /** Instrument, default `BTCUSDT`. */
  readonly symbol?: string;
  /** Venue id, default `synthetic`. */
  readonly exchange?: string;
  /** Time of the first event, µs since epoch; default 2024-01-01T00:00:00Z. */
  readonly startTsUs?: number;
  /**
   * First best bid, a multiple of `tickSize` (so no more decimals than it has); default
   * `60000.00`.
   */
  readonly startPrice?: string;
  /**
   * Price increment, a positive decimal of at most 12 decimals; default `0.01`. Prices carry its
   * number of decimals. A wide tick makes a wide-tick instrument: `startPrice: '0.50000'` with
   * `tickSize: '0.00005'` quotes a one-tick spread of 1 bp.
   */
  readonly tickSize?: string;
  /** Size increment is `10^-sizeDecimals` base units; default 5 (0.00001, Binance's BTC step). */
  readonly sizeDecimals?: number;
  /** The hidden regimes and their switching; default {@link DEFAULT_VOLATILITY_REGIMES}. */
  readonly regimes?: readonly VolatilityRegime[];
  /** Name of the regime at the start; default `normal` when there is one, else the first. */
  readonly initialRegime?: string;
  /** Immigrant (exogenous) market-order rate at activity 1, orders per second. */
  readonly orderRatePerSecond?: number;
  /** Kernels of the self-exciting order process. */
  readonly excitation?: readonly ExcitationKernel[];
  /** Baseline rate of quote-only book updates at activity 1, per second. */
  readonly quoteRatePerSecond?: number;
  /** Extra quote intensity per unit of order excitation (quotes cluster around bursts of trades). */
  readonly quotesPerExcitation?: number;
  /** Probability that a market order has the same aggressor side as the previous one. */
  readonly sidePersistence?: number;
  /** Share of the mid's variance that runs on trading activity rather than on the clock, in [0, 1]. */
  readonly activityVolShare?: number;
  /**
   * Standard deviation of the log activity factor: within a regime, a slowly mean-reverting
   * factor scales the arrival rates by exp(x − s²/2) and the variance by exp(2x − 2s²), so busy
   * spells are volatile spells (volatility clustering at the scale of seconds to minutes).
   */
  readonly activityFactorSigma?: number;
  /** Mean-reversion time of the activity factor (Ornstein–Uhlenbeck), seconds of event time. */
  readonly activityFactorTimescaleSeconds?: number;
  /** Makers re-quote around the latent price once it is this far outside the book, basis points. */
  readonly requoteBandBps?: number;
  /** Permanent impact of a market order, basis points per square root of a base unit traded. */
  readonly impactBpsPerSqrtUnit?: number;
  /** Median market-order size, base units (the log-normal body). */
  readonly tradeSizeMedian?: number;
  /** Log-scale standard deviation of the body of market-order sizes. */
  readonly tradeSizeSigma?: number;
  /** Probability that a market order comes from the heavy (Pareto) tail instead. */
  readonly tradeSizeTailProbability?: number;
  /** Smallest size of the Pareto tail, base units. */
  readonly tradeSizeTailMin?: number;
  /** Pareto exponent of the tail (smaller is heavier). */
  readonly tradeSizeTailAlpha?: number;
  /** Largest market order, base units (the tail is capped here). */
  readonly tradeSizeMax?: number;
  /** Median size of a fresh price level at the touch, base units (log-normal). */
  readonly quoteSizeMedian?: number;
  /** Log-scale standard deviation of fresh touch sizes. */
  readonly quoteSizeSigma?: number;
}

/** The model parameters' defaults, calibrated on the Binance BTCUSDT spot samples of 2024-08-08/09. */
export const DEFAULT_SYNTHETIC_FEED_PARAMETERS = {
  symbol: 'BTCUSDT',
  exchange: 'synthetic',
  /** 2024-01-01T00:00:00Z. */
  startTsUs: 1_704_067_200_000_000,
  startPrice: '60000.00',
  tickSize: '0.01',
  sizeDecimals: 5,
  orderRatePerSecond: 5.2,
  quoteRatePerSecond: 48,
  quotesPerExcitation: 1,
  sidePersistence: 0.7,
  activityVolShare: 0.5,
  activityFactorSigma: 0.4,
  activityFactorTimescaleSeconds: 60,
  requoteBandBps: 0.25,
  impactBpsPerSqrtUnit: 0.15,
  tradeSizeMedian: 0.0015,
  tradeSizeSigma: 1.5,
  tradeSizeTailProbability: 0.15,
  tradeSizeTailMin: 0.04,
  tradeSizeTailAlpha: 1.3,
  tradeSizeMax: 50,
  quoteSizeMedian: 0.8,
  quoteSizeSigma: 1.5,
} as const;

/**
 * Default regimes: calm (30 % annualized), normal (55 %), volatile (120 %), spending about 37.5 %,
 * 54 % and 8.5 % of the time in each (stationary distribution of the chain).
 */
export const DEFAULT_VOLATILITY_REGIMES: readonly VolatilityRegime[] = [
  {
    name: 'calm',
    annualVolPct: 30,
    meanDurationMinutes: 30,
    activity: 0.6,
    wideSpreadProbability: 0.02,
    wideSpreadMeanTicks: 1,
    levelGapMeanTicks: 1.5,
    next: [0, 0.9, 0.1],
  },
  {
    name: 'normal',
    annualVolPct: 55,
    meanDurationMinutes: 30,
    activity: 1,
    wideSpreadProbability: 0.05,
    wideSpreadMeanTicks: 2,
    levelGapMeanTicks: 2,
    next: [0.6, 0, 0.4],
  },
  {
    name: 'volatile',
    annualVolPct: 120,
    meanDurationMinutes: 10,
    activity: 2,
    wideSpreadProbability: 0.3,
    wideSpreadMeanTicks: 4,
    levelGapMeanTicks: 5,
    next: [0.2, 0.8, 0],
  },
];

/** Default kernels: a fast one (bursts within ~100 ms) and a slow one (busy spells of ~20 s). */
export const DEFAULT_EXCITATION: readonly ExcitationKernel[] = [
  { branchingRatio: 0.55, decayMs: 100 },
  { branchingRatio: 0.2, decayMs: 20_000 },
];
