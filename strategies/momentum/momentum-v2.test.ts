import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import type { StrategyDefinition } from '../../src/core/strategy.js';
import {
  collectTargets,
  flatThenRamp,
  rampCrossingS,
  zigzag,
  type TimedTarget,
} from '../test-support/price-scenarios.js';
import { describeStrategyContract } from '../test-support/strategy-contract.js';
import { SECOND_US, T0_US, path } from '../test-support/synthetic-events.js';
import { momentumV1 } from './momentum-v1.js';
import { momentumV2 } from './momentum-v2.js';

const S = SECOND_US;
const create = (definition: StrategyDefinition, params?: unknown) =>
  definition.create(definition.parseParams(params));

describeStrategyContract(momentumV2);

describe('momentum@2.0.0 against momentum@1.0.0', () => {
  // 3 minutes of a zigzag (calm ±0.2 bps, or wild ±4 bps), then a 60 s ramp of 0.12 bps/s whose
  // trend peaks at 2.5 bps: above v1's fixed 1.5 bps, below v2's 1.25 × σ ≈ 4.5–5 bps after the
  // wild stretch, above v2's 1 bp floor after the calm one.
  const rampFromUs = T0_US + 180 * S;
  const ramp = (slopeBpsPerS: number): MarketEvent[] =>
    flatThenRamp({ fromUs: rampFromUs, rampFromUs, toUs: rampFromUs + 60 * S, slopeBpsPerS });
  const calm = zigzag({ fromUs: T0_US, toUs: rampFromUs, amplitudeBps: 0.2 });
  const wild = zigzag({ fromUs: T0_US, toUs: rampFromUs, amplitudeBps: 4 });
  const entries = (definition: StrategyDefinition, events: readonly MarketEvent[]): TimedTarget[] =>
    collectTargets(create(definition), events).filter((t) => t.reason.startsWith('entry'));

  it('v2 reacts to a change in volatility where v1 does not', () => {
    const v1Calm = entries(momentumV1, [...calm, ...ramp(0.12)]);
    const v1Wild = entries(momentumV1, [...wild, ...ramp(0.12)]);
    expect(v1Calm).toHaveLength(1);
    expect(v1Wild.map((t) => t.tsUs)).toEqual(v1Calm.map((t) => t.tsUs));
    // v1 enters where the model's trend crosses its fixed 1.5 bps.
    expect(
      Math.abs((v1Calm[0]!.tsUs - rampFromUs) / S - rampCrossingS(0.12, 5, 30, 1.5)),
    ).toBeLessThan(0.5);

    const v2Calm = entries(momentumV2, [...calm, ...ramp(0.12)]);
    const v2Wild = entries(momentumV2, [...wild, ...ramp(0.12)]);
    expect(v2Calm.map((t) => t.reason)).toEqual(['entry-long']);
    // After a calm tape v2's threshold sits near its 1 bp floor: it enters before v1.
    expect(v2Calm[0]!.tsUs).toBeLessThan(v1Calm[0]!.tsUs);
    expect(v2Wild).toEqual([]);
  });

  it('v2 still follows a trend that clears its raised threshold after a wild tape', () => {
    const strong = entries(momentumV2, [...wild, ...ramp(0.5)]);
    expect(strong.map((t) => t.reason)).toEqual(['entry-long']);
  });

  it('v2 sizes 1.5× v1 for the same signal strength', () => {
    const v1 = entries(momentumV1, [...calm, ...ramp(0.12)])[0]!;
    const v2 = entries(momentumV2, [...calm, ...ramp(0.12)])[0]!;
    expect(v1.exposure).toBeCloseTo(0.005, 12); // half strength × 1 %
    expect(v2.exposure).toBeCloseTo(0.0075, 12); // half strength × 1.5 %
    const account = { accountId: 'a', capital: 10_000, equity: 10_000, position: 0 };
    const q1 = create(momentumV1).targetQuantity(v1, account, 60_000);
    const q2 = create(momentumV2).targetQuantity(v2, account, 60_000);
    expect(q1).toBeCloseTo((0.005 * 10_000) / 60_000, 12);
    expect(q2 / q1).toBeCloseTo(1.5, 12);
  });

  /** Both versions long from the same flat-then-ramp tape; returns each one's entry. */
  function enterBoth(): { v1: TimedTarget; v2: TimedTarget; tape: MarketEvent[] } {
    const tape = flatThenRamp({
      fromUs: T0_US,
      rampFromUs: T0_US + 60 * S,
      toUs: T0_US + 200 * S,
      slopeBpsPerS: 0.2,
    });
    return {
      v1: collectTargets(create(momentumV1), tape)[0]!,
      v2: collectTargets(create(momentumV2), tape)[0]!,
      tape,
    };
  }

  /** Replays the tape up to the entry, then holds the price at `moveBps` from the entry price. */
  function afterMove(
    definition: StrategyDefinition,
    entry: TimedTarget,
    tape: readonly MarketEvent[],
    moveBps: number,
  ) {
    const strategy = create(definition);
    collectTargets(
      strategy,
      tape.filter((e) => e.tsUs <= entry.tsUs),
    );
    const held = path(
      entry.tsUs + 100_000,
      entry.tsUs + 3 * S,
      100_000,
      () => entry.price * (1 + moveBps / 1e4),
    );
    return collectTargets(strategy, held).map((t) => t.reason);
  }

  it('v2 stops out at −7.5 bps where v1 holds until −10 bps', () => {
    const { v1, v2, tape } = enterBoth();
    expect(v1.reason).toBe('entry-long');
    expect(v2.reason).toBe('entry-long');
    expect(afterMove(momentumV2, v2, tape, -8)).toEqual(['stop-loss']);
    expect(afterMove(momentumV1, v1, tape, -8)).toEqual([]);
    expect(afterMove(momentumV1, v1, tape, -10.5)).toEqual(['stop-loss']);
  });

  it('v2 takes profit at +12.5 bps where v1 already took it at +10 bps', () => {
    const { v1, v2, tape } = enterBoth();
    expect(afterMove(momentumV1, v1, tape, 11)).toEqual(['take-profit']);
    expect(afterMove(momentumV2, v2, tape, 11)).toEqual([]);
    expect(afterMove(momentumV2, v2, tape, 13)).toEqual(['take-profit']);
  });

  it('v2 has an adaptive threshold parameter set and still rejects unknown keys', () => {
    expect(() => momentumV2.parseParams({ volMultiple: 2, minEntryBps: 0.5 })).not.toThrow();
    expect(() => momentumV2.parseParams({ entryBps: 1.5 })).toThrow(/entryBps/);
    expect(() => momentumV2.parseParams({ volMultiple: 0 })).toThrow(/volMultiple/);
  });
});
