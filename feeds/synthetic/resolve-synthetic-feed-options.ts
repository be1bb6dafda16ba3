import { UsageError } from '../../src/core/errors.js';
import { Decimal, isDecimalString } from '../../src/core/money.js';
import { US_PER_MINUTE } from '../../src/core/time.js';
import {
  DEFAULT_EXCITATION,
  DEFAULT_SYNTHETIC_FEED_PARAMETERS as D,
  DEFAULT_VOLATILITY_REGIMES,
  type ExcitationKernel,
  type SyntheticFeedOptions,
  type VolatilityRegime,
} from './synthetic-feed-options.js';

/** Every option filled in and checked, plus the integer forms of the decimal ones. */
export interface ResolvedSyntheticFeedOptions {
  readonly seed: number;
  /** Number of events to emit, or Infinity when the run is bounded by time. */
  readonly eventLimit: number;
  /** Events stop before this time, µs (Infinity when bounded by count). */
  readonly endTsUs: number;
  /** Only trades are yielded (and counted against `eventLimit`). */
  readonly tradesOnly: boolean;
  readonly symbol: string;
  readonly exchange: string;
  readonly startTsUs: number;
  /** Price = ticks × tickUnits × 10^-priceDecimals. */
  readonly priceDecimals: number;
  readonly tickUnits: number;
  /** The start price in ticks. */
  readonly startTicks: number;
  readonly sizeDecimals: number;
  readonly regimes: readonly VolatilityRegime[];
  readonly initialRegimeIndex: number;
  readonly orderRatePerSecond: number;
  readonly excitation: readonly ExcitationKernel[];
  readonly quoteRatePerSecond: number;
  readonly quotesPerExcitation: number;
  readonly sidePersistence: number;
  readonly activityVolShare: number;
  readonly activityFactorSigma: number;
  readonly activityFactorTimescaleSeconds: number;
  readonly requoteBandBps: number;
  readonly impactBpsPerSqrtUnit: number;
  readonly tradeSizeMedian: number;
  readonly tradeSizeSigma: number;
  readonly tradeSizeTailProbability: number;
  readonly tradeSizeTailMin: number;
  readonly tradeSizeTailAlpha: number;
  readonly tradeSizeMax: number;
  readonly quoteSizeMedian: number;
  readonly quoteSizeSigma: number;
}

/** Largest scaled price or size we accept: far below 2^53, so integer arithmetic stays exact. */
const MAX_SCALED = 1e15;

function fail(field: string, reason: string): never {
  throw new UsageError(`synthetic feed: ${field}: ${reason}`);
}

function finiteIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    fail(field, `expected a number in [${min}, ${max}], got ${value}`);
  return value;
}

function positive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    fail(field, `expected a positive number, got ${value}`);
  return value;
}

function label(field: string, value: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(value))
    fail(field, `expected letters, digits, '.', '_' or '-' (it goes into CSV), got '${value}'`);
  return value;
}

function checkRegimes(regimes: readonly VolatilityRegime[]): readonly VolatilityRegime[] {
  if (regimes.length === 0) fail('regimes', 'at least one regime is needed');
  const names = new Set<string>();
  regimes.forEach((regime, index) => {
    const field = `regimes[${index}]`;
    if (regime.name === '' || names.has(regime.name))
      fail(`${field}.name`, `empty or duplicate name '${regime.name}'`);
    names.add(regime.name);
    finiteIn(`${field}.annualVolPct`, regime.annualVolPct, 0, 1000);
    positive(`${field}.meanDurationMinutes`, regime.meanDurationMinutes);
    positive(`${field}.activity`, regime.activity);
    finiteIn(`${field}.wideSpreadProbability`, regime.wideSpreadProbability, 0, 1);
    finiteIn(`${field}.wideSpreadMeanTicks`, regime.wideSpreadMeanTicks, 1, 1e6);
    finiteIn(`${field}.levelGapMeanTicks`, regime.levelGapMeanTicks, 1, 1e6);
    if (regime.next.length !== regimes.length)
      fail(`${field}.next`, `expected ${regimes.length} probabilities, got ${regime.next.length}`);
    let sum = 0;
    regime.next.forEach((p, j) => (sum += finiteIn(`${field}.next[${j}]`, p, 0, 1)));
    if (Math.abs(sum - 1) > 1e-9) fail(`${field}.next`, `probabilities sum to ${sum}, not 1`);
  });
  return regimes;
}

