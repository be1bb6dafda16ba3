import { describe, expect, it } from 'vitest';
import { CanaryError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/market-event.js';
import {
  collectTargets,
  flatThenRamp,
  rampCrossingS,
  zigzag,
} from '../test-support/price-scenarios.js';
import { describeStrategyContract } from '../test-support/strategy-contract.js';
import { SECOND_US, T0_US, path, trade } from '../test-support/synthetic-events.js';
import { momentumV1 } from './momentum-v1.js';

const S = SECOND_US;
const create = (params?: unknown) => momentumV1.create(momentumV1.parseParams(params));

describeStrategyContract(momentumV1);

describe('momentum@1.0.0', () => {
  // Defaults: fast 5 s, slow 30 s, entry 1.5 bps, full strength at 3 bps, TP = SL = 10 bps,
  // hold 10 s, warm-up 30 s, sizing 1 % × strength.
  const rampFromUs = T0_US + 60 * S;
  const upRamp = flatThenRamp({
    fromUs: T0_US,
    rampFromUs,
    toUs: T0_US + 200 * S,
    slopeBpsPerS: 0.2,
  });

  it('goes long on a steady up-trend when the trend crosses 1.5 bps, scales in at 3 bps, takes profit at +10 bps', () => {
    const targets = collectTargets(create(), upRamp);
    expect(targets.map((t) => [t.reason, t.exposure])).toEqual([
      ['entry-long', 0.005],
      ['scale-in', 0.01],
      ['take-profit', 0],
    ]);
    const [entry, scaleIn, takeProfit] = targets;
    // Independent model of the EWMA lag (one event step of slack either way).
    const entryS = rampCrossingS(0.2, 5, 30, 1.5);
    expect(Math.abs((entry!.tsUs - rampFromUs) / S - entryS)).toBeLessThan(0.25);
    const scaleInS = rampCrossingS(0.2, 5, 30, 3);
    expect(Math.abs((scaleIn!.tsUs - rampFromUs) / S - scaleInS)).toBeLessThan(0.25);
    // +10 bps at 0.2 bps/s takes 50 s from the entry price.
    expect(Math.abs((takeProfit!.tsUs - entry!.tsUs) / S - 50)).toBeLessThan(0.25);
    expect(takeProfit!.price / entry!.price - 1).toBeGreaterThanOrEqual(0.001);
  });

  it('goes short on a steady down-trend, mirror image of the up-trend', () => {
    const down = flatThenRamp({
      fromUs: T0_US,
      rampFromUs,
      toUs: T0_US + 200 * S,
      slopeBpsPerS: -0.2,
    });
    const targets = collectTargets(create(), down);
    expect(targets.map((t) => [t.reason, t.exposure])).toEqual([
      ['entry-short', -0.005],
      ['scale-in', -0.01],
      ['take-profit', 0],
    ]);
  });

  it('stops out on the first event 10 bps below the entry price, even inside the holding time', () => {
    const entry = collectTargets(create(), upRamp)[0]!;
    const strategy = create();
    const beforeEntry = upRamp.filter((e) => e.tsUs <= entry.tsUs);
    collectTargets(strategy, beforeEntry);
    const dropUs = entry.tsUs + 2 * S;
    const events: MarketEvent[] = [
      trade(entry.tsUs + 1 * S, entry.price * (1 - 0.0009)), // −9 bps: holds
      trade(dropUs, entry.price * (1 - 0.0011)), // −11 bps: stop
      ...path(dropUs + 100_000, dropUs + 8 * S, 100_000, () => entry.price * (1 - 0.0011)),
    ];
    const targets = collectTargets(strategy, events);
    expect(targets[0]).toMatchObject({ reason: 'stop-loss', exposure: 0, tsUs: dropUs });
    expect(targets.slice(1).some((t) => t.reason === 'entry-long')).toBe(false);
  });

  it('does not re-enter long right after a take-profit while the same up-trend lasts', () => {
    const longer = flatThenRamp({
      fromUs: T0_US,
      rampFromUs,
      toUs: T0_US + 400 * S,
      slopeBpsPerS: 0.2,
    });
    const targets = collectTargets(create(), longer);
    expect(targets.filter((t) => t.reason === 'entry-long')).toHaveLength(1);
  });

  it('sets no target on a trendless zigzag of ±3 bps', () => {
    const events = zigzag({ fromUs: T0_US, toUs: T0_US + 600 * S, amplitudeBps: 3 });
    expect(collectTargets(create(), events)).toEqual([]);
  });

  it('works in event time: a sparse feed of the same ramp enters at the same moment', () => {
    const sparse = flatThenRamp({
      fromUs: T0_US,
      rampFromUs,
      toUs: T0_US + 200 * S,
      slopeBpsPerS: 0.2,
      stepUs: S,
    });
    const dense = collectTargets(create(), upRamp)[0]!;
    const coarse = collectTargets(create(), sparse)[0]!;
    expect(coarse.reason).toBe('entry-long');
    expect(Math.abs(coarse.tsUs - dense.tsUs)).toBeLessThanOrEqual(1.5 * S);
  });

  it('waits 10 s after an entry before a signal exit', () => {
    const entry = collectTargets(create(), upRamp)[0]!;
    const strategy = create();
    collectTargets(
      strategy,
      upRamp.filter((e) => e.tsUs <= entry.tsUs),
    );
    // The price falls back 5 bps at once (trend collapses, no stop) and stays there.
    const after = path(
      entry.tsUs + 100_000,
      entry.tsUs + 30 * S,
      100_000,
      () => entry.price * 0.9995,
    );
    const exit = collectTargets(strategy, after)[0]!;
    expect(exit.reason).toBe('exit');
    expect(exit.tsUs - entry.tsUs).toBeGreaterThanOrEqual(10 * S);
  });

  it('restarts its warm-up after a 1-hour gap', () => {
    const strategy = create();
    collectTargets(strategy, zigzag({ fromUs: T0_US, toUs: T0_US + 60 * S, amplitudeBps: 0.5 }));
    const resumeUs = T0_US + 3_660 * S;
    const trend = flatThenRamp({
      fromUs: resumeUs,
      rampFromUs: resumeUs,
      toUs: resumeUs + 120 * S,
      slopeBpsPerS: 1,
    });
    const first = collectTargets(strategy, trend)[0]!;
    expect(first.reason).toBe('entry-long');
    expect(first.tsUs - resumeUs).toBeGreaterThanOrEqual(30 * S);
  });

  it('uses defaults for undefined params and rejects unknown or inconsistent ones in one line', () => {
    expect(momentumV1.parseParams(undefined)).toEqual(momentumV1.parseParams({}));
    const attempts: readonly unknown[] = [
      { fastMs: 'fast' },
      { speed: 1 },
      { fastMs: 40_000 },
      { entryBps: -1 },
    ];
    for (const params of attempts) {
      let caught: unknown;
      try {
        momentumV1.parseParams(params);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CanaryError);
      expect((caught as CanaryError).code).toBe('E_STRATEGY_PARAMS');
      expect((caught as CanaryError).message).toMatch(/^momentum@1\.0\.0: invalid params: /);
      expect((caught as CanaryError).message).not.toContain('\n');
    }
  });

  it('sizes exposure × equity / price', () => {
    const strategy = create();
    const quantity = strategy.targetQuantity(
      { symbol: 'BTCUSDT', exposure: 0.01, reason: 'entry-long' },
      { accountId: 'a', capital: 10_000, equity: 12_000, position: 0 },
      60_000,
    );
    expect(quantity).toBeCloseTo(0.002, 12); // 1 % of 12 000 USDT = 120 USDT = 0.002 BTC
  });
});
