import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listStrategies } from './registry.js';
import { strategyId } from './strategy-id.js';
import { readBinanceCapture } from './test-support/binance-capture.js';

const SAMPLE = fileURLToPath(new URL('../feeds/samples/spot_btcusdt_20240808.gz', import.meta.url));

// The real 6-minute BTCUSDT capture (~38k trades and quotes). Every target change costs one order
// per account on the arm, so the bundled strategies must trade on it, but at a sane rate: 5 to 40
// changes, whatever the version.
describe('target changes on the bundled BTCUSDT sample', () => {
  const events = readBinanceCapture(SAMPLE);

  it('has the expected sample', () => {
    expect(events.length).toBeGreaterThan(37_000);
    expect(events.length).toBeLessThan(39_000);
  });

  for (const definition of listStrategies()) {
    it(`${strategyId(definition)} changes its target 5–40 times, entering at least once`, () => {
      const strategy = definition.create(definition.parseParams(undefined));
      const reasons: string[] = [];
      for (const event of events) {
        const target = strategy.onMarketEvent(event);
        if (target !== null) reasons.push(target.reason);
      }
      expect(reasons.length).toBeGreaterThanOrEqual(5);
      expect(reasons.length).toBeLessThanOrEqual(40);
      expect(reasons.some((reason) => reason.startsWith('entry-'))).toBe(true);
    });
  }
});
