import { z } from 'zod';
import type { MarketEvent } from '../core/market-event.js';
import { eventTimeSchema } from './event-time-schema.js';

const decimal = z.string().regex(/^\d+(\.\d+)?$/u, 'a decimal string');
const positiveFinite = z.number().finite().positive();
const timeUs = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const base = {
  tsUs: eventTimeSchema('µs'),
  exchangeTsUs: timeUs.nullable().optional(),
  exchange: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
};

const tradeSchema = z.object({
  type: z.literal('trade'),
  ...base,
  id: z.string().max(128).nullable().optional(),
  side: z.enum(['buy', 'sell']).nullable().optional(),
  price: decimal,
  priceNum: positiveFinite.optional(),
  size: decimal,
  sizeNum: positiveFinite.optional(),
});

const quoteSchema = z.object({
  type: z.literal('quote'),
  ...base,
  bidPrice: decimal,
  bidPriceNum: positiveFinite.optional(),
  bidSize: decimal,
  bidSizeNum: positiveFinite.optional(),
  askPrice: decimal,
  askPriceNum: positiveFinite.optional(),
  askSize: decimal,
  askSizeNum: positiveFinite.optional(),
});

const marketEventSchema = z.discriminatedUnion('type', [tradeSchema, quoteSchema]);

/**
 * A market event from an agent, checked (type `trade` or `quote`, integer µs times, `tsUs` within
 * the canary's window (2000-01-01 to 2100-01-01: plausible-event-time.ts), decimal
 * strings, finite positive numbers) and completed: a missing `...Num` twin is the string's value,
 * a missing `exchangeTsUs`, `id` or `side` is null. Returns an error message when it does not check.
 */
export function parseMarketEvent(
  input: unknown,
):
  | { readonly ok: true; readonly event: MarketEvent }
  | { readonly ok: false; readonly message: string } {
  const parsed = marketEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['event', ...(issue?.path ?? [])].join('.');
    return { ok: false, message: `${where}: ${issue?.message ?? 'not a market event'}` };
  }
  const e = parsed.data;
  const common = {
    tsUs: e.tsUs,
    exchangeTsUs: e.exchangeTsUs ?? null,
    exchange: e.exchange,
    symbol: e.symbol,
  };
  const num = (text: string, given: number | undefined): number => given ?? Number(text);
  const event: MarketEvent =
    e.type === 'trade'
      ? {
          type: 'trade',
          ...common,
          id: e.id ?? null,
          side: e.side ?? null,
          price: e.price,
          priceNum: num(e.price, e.priceNum),
          size: e.size,
          sizeNum: num(e.size, e.sizeNum),
        }
      : {
          type: 'quote',
          ...common,
          bidPrice: e.bidPrice,
          bidPriceNum: num(e.bidPrice, e.bidPriceNum),
          bidSize: e.bidSize,
          bidSizeNum: num(e.bidSize, e.bidSizeNum),
          askPrice: e.askPrice,
          askPriceNum: num(e.askPrice, e.askPriceNum),
          askSize: e.askSize,
          askSizeNum: num(e.askSize, e.askSizeNum),
        };
  const zero = Object.entries(event).find(
    ([key, value]) => key.endsWith('Num') && typeof value === 'number' && !(value > 0),
  );
  if (zero !== undefined) return { ok: false, message: `event.${zero[0]}: must be positive` };
  return { ok: true, event };
}
