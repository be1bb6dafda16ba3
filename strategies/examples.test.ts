import { describe, expect, it } from 'vitest';
import { createStrategy } from './create-strategy.js';
import { loadStrategyDefinition } from './load-strategy.js';
import { describeStrategyContract } from './test-support/strategy-contract.js';
import { SECOND_US, T0_US, path, quote } from './test-support/synthetic-events.js';

// The example user strategies, loaded the way the CLI loads them: by path, through the loader.
const alwaysLong = await loadStrategyDefinition('examples/strategies/always-long.mjs');
const breakout = await loadStrategyDefinition('examples/strategies/breakout.ts');

describeStrategyContract(alwaysLong);
describeStrategyContract(breakout);

describe('example strategies', () => {
  it('always-long buys 1 % of equity once per symbol and holds', () => {
    const strategy = createStrategy(alwaysLong, undefined);
    const targets = [
      quote(T0_US, 60_000),
      quote(T0_US + 1, 60_001),
      quote(T0_US + 2, 2_600, 'ETHUSDT'),
    ].map((e) => strategy.onMarketEvent(e));
    expect(targets).toEqual([
      { symbol: 'BTCUSDT', exposure: 0.01, reason: 'entry-long' },
      null,
      { symbol: 'ETHUSDT', exposure: 0.01, reason: 'entry-long' },
    ]);
    expect(() => createStrategy(alwaysLong, { exposurePct: 200 })).toThrow(/exposurePct/);
  });

  it('breakout goes long when the price clears the last minute’s high, and exits at the middle', () => {
    const strategy = createStrategy(breakout, undefined);
    // 60 s ranging 59 990–60 010 (six 10 s buckets), then a clean break to 60 030, then a fall to 59 995.
    const range = path(T0_US, T0_US + 70 * SECOND_US, 250_000, (t) =>
      Math.round((t - T0_US) / 250_000) % 2 === 0 ? 59_990 : 60_010,
    );
    const breakUp = path(T0_US + 70 * SECOND_US, T0_US + 72 * SECOND_US, 250_000, () => 60_030);
    const fall = path(T0_US + 72 * SECOND_US, T0_US + 74 * SECOND_US, 250_000, () => 59_995);
    const reasons = [...range, ...breakUp, ...fall]
      .map((e) => strategy.onMarketEvent(e))
      .filter((t) => t !== null)
      .map((t) => [t.reason, t.exposure]);
    expect(reasons).toEqual([
      ['breakout-up', 0.01],
      ['exit', 0],
    ]);
  });
});
