import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { resolveSyntheticFeedOptions } from './resolve-synthetic-feed-options.js';
import { DEFAULT_VOLATILITY_REGIMES, type SyntheticFeedOptions } from './synthetic-feed-options.js';

function usageMessage(options: SyntheticFeedOptions): string {
  try {
    resolveSyntheticFeedOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_USAGE');
    return (error as UsageError).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveSyntheticFeedOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveSyntheticFeedOptions({ seed: 1, minutes: 2 });
    expect(o.symbol).toBe('BTCUSDT');
    expect(o.exchange).toBe('synthetic');
    expect(o.startTsUs).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(o.endTsUs).toBe(o.startTsUs + 120_000_000);
    expect(o.eventLimit).toBe(Infinity);
    // '0.01' is 1 unit at 2 decimals; '60000.00' is 6,000,000 such ticks.
    expect([o.priceDecimals, o.tickUnits, o.startTicks]).toEqual([2, 1, 6_000_000]);
    expect(o.sizeDecimals).toBe(5);
    expect(o.regimes.map((r) => r.name)).toEqual(['calm', 'normal', 'volatile']);
    expect(o.initialRegimeIndex).toBe(1);
  });

  it('turns decimal ticks into integer units', () => {
    const o = resolveSyntheticFeedOptions({
      seed: 1,
      events: 5,
      tickSize: '0.25',
      startPrice: '100.75',
    });
    expect([o.priceDecimals, o.tickUnits, o.startTicks]).toEqual([2, 25, 403]);
    const whole = resolveSyntheticFeedOptions({
      seed: 1,
      events: 5,
      tickSize: '5',
      startPrice: '2500',
    });
    expect([whole.priceDecimals, whole.tickUnits, whole.startTicks]).toEqual([0, 5, 500]);
  });

  it('takes a wide tick: decimals from the tick, the start price on its grid', () => {
    const o = resolveSyntheticFeedOptions({
      seed: 1,
      events: 5,
      tickSize: '0.00005',
      startPrice: '0.50000',
    });
    expect([o.priceDecimals, o.tickUnits, o.startTicks]).toEqual([5, 5, 10_000]);
    // Trailing zeros do not count as decimals: '0.5' is the same grid point.
    expect(
      resolveSyntheticFeedOptions({ seed: 1, events: 5, tickSize: '0.00005', startPrice: '0.5' })
        .startTicks,
    ).toBe(10_000);
    const base = { seed: 1, events: 5, tickSize: '0.00005' };
    expect(usageMessage({ ...base, startPrice: '0.500001' })).toBe(
      "synthetic feed: startPrice: '0.500001' has 6 decimals, more than the 5 of the tick size 0.00005: the start price must be on the tick grid (a multiple of the tick size)",
    );
    expect(usageMessage({ ...base, startPrice: '0.50003' })).toBe(
      "synthetic feed: startPrice: '0.50003' is not on the tick grid: not a multiple of the tick size 0.00005",
    );
    expect(usageMessage({ ...base, tickSize: '0.0000000000001' })).toMatch(/at most 12 decimals/);
  });

  it('lets an exact event count take precedence over minutes', () => {
    const o = resolveSyntheticFeedOptions({ seed: 1, events: 10, minutes: 5 });
    expect(o.eventLimit).toBe(10);
    expect(o.endTsUs).toBe(Infinity);
  });

  it('rejects bad options with E_USAGE naming the option', () => {
    const base = { seed: 1, events: 10 };
    expect(usageMessage({ seed: 1 })).toMatch(/minutes/);
    expect(usageMessage({ seed: 1.5, events: 1 })).toMatch(/seed/);
    expect(usageMessage({ seed: 1, events: 0 })).toMatch(/events/);
    expect(usageMessage({ seed: 1, events: 2.5 })).toMatch(/events/);
    expect(usageMessage({ seed: 1, minutes: -1 })).toMatch(/minutes/);
    expect(usageMessage({ seed: 1, minutes: Number.NaN })).toMatch(/minutes/);
    expect(usageMessage({ ...base, tickSize: '0' })).toMatch(/tickSize/);
    expect(usageMessage({ ...base, tickSize: 'abc' })).toMatch(/tickSize/);
    expect(usageMessage({ ...base, tickSize: '-0.01' })).toMatch(/tickSize/);
    expect(usageMessage({ ...base, startPrice: '60000.005' })).toMatch(/startPrice.*multiple/);
    expect(usageMessage({ ...base, startPrice: '0' })).toMatch(/startPrice/);
    expect(usageMessage({ ...base, tradesOnly: 'yes' as unknown as boolean })).toMatch(
      /tradesOnly/,
    );
    expect(usageMessage({ ...base, symbol: 'BTC,USDT' })).toMatch(/symbol/);
    expect(usageMessage({ ...base, sizeDecimals: 9 })).toMatch(/sizeDecimals/);
    expect(usageMessage({ ...base, initialRegime: 'panic' })).toMatch(/initialRegime/);
    expect(usageMessage({ ...base, sidePersistence: 1.5 })).toMatch(/sidePersistence/);
    expect(
      usageMessage({
        ...base,
        excitation: [
          { branchingRatio: 0.6, decayMs: 10 },
          { branchingRatio: 0.4, decayMs: 100 },
        ],
      }),
    ).toMatch(/below 1/);
    const [calm, normal, volatile] = DEFAULT_VOLATILITY_REGIMES;
    expect(usageMessage({ ...base, regimes: [] })).toMatch(/regimes/);
    expect(
      usageMessage({ ...base, regimes: [{ ...calm!, next: [0, 0.5, 0.4] }, normal!, volatile!] }),
    ).toMatch(/regimes\[0\]\.next.*sum/);
    expect(
      usageMessage({ ...base, regimes: [{ ...calm!, next: [1] }, normal!, volatile!] }),
    ).toMatch(/regimes\[0\]\.next/);
    expect(
      usageMessage({ ...base, regimes: [calm!, { ...normal!, name: 'calm' }, volatile!] }),
    ).toMatch(/duplicate/);
  });
});
