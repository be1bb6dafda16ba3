import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Strategy } from '../core/strategy.js';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../execution/index.js';
import { loadArmStrategies } from './load-arm-strategies.js';
import { decisionTimeSince, DecisionTimer, slowCanaryWarning } from './decision-timer.js';
import { generateAccounts } from './generate-accounts.js';
import { runReplay } from './run-replay.js';

const SAMPLE = join(
  import.meta.dirname,
  '..',
  '..',
  'feeds',
  'samples',
  'spot_btcusdt_20240808.gz',
);

describe('DecisionTimer', () => {
  it('times one call in `every` and averages the timed ones (an injected clock)', () => {
    let nowMs = 0;
    const timer = new DecisionTimer(() => nowMs, 4);
    for (let i = 0; i < 10; i++) {
      const start = timer.sampleThis() ? timer.now() : Number.NaN;
      nowMs += i; // the i-th call takes i ms
      if (!Number.isNaN(start)) timer.record(timer.now() - start);
    }
    // Calls 0, 4 and 8 are timed: 0, 4 and 8 ms.
    expect(timer.summary).toEqual({ events: 10, sampled: 3, meanUs: 4000, maxUs: 8000 });
  });

  it('gives the mean of the calls timed since an earlier summary', () => {
    let nowMs = 0;
    const timer = new DecisionTimer(() => nowMs, 1);
    const call = (ms: number): void => {
      timer.sampleThis();
      const start = timer.now();
      nowMs += ms;
      timer.record(timer.now() - start);
    };
    call(100); // a stall
    call(2);
    const before = timer.summary;
    for (let i = 0; i < 4; i++) call(1);
    expect(decisionTimeSince(before, timer.summary)).toEqual({
      events: 4,
      sampled: 4,
      meanUs: 1000,
      maxUs: 100_000,
    });
    expect(decisionTimeSince(null, timer.summary)).toEqual(timer.summary);
    expect(decisionTimeSince(timer.summary, timer.summary).meanUs).toBeNull();
  });

  it('flags a canary much slower than stable, and only then', () => {
    const time = (meanUs: number) => ({ events: 100, sampled: 7, meanUs, maxUs: meanUs });
    expect(slowCanaryWarning(time(2), time(5000))).toMatch(/2500× slower than stable .*5\.00 ms/);
    expect(slowCanaryWarning(time(2), time(9))).toBeNull(); // 4.5×: not much slower
    expect(slowCanaryWarning(time(2), time(40))).toBeNull(); // 20×, but 38 µs: noise
    expect(slowCanaryWarning(time(200), time(5000))).toMatch(/25× slower/);
    expect(
      slowCanaryWarning(time(2), { events: 0, sampled: 0, meanUs: null, maxUs: null }),
    ).toBeNull();
  });
});

describe('replay decision time per arm', () => {
  it('measures each arm’s strategy, outside the report, and flags a slow canary', async () => {
    // A wall clock the canary's strategy moves by 5 ms per event: slow by construction, whatever
    // the machine's speed.
    let nowMs = 0;
    const strategies = await loadArmStrategies({
      stable: 'momentum@1.0.0',
      canary: 'momentum@2.0.0',
    });
    const slow = (inner: Strategy): Strategy => ({
      id: inner.id,
      onMarketEvent: (event) => {
        nowMs += 5;
        return inner.onMarketEvent(event);
      },
      targetQuantity: (target, account, price) => inner.targetQuantity(target, account, price),
    });
    const definition = strategies.canary.definition;
    const { report, decisionTime } = await runReplay({
      files: [SAMPLE],
      feed: { onBadLine: 'fail' },
      accountsSource: 'generated',
      accounts: generateAccounts(20, 1),
      salt: 's',
      weightBps: 5000,
      seed: 1,
      strategies: {
        ...strategies,
        canary: {
          ...strategies.canary,
          definition: { ...definition, create: (p) => slow(definition.create(p)) },
        },
      },
      execution: DEFAULT_EXECUTION_CONFIG,
      injections: NO_INJECTIONS,
      maxLeverage: 1,
      quantityDecimals: 8,
      sampleIntervalMs: 1000,
      wallClockMs: () => nowMs,
    });
    expect(decisionTime.canary.events).toBe(report.inputs.events);
    expect(decisionTime.canary.sampled).toBe(
      Math.ceil(report.inputs.events / new DecisionTimer().every),
    );
    expect(decisionTime.canary.meanUs).toBe(5000);
    expect(decisionTime.stable.meanUs).toBe(0);
    expect(slowCanaryWarning(decisionTime.stable, decisionTime.canary)).toMatch(
      /slower than stable/,
    );
    expect(JSON.stringify(report)).not.toMatch(/decisionTime|meanUs/);
  });
});
