import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAll, sample } from './test-support/feed-test-utils.js';

// Expected counts from /work/shared/data/binance/SOURCE.md (counted independently of this code).
const SAMPLES = [
  ['spot_btcusdt_20240808.gz', 'binance', 'BTCUSDT', 9_757, 28_040, 3_451, 1],
  ['spot_btcusdt_20240809.gz', 'binance', 'BTCUSDT', 10_147, 45_134, 3_044, 0],
  ['usdm_btcusdt_20240808.gz', 'binance-futures', 'BTCUSDT', 21_313, 66_089, 6_551, 1],
  ['spot_ethusdt_20240808.gz', 'binance', 'ETHUSDT', 6_106, 24_077, 3_434, 1],
] as const;

describe('real Binance captures (feeds/samples)', () => {
  it.each(SAMPLES)(
    '%s: venue %s, symbol %s, %i trades, %i bookTicker, %i depth + %i snapshot',
    async (name, exchange, symbol, trades, quotes, depth, snapshots) => {
      const { source, events } = await readAll(sample(name));
      expect(source.format).toBe('binance-ws');
      const stats = source.stats;
      expect(stats).toMatchObject({
        trades,
        quotes,
        events: trades + quotes,
        badLines: 0,
        outOfOrder: 0,
      });
      expect(stats.skipped).toEqual(
        snapshots > 0 ? { depthUpdate: depth, depthSnapshot: snapshots } : { depthUpdate: depth },
      );
      expect(stats.lines).toBe(trades + quotes + depth + snapshots);
      expect(stats.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(sample(name)))
          .digest('hex'),
      );
      expect(new Set(events.map((e) => `${e.exchange} ${e.symbol}`))).toEqual(
        new Set([`${exchange} ${symbol}`]),
      );

      // a complete tape: trade ids contiguous
      const ids = events.flatMap((e) => (e.type === 'trade' ? [Number(e.id)] : []));
      expect(ids.every((id, i) => i === 0 || id === (ids[i - 1] as number) + 1)).toBe(true);

      // event time is the local receive time, about 1.25 s behind the exchange's trade time
      const lags = events.flatMap((e) =>
        e.type === 'trade' ? [(e.exchangeTsUs as number) - e.tsUs] : [],
      );
      lags.sort((a, b) => a - b);
      const median = lags[Math.floor(lags.length / 2)] as number;
      expect(median).toBeGreaterThan(1_000_000);
      expect(median).toBeLessThan(1_500_000);

      // no crossed quotes, and the float twins match the strings
      for (const e of events)
        if (e.type === 'quote') {
          expect(e.bidPriceNum <= e.askPriceNum).toBe(true);
          if (e.bidPriceNum !== Number(e.bidPrice) || e.askSizeNum !== Number(e.askSize))
            throw new Error('twin mismatch');
        }
    },
  );
});
