// A user strategy in TypeScript: channel breakout in event time.
//
//   npx strategy-canary replay feeds/samples/spot_btcusdt_20240808.gz \
//     --stable momentum@1.0.0 --canary ./examples/strategies/breakout.ts
//
// TypeScript modules are compiled on the fly (tsx). In your own project import the types from
// 'strategy-canary/strategies'; this example imports them from the repository.
import { z } from 'zod';
import type {
  AccountView,
  MarketEvent,
  Strategy,
  StrategyDefinition,
  TargetPosition,
} from '../../strategies/index.js';

const paramsSchema = z.strictObject({
  /** Length of one channel bucket, ms of event time. */
  bucketMs: z.number().int().positive().default(10_000),
  /** The channel is the high and low of this many completed buckets. */
  buckets: z.number().int().min(1).max(1_000).default(6),
  /** Breakout beyond the channel by at least this much, bps. */
  bufferBps: z.number().min(0).default(1),
  /** Exposure while in a breakout, % of equity. */
  exposurePct: z.number().positive().max(100).default(1),
});

type BreakoutParams = z.infer<typeof paramsSchema>;

/** Per-symbol state: a ring of bucket highs and lows (memory O(buckets) per symbol). */
interface Channel {
  readonly highs: Float64Array;
  readonly lows: Float64Array;
  /** Index of the current bucket (µs / bucketUs) and how many buckets have completed. */
  bucket: number;
  completed: number;
  high: number;
  low: number;
  direction: -1 | 0 | 1;
}

class BreakoutStrategy implements Strategy {
  readonly id = 'breakout@1.0.0';
  readonly #params: BreakoutParams;
  readonly #channels = new Map<string, Channel>();

  constructor(params: BreakoutParams) {
    this.#params = params;
  }

  onMarketEvent(event: MarketEvent): TargetPosition | null {
    const price =
      event.type === 'trade' ? event.priceNum : (event.bidPriceNum + event.askPriceNum) / 2;
    if (!(price > 0) || !Number.isFinite(price)) return null;
    const { bucketMs, buckets, bufferBps, exposurePct } = this.#params;
    const bucket = Math.floor(event.tsUs / (bucketMs * 1000));
    let channel = this.#channels.get(event.symbol);
    if (channel === undefined) {
      channel = {
        highs: new Float64Array(buckets),
        lows: new Float64Array(buckets),
        bucket,
        completed: 0,
        high: price,
        low: price,
        direction: 0,
      };
      this.#channels.set(event.symbol, channel);
      return null;
    }
    if (bucket > channel.bucket) {
      // Close the current bucket; a gap of empty buckets restarts the channel.
      if (bucket - channel.bucket > buckets) channel.completed = 0;
      else {
        const slot = channel.completed % buckets;
        channel.highs[slot] = channel.high;
        channel.lows[slot] = channel.low;
        channel.completed++;
      }
      channel.bucket = bucket;
      channel.high = price;
      channel.low = price;
    } else {
      if (price > channel.high) channel.high = price;
      if (price < channel.low) channel.low = price;
    }
    if (channel.completed < buckets) return null;

    let top = Number.NEGATIVE_INFINITY;
    let bottom = Number.POSITIVE_INFINITY;
    for (let i = 0; i < buckets; i++) {
      top = Math.max(top, channel.highs[i] ?? top);
      bottom = Math.min(bottom, channel.lows[i] ?? bottom);
    }
    const buffer = 1 + bufferBps / 1e4;
    const middle = (top + bottom) / 2;
    let direction = channel.direction;
    if (price > top * buffer) direction = 1;
    else if (price < bottom / buffer) direction = -1;
    else if (
      (channel.direction === 1 && price < middle) ||
      (channel.direction === -1 && price > middle)
    )
      direction = 0;
    if (direction === channel.direction) return null;
    channel.direction = direction;
    const reason = direction === 1 ? 'breakout-up' : direction === -1 ? 'breakout-down' : 'exit';
    return { symbol: event.symbol, exposure: (direction * exposurePct) / 100, reason };
  }

  targetQuantity(target: TargetPosition, account: AccountView, price: number): number {
    if (!(account.equity > 0) || !(price > 0)) return 0;
    return (target.exposure * account.equity) / price;
  }
}

const breakout: StrategyDefinition<BreakoutParams> = {
  name: 'breakout',
  version: '1.0.0',
  description:
    'Goes with a break of the last minute’s high/low channel; exits at the channel middle.',
  parseParams: (input: unknown) => paramsSchema.parse(input ?? {}),
  create: (params: BreakoutParams) => new BreakoutStrategy(params),
};

export default breakout;
