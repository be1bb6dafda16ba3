import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import { resolveSyntheticFeedOptions } from './resolve-synthetic-feed-options.js';
import {
  DEFAULT_VOLATILITY_REGIMES,
  type SyntheticFeedOptions,
  type VolatilityRegime,
} from './synthetic-feed-options.js';
import { SyntheticMarket } from './synthetic-market.js';

/**
 * The statistical properties the model promises, measured on 100k events (about 15 minutes of
 * event time), each against a control run with the mechanism switched off, so the checks show
 * they can fail. Thresholds are loose: the point is the sign and rough size of each effect.
 */

const EVENTS = 100_000;

/** One regime, no self-excitation, no activity factor, no activity-driven variance. */
const FLAT: SyntheticFeedOptions = {
  seed: 0,
  events: EVENTS,
  regimes: [{ ...(DEFAULT_VOLATILITY_REGIMES[1] as VolatilityRegime), next: [1] }],
  excitation: [],
  activityFactorSigma: 0,
  activityVolShare: 0,
  orderRatePerSecond: 21,
};

interface Run {
  readonly events: MarketEvent[];
  /** Regime name of each event. */
  readonly regimes: string[];
}

function run(options: SyntheticFeedOptions): Run {
  const market = new SyntheticMarket(resolveSyntheticFeedOptions(options));
  const events: MarketEvent[] = [];
  const regimes: string[] = [];
  for (const event of market.events()) {
    events.push(event);
    regimes.push(market.regime.name);
  }
  return { events, regimes };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function autocorrelation(xs: readonly number[], lag: number): number {
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] as number) - m;
    den += d * d;
    if (i + lag < xs.length) num += d * ((xs[i + lag] as number) - m);
  }
  return num / den;
}

function coefficientOfVariation(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m;
}

/** Log-returns of the quoted mid over consecutive 1-second buckets (last quote of each second). */
function secondReturns(events: readonly MarketEvent[]): number[] {
  const mids = new Map<number, number>();
  for (const e of events)
    if (e.type === 'quote') mids.set(Math.floor(e.tsUs / 1e6), (e.bidPriceNum + e.askPriceNum) / 2);
  const seconds = [...mids.keys()];
  const returns: number[] = [];
  let last = mids.get(seconds[0] as number) as number;
  for (let s = (seconds[0] as number) + 1; s <= (seconds.at(-1) as number); s++) {
    const mid = mids.get(s) ?? last;
    returns.push(Math.log(mid / last));
    last = mid;
  }
  return returns;
}

function tradeGapsUs(events: readonly MarketEvent[], distinctTimes: boolean): number[] {
  const gaps: number[] = [];
  let last = -1;
  for (const e of events) {
    if (e.type !== 'trade' || (distinctTimes && e.tsUs === last)) continue;
    if (last >= 0) gaps.push(e.tsUs - last);
    last = e.tsUs;
  }
  return gaps;
}

function spreadTicks(e: MarketEvent): number {
  return e.type === 'quote' ? Math.round((e.askPriceNum - e.bidPriceNum) * 100) : 0;
}

