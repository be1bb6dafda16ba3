import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StrategyDefinition } from '../core/strategy.js';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../execution/index.js';
import type { MetricsSnapshot } from '../metrics/index.js';
import { generateAccounts } from './generate-accounts.js';
import { loadArmStrategies } from './load-arm-strategies.js';
import type { ReplayConfig } from './replay-config.js';
import { runReplay } from './run-replay.js';

const SAMPLE = join(
  import.meta.dirname,
  '..',
  '..',
  'feeds',
  'samples',
  'spot_btcusdt_20240808.gz',
);

async function sampleConfig(): Promise<ReplayConfig> {
  return {
    files: [SAMPLE],
    feed: { onBadLine: 'fail' },
    accountsSource: 'generated',
    accounts: generateAccounts(50, 1),
    salt: 's',
    weightBps: 5000,
    seed: 1,
    strategies: await loadArmStrategies({ stable: 'momentum@1.0.0', canary: 'momentum@2.0.0' }),
    execution: DEFAULT_EXECUTION_CONFIG,
    injections: NO_INJECTIONS,
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
  };
}

describe('replay lane metrics', () => {
  it('hands every snapshot to the hook, on the interval grid, the last the final one', async () => {
    const snapshots: MetricsSnapshot[] = [];
    const { report, lastSnapshot } = await runReplay(await sampleConfig(), {
      onSnapshot: (snapshot) => snapshots.push(snapshot),
    });
    expect(snapshots.length).toBeGreaterThan(300); // about 6 minutes of 1-second intervals
    const last = snapshots.at(-1)!;
    expect(last.final).toBe(true);
    expect(lastSnapshot).toBe(last);
    expect(snapshots.slice(0, -1).every((s) => !s.final && s.tsUs % 1_000_000 === 0)).toBe(true);
    const fills = report.arms.stable.fills + report.arms.canary.fills;
    expect(last.arms.stable.fills + last.arms.canary.fills).toBe(fills);
    expect(fills).toBeGreaterThan(0);
  });

  it('fails the replay with the first error of a snapshot hook, and stops the metrics', async () => {
    let calls = 0;
    const failure = new Error('the hook failed');
    await expect(
      runReplay(await sampleConfig(), {
        onSnapshot: () => {
          calls++;
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

describe('a replay stopped by its signal', () => {
  for (const parseInWorker of [false, true]) {
    it(`rejects with the signal's reason at the next events and reads no further (parsing ${parseInWorker ? 'on a worker' : 'on this thread'})`, async () => {
      const stop = new AbortController();
      const reason = new Error('stopped');
      let snapshots = 0;
      const replay = runReplay(
        await sampleConfig(),
        {
          onSnapshot: () => {
            if (++snapshots === 10) stop.abort(reason);
          },
        },
        { signal: stop.signal, parseInWorker },
      );
      await expect(replay).rejects.toBe(reason);
      // One event-time second a snapshot: the replay stopped within the batch it was in (a few
      // seconds of this file), not at the end of its six minutes.
      expect(snapshots).toBeGreaterThanOrEqual(10);
      expect(snapshots).toBeLessThan(100);
    });
  }
});

describe("a replay's strategies", () => {
  it('are created from the validated parameters as they are, not parsed a second time', async () => {
    // docs/strategies.md's always-long: its parseParams takes no input at all, only `undefined`,
    // which the contract allows (a parser need not accept its own output).
    const parsed: unknown[] = [];
    const alwaysLong: StrategyDefinition<{ readonly exposure: number }> = {
      name: 'always-long',
      version: '1.0.0',
      description: 'Buys 1 % of equity in every symbol on its first event and holds it.',
      parseParams(input) {
        parsed.push(input);
        if (input !== undefined && input !== null) throw new Error('always-long takes no params');
        return { exposure: 0.01 };
      },
      create(params) {
        const seen = new Set<string>();
        return {
          id: 'always-long@1.0.0',
          onMarketEvent: (event) => {
            if (seen.has(event.symbol)) return null;
            seen.add(event.symbol);
            return { symbol: event.symbol, exposure: params.exposure, reason: 'entry-long' };
          },
          targetQuantity: (target, account, price) =>
            account.equity > 0 && price > 0 ? (target.exposure * account.equity) / price : 0,
        };
      },
    };
    const config = await sampleConfig();
    const canary = {
      spec: './always-long.mjs',
      definition: alwaysLong as StrategyDefinition,
      params: alwaysLong.parseParams(undefined),
    };
    const { report } = await runReplay({
      ...config,
      strategies: { ...config.strategies, canary },
    });
    expect(parsed).toEqual([undefined]);
    expect(report.arms.canary.fills).toBeGreaterThan(0);
    expect(report.inputs.strategies.canary.params).toEqual({ exposure: 0.01 });
  });
});