function checkExcitation(kernels: readonly ExcitationKernel[]): readonly ExcitationKernel[] {
  let branching = 0;
  kernels.forEach((kernel, index) => {
    branching += finiteIn(`excitation[${index}].branchingRatio`, kernel.branchingRatio, 0, 1);
    positive(`excitation[${index}].decayMs`, kernel.decayMs);
  });
  if (branching >= 1) fail('excitation', `branching ratios sum to ${branching}: must stay below 1`);
  return kernels;
}

/**
 * Validates {@link SyntheticFeedOptions} and fills in the defaults. Throws {@link UsageError}
 * (`E_USAGE`) naming the offending option.
 */
export function resolveSyntheticFeedOptions(
  options: SyntheticFeedOptions,
): ResolvedSyntheticFeedOptions {
  if (!Number.isSafeInteger(options.seed)) fail('seed', `expected an integer, got ${options.seed}`);
  const startTsUs = options.startTsUs ?? D.startTsUs;
  if (!Number.isSafeInteger(startTsUs) || startTsUs < 0)
    fail('startTsUs', `expected a non-negative integer, got ${startTsUs}`);

  const tradesOnly = options.tradesOnly ?? false;
  if (typeof tradesOnly !== 'boolean')
    fail('tradesOnly', `expected true or false, got ${String(tradesOnly)}`);

  let eventLimit = Infinity;
  let endTsUs = Infinity;
  if (options.events !== undefined) {
    if (!Number.isSafeInteger(options.events) || options.events < 1)
      fail('events', `expected a positive integer, got ${options.events}`);
    eventLimit = options.events;
  } else if (options.minutes !== undefined) {
    endTsUs = startTsUs + Math.ceil(positive('minutes', options.minutes) * US_PER_MINUTE);
    if (!Number.isSafeInteger(endTsUs)) fail('minutes', `too long: ${options.minutes}`);
  } else {
    fail('minutes', 'give the length as minutes or as a number of events');
  }

  const tickText = options.tickSize ?? D.tickSize;
  if (
    !isDecimalString(tickText) ||
    !new Decimal(tickText).isPositive() ||
    new Decimal(tickText).isZero()
  )
    fail('tickSize', `expected a positive decimal, got '${tickText}'`);
  const tick = new Decimal(tickText);
  const priceDecimals = tick.decimalPlaces();
  if (priceDecimals > 12) fail('tickSize', `at most 12 decimals, got '${tickText}'`);
  const tickUnits = tick.times(new Decimal(10).pow(priceDecimals)).toNumber();

  const priceText = options.startPrice ?? D.startPrice;
  if (
    !isDecimalString(priceText) ||
    !new Decimal(priceText).isPositive() ||
    new Decimal(priceText).isZero()
  )
    fail('startPrice', `expected a positive decimal, got '${priceText}'`);
  const startPrice = new Decimal(priceText);
  if (startPrice.decimalPlaces() > priceDecimals)
    fail(
      'startPrice',
      `'${priceText}' has ${startPrice.decimalPlaces()} decimals, more than the ${priceDecimals} of the tick size ${tickText}: the start price must be on the tick grid (a multiple of the tick size)`,
    );
  const startTickCount = startPrice.dividedBy(tick);
  if (!startTickCount.isInteger())
    fail(
      'startPrice',
      `'${priceText}' is not on the tick grid: not a multiple of the tick size ${tickText}`,
    );
  const startTicks = startTickCount.toNumber();
  if (startTicks * tickUnits > MAX_SCALED / 100)
    fail('startPrice', `'${priceText}' is too large for tick size ${tickText}`);

  const sizeDecimals = options.sizeDecimals ?? D.sizeDecimals;
  if (!Number.isInteger(sizeDecimals) || sizeDecimals < 0 || sizeDecimals > 8)
    fail('sizeDecimals', `expected an integer in [0, 8], got ${sizeDecimals}`);

  const regimes = checkRegimes(options.regimes ?? DEFAULT_VOLATILITY_REGIMES);
  const initialName =
    options.initialRegime ??
    (regimes.some((r) => r.name === 'normal') ? 'normal' : (regimes[0]?.name ?? ''));
  const initialRegimeIndex = regimes.findIndex((r) => r.name === initialName);
  if (initialRegimeIndex < 0) fail('initialRegime', `no regime named '${initialName}'`);

  const tradeSizeMedian = positive('tradeSizeMedian', options.tradeSizeMedian ?? D.tradeSizeMedian);
  const tradeSizeTailMin = positive(
    'tradeSizeTailMin',
    options.tradeSizeTailMin ?? D.tradeSizeTailMin,
  );
  const tradeSizeMax = positive('tradeSizeMax', options.tradeSizeMax ?? D.tradeSizeMax);
  if (tradeSizeMax * 10 ** sizeDecimals > MAX_SCALED)
    fail('tradeSizeMax', `too large: ${tradeSizeMax}`);
  const quoteSizeMedian = positive('quoteSizeMedian', options.quoteSizeMedian ?? D.quoteSizeMedian);
  if (quoteSizeMedian * 10 ** sizeDecimals > MAX_SCALED / 1e4)
    fail('quoteSizeMedian', `too large: ${quoteSizeMedian}`);

  return {
    seed: options.seed,
    eventLimit,
    endTsUs,
    tradesOnly,
    symbol: label('symbol', options.symbol ?? D.symbol),
    exchange: label('exchange', options.exchange ?? D.exchange),
    startTsUs,
    priceDecimals,
    tickUnits,
    startTicks,
    sizeDecimals,
    regimes,
    initialRegimeIndex,
    orderRatePerSecond: positive(
      'orderRatePerSecond',
      options.orderRatePerSecond ?? D.orderRatePerSecond,
    ),
    excitation: checkExcitation(options.excitation ?? DEFAULT_EXCITATION),
    quoteRatePerSecond: positive(
      'quoteRatePerSecond',
      options.quoteRatePerSecond ?? D.quoteRatePerSecond,
    ),
    quotesPerExcitation: finiteIn(
      'quotesPerExcitation',
      options.quotesPerExcitation ?? D.quotesPerExcitation,
      0,
      100,
    ),
    sidePersistence: finiteIn(
      'sidePersistence',
      options.sidePersistence ?? D.sidePersistence,
      0,
      1,
    ),
    activityVolShare: finiteIn(
      'activityVolShare',
      options.activityVolShare ?? D.activityVolShare,
      0,
      1,
    ),
    activityFactorSigma: finiteIn(
      'activityFactorSigma',
      options.activityFactorSigma ?? D.activityFactorSigma,
      0,
      3,
    ),
    activityFactorTimescaleSeconds: positive(
      'activityFactorTimescaleSeconds',
      options.activityFactorTimescaleSeconds ?? D.activityFactorTimescaleSeconds,
    ),
    requoteBandBps: finiteIn('requoteBandBps', options.requoteBandBps ?? D.requoteBandBps, 0, 1e4),
    impactBpsPerSqrtUnit: finiteIn(
      'impactBpsPerSqrtUnit',
      options.impactBpsPerSqrtUnit ?? D.impactBpsPerSqrtUnit,
      0,
      1e4,
    ),
    tradeSizeMedian,
    tradeSizeSigma: finiteIn('tradeSizeSigma', options.tradeSizeSigma ?? D.tradeSizeSigma, 0, 10),
    tradeSizeTailProbability: finiteIn(
      'tradeSizeTailProbability',
      options.tradeSizeTailProbability ?? D.tradeSizeTailProbability,
      0,
      1,
    ),
    tradeSizeTailMin,
    tradeSizeTailAlpha: positive(
      'tradeSizeTailAlpha',
      options.tradeSizeTailAlpha ?? D.tradeSizeTailAlpha,
    ),
    tradeSizeMax,
    quoteSizeMedian,
    quoteSizeSigma: finiteIn('quoteSizeSigma', options.quoteSizeSigma ?? D.quoteSizeSigma, 0, 10),
  };
}