describe('SyntheticMarket statistics (100k events)', () => {
  const defaults = run({ seed: 11, events: EVENTS });
  const flat = run(FLAT);

  it('runs at about the rate of the real BTCUSDT spot sample, 2–4 quotes per trade', () => {
    const { events } = defaults;
    const seconds = ((events.at(-1) as MarketEvent).tsUs - (events[0] as MarketEvent).tsUs) / 1e6;
    const trades = events.filter((e) => e.type === 'trade').length;
    // Binance spot BTCUSDT, 2024-08-08/09: 110–180 events/s with depth, 2.9–4.4 quotes per trade.
    expect(EVENTS / seconds).toBeGreaterThan(60);
    expect(EVENTS / seconds).toBeLessThan(200);
    expect((EVENTS - trades) / trades).toBeGreaterThan(2);
    expect((EVENTS - trades) / trades).toBeLessThan(4);
  });

  it('clusters volatility: |1 s returns| are positively autocorrelated', () => {
    const clustered = autocorrelation(secondReturns(defaults.events).map(Math.abs), 1);
    const control = autocorrelation(secondReturns(flat.events).map(Math.abs), 1);
    expect(clustered).toBeGreaterThan(0.05);
    expect(Math.abs(control)).toBeLessThan(0.05);
  });

  it('has bursty, over-dispersed trade arrivals (coefficient of variation > 1)', () => {
    expect(coefficientOfVariation(tradeGapsUs(defaults.events, false))).toBeGreaterThan(1);
    // Orders (distinct trade times) alone: self-excited versus Poisson (CV 1).
    expect(coefficientOfVariation(tradeGapsUs(defaults.events, true))).toBeGreaterThan(1.3);
    const poisson = coefficientOfVariation(tradeGapsUs(flat.events, true));
    expect(poisson).toBeGreaterThan(0.9);
    expect(poisson).toBeLessThan(1.1);
  });

  it('has persistent order flow: aggressor sides are autocorrelated', () => {
    const sides = defaults.events.flatMap((e) =>
      e.type === 'trade' ? [e.side === 'buy' ? 1 : -1] : [],
    );
    expect(autocorrelation(sides, 1)).toBeGreaterThan(0.3);
    expect(Math.abs(mean(sides))).toBeLessThan(0.2); // and balanced overall
  });

  it('draws BTC-like trade sizes: median near a thousandth, heavy right tail', () => {
    const sizes = defaults.events.flatMap((e) => (e.type === 'trade' ? [e.sizeNum] : []));
    sizes.sort((a, b) => a - b);
    const quantile = (p: number): number => sizes[Math.floor(p * (sizes.length - 1))] as number;
    // Real sample: median 0.0006–0.0007, p90 0.056, p99 0.32 BTC.
    expect(quantile(0.5)).toBeGreaterThan(0.0005);
    expect(quantile(0.5)).toBeLessThan(0.005);
    expect(quantile(0.99) / quantile(0.5)).toBeGreaterThan(50);
  });

  it('keeps the spread at one tick mostly, wider in the volatile regime and right after trades', () => {
    const cycle = (r: VolatilityRegime, i: number): VolatilityRegime => ({
      ...r,
      meanDurationMinutes: 1,
      next: [0, 1, 2].map((j) => (j === (i + 1) % 3 ? 1 : 0)),
    });
    const { events, regimes } = run({
      seed: 11,
      events: EVENTS,
      regimes: DEFAULT_VOLATILITY_REGIMES.map(cycle),
    });
    const byRegime = new Map<string, number[]>();
    const afterTrade: number[] = [];
    const otherwise: number[] = [];
    let lastTradeTsUs = -1;
    events.forEach((e, i) => {
      if (e.type === 'trade') {
        lastTradeTsUs = e.tsUs;
        return;
      }
      const spread = spreadTicks(e);
      const key = regimes[i] as string;
      const list = byRegime.get(key) ?? [];
      byRegime.set(key, list);
      list.push(spread);
      (e.tsUs === lastTradeTsUs ? afterTrade : otherwise).push(spread);
    });
    const all = [...byRegime.values()].flat();
    expect(Math.min(...all)).toBeGreaterThanOrEqual(1);
    expect(all.filter((s) => s === 1).length / all.length).toBeGreaterThan(0.8);
    const calm = mean(byRegime.get('calm') ?? []);
    const normal = mean(byRegime.get('normal') ?? []);
    const volatile = mean(byRegime.get('volatile') ?? []);
    expect(volatile).toBeGreaterThan(1.2 * calm);
    expect(volatile).toBeGreaterThan(1.2 * normal);
    expect(mean(afterTrade)).toBeGreaterThan(mean(otherwise));
  });

  it('moves the mid faster in the more volatile regimes', () => {
    const only = (index: number): SyntheticFeedOptions => ({
      seed: 12,
      events: 50_000,
      regimes: [{ ...(DEFAULT_VOLATILITY_REGIMES[index] as VolatilityRegime), next: [1] }],
      activityFactorSigma: 0, // its slow swings would make a few minutes' estimate noisy
    });
    const vol = (options: SyntheticFeedOptions): number => {
      const returns = secondReturns(run(options).events);
      return Math.sqrt(mean(returns.map((r) => r * r)) * 365 * 86_400) * 100;
    };
    const [calm, normal, volatile] = [vol(only(0)), vol(only(1)), vol(only(2))];
    expect(calm).toBeLessThan(normal);
    expect(normal).toBeLessThan(volatile);
    // Annualized vol within a factor 1.5 of the regime's nominal 30 / 55 / 120 %.
    expect(calm).toBeGreaterThan(20);
    expect(calm).toBeLessThan(45);
    expect(volatile).toBeGreaterThan(80);
    expect(volatile).toBeLessThan(180);
  });
});
