import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import { collectTargets, zigzag } from '../test-support/price-scenarios.js';
import { describeStrategyContract } from '../test-support/strategy-contract.js';
import { SECOND_US, T0_US, path, quote } from '../test-support/synthetic-events.js';
import { meanReversionV1 } from './mean-reversion-v1.js';

const S = SECOND_US;
const create = (params?: unknown) => meanReversionV1.create(meanReversionV1.parseParams(params));

describeStrategyContract(meanReversionV1);

describe('mean-reversion@1.0.0', () => {
  // Defaults: mean 30 s, σ over 300 s, entry 2σ, exit within 0.25σ, stop 15 bps, hold 10 s,
  // warm-up 30 s, 1 % of equity. Two minutes of a ±1 bp zigzag make σ ≈ 1 bp around 60 000.
  const spikeUs = T0_US + 120 * S;
  const calm = zigzag({ fromUs: T0_US, toUs: spikeUs, amplitudeBps: 1 });
  const level = (bps: number, fromUs: number, toUs: number): MarketEvent[] =>
    path(fromUs, toUs, 100_000, () => 60_000 * (1 + bps / 1e4));
  const calmAfter = (fromUs: number): MarketEvent[] =>
    zigzag({ fromUs, toUs: fromUs + 60 * S, amplitudeBps: 1 });

  it('fades a +5 bps spike (≈ 5σ) at once and exits back at the mean after the holding time', () => {
    const events = [...calm, ...level(5, spikeUs, spikeUs + 3 * S), ...calmAfter(spikeUs + 3 * S)];
    const targets = collectTargets(create(), events);
    expect(targets.map((t) => [t.reason, t.exposure])).toEqual([
      ['entry-short', -0.01],
      ['exit', 0],
    ]);
    const [entry, exit] = targets;
    expect(entry!.tsUs).toBe(spikeUs);
    expect(exit!.tsUs - entry!.tsUs).toBeGreaterThanOrEqual(10 * S);
    expect(exit!.tsUs - entry!.tsUs).toBeLessThan(11 * S);
    expect(Math.abs(exit!.price / 60_000 - 1) * 1e4).toBeLessThanOrEqual(1.5);
  });

  it('fades a −5 bps dip by going long', () => {
    const events = [...calm, ...level(-5, spikeUs, spikeUs + 3 * S), ...calmAfter(spikeUs + 3 * S)];
    const targets = collectTargets(create(), events);
    expect(targets.map((t) => [t.reason, t.exposure])).toEqual([
      ['entry-long', 0.01],
      ['exit', 0],
    ]);
  });

  it('holds while the price stays stretched and exits once the mean has caught up', () => {
    // Spike to +5 bps, then a partial retreat to +2 bps that holds: z starts near 1.5 and decays
    // as the 30 s mean moves up (about 30 s × ln 6 ≈ 54 s to come within 0.25σ).
    const events = [
      ...calm,
      ...level(5, spikeUs, spikeUs + 3 * S),
      ...level(2, spikeUs + 3 * S, spikeUs + 180 * S),
    ];
    const targets = collectTargets(create(), events);
    expect(targets.map((t) => t.reason)).toEqual(['entry-short', 'exit']);
    const heldS = (targets[1]!.tsUs - spikeUs) / S;
    expect(heldS).toBeGreaterThan(25);
    expect(heldS).toBeLessThan(120);
  });

  it('fades a 2.5σ move', () => {
    const spike = (bps: number) => [
      ...calm,
      ...level(bps, spikeUs, spikeUs + 3 * S),
      ...calmAfter(spikeUs + 3 * S),
    ];
    expect(collectTargets(create(), spike(2.5))[0]).toMatchObject({
      reason: 'entry-short',
      tsUs: spikeUs,
    });
  });

  it('does not fade a 1.5σ move', () => {
    const events = [
      ...calm,
      ...level(1.5, spikeUs, spikeUs + 3 * S),
      ...calmAfter(spikeUs + 3 * S),
    ];
    expect(collectTargets(create(), events)).toEqual([]);
  });

  it('stops out when the move runs 15 bps past the entry, and does not fade it again', () => {
    const events = [
      ...calm,
      ...level(5, spikeUs, spikeUs + 3 * S),
      ...level(25, spikeUs + 3 * S, spikeUs + 120 * S),
    ];
    const targets = collectTargets(create(), events);
    expect(targets.map((t) => t.reason)).toEqual(['entry-short', 'stop-loss']);
    expect(targets[1]!.tsUs).toBe(spikeUs + 3 * S);
  });

  it('takes no position during its 30 s warm-up', () => {
    const early = zigzag({ fromUs: T0_US, toUs: T0_US + 20 * S, amplitudeBps: 1 });
    const events = [...early, ...level(8, T0_US + 20 * S, T0_US + 25 * S)];
    expect(collectTargets(create(), events)).toEqual([]);
  });

  it('keeps the symbols apart: a spike in one does not move the other', () => {
    const eth = (events: readonly MarketEvent[]): MarketEvent[] =>
      events.map((e) => quote(e.tsUs + 1, (e.type === 'trade' ? e.priceNum : 0) / 20, 'ETHUSDT'));
    const btcSpike = [
      ...calm,
      ...level(5, spikeUs, spikeUs + 3 * S),
      ...calmAfter(spikeUs + 3 * S),
    ];
    const ethCalm = eth([...calm, ...calmAfter(spikeUs)]);
    const merged = [...btcSpike, ...ethCalm].sort((a, b) => a.tsUs - b.tsUs);
    const targets = collectTargets(create(), merged);
    expect(targets.map((t) => [t.symbol, t.reason])).toEqual([
      ['BTCUSDT', 'entry-short'],
      ['BTCUSDT', 'exit'],
    ]);
  });

  it('rejects an exit band wider than the entry band', () => {
    expect(() => meanReversionV1.parseParams({ entryZ: 1, exitZ: 1.5 })).toThrow(/exitZ/);
    expect(meanReversionV1.parseParams({ entryZ: 3 })).toMatchObject({ entryZ: 3 });
  });
});
