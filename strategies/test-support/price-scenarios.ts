import type { MarketEvent } from '../../src/core/market-event.js';
import type { Strategy, TargetPosition } from '../../src/core/strategy.js';
import { SECOND_US, path } from './synthetic-events.js';

/** A target with the event time and price it was set at. */
export interface TimedTarget extends TargetPosition {
  readonly tsUs: number;
  readonly price: number;
}

/** Feeds `events` and returns the targets set, each with its event's time and reference price. */
export function collectTargets(strategy: Strategy, events: readonly MarketEvent[]): TimedTarget[] {
  const targets: TimedTarget[] = [];
  for (const event of events) {
    const target = strategy.onMarketEvent(event);
    if (target === null) continue;
    const price =
      event.type === 'trade' ? event.priceNum : (event.bidPriceNum + event.askPriceNum) / 2;
    targets.push({ ...target, tsUs: event.tsUs, price });
  }
  return targets;
}

/**
 * Trend of a fast/slow EWMA pair, in bps, `t` seconds into a linear ramp of `slopeBpsPerS` that
 * starts from a flat tape: each EWMA lags the ramp by `slope × τ × (1 − e^(−t/τ))`, so the trend is
 * `slope × [τs(1 − e^(−t/τs)) − τf(1 − e^(−t/τf))]`. The independent model the tests check against.
 */
export function rampTrendBps(
  slopeBpsPerS: number,
  tauFastS: number,
  tauSlowS: number,
  t: number,
): number {
  return (
    slopeBpsPerS *
    (tauSlowS * (1 - Math.exp(-t / tauSlowS)) - tauFastS * (1 - Math.exp(-t / tauFastS)))
  );
}

/** First time (s) the ramp's trend reaches `levelBps` (bisection on the monotone model). */
export function rampCrossingS(
  slopeBpsPerS: number,
  tauFastS: number,
  tauSlowS: number,
  levelBps: number,
): number {
  let lo = 0;
  let hi = 10 * tauSlowS;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (Math.abs(rampTrendBps(slopeBpsPerS, tauFastS, tauSlowS, mid)) >= levelBps) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * A flat tape at `basePrice` from `fromUs` to `rampFromUs`, then a linear ramp of `slopeBpsPerS`
 * until `toUs`, one trade every `stepUs`.
 */
export function flatThenRamp(options: {
  readonly fromUs: number;
  readonly rampFromUs: number;
  readonly toUs: number;
  readonly slopeBpsPerS: number;
  readonly basePrice?: number;
  readonly stepUs?: number;
}): MarketEvent[] {
  const base = options.basePrice ?? 60_000;
  return path(options.fromUs, options.toUs, options.stepUs ?? 100_000, (t) =>
    t < options.rampFromUs
      ? base
      : base * (1 + (options.slopeBpsPerS * 1e-4 * (t - options.rampFromUs)) / SECOND_US),
  );
}

/** A zigzag of ±`amplitudeBps` around `basePrice`, one trade every `stepUs` (volatile, no trend). */
export function zigzag(options: {
  readonly fromUs: number;
  readonly toUs: number;
  readonly amplitudeBps: number;
  readonly basePrice?: number;
  readonly stepUs?: number;
}): MarketEvent[] {
  const base = options.basePrice ?? 60_000;
  const stepUs = options.stepUs ?? 100_000;
  return path(options.fromUs, options.toUs, stepUs, (t) => {
    const up = Math.round((t - options.fromUs) / stepUs) % 2 === 0;
    return base * (1 + ((up ? 1 : -1) * options.amplitudeBps) / 1e4);
  });
}
