import { z } from 'zod';
import { Decimal } from '../core/money.js';
import { MONEY_DIGITS, PRICE_DIGITS, QTY_DIGITS } from '../ledger/fixed-point.js';
import {
  EARLIEST_EVENT_TIME_MS,
  EVENT_TIME_END_MS,
  tooEarly,
  tooLate,
} from './plausible-event-time.js';

const id = z.string().min(1).max(256);
const arm = z.enum(['stable', 'canary']);
const side = z.enum(['buy', 'sell']);
/** A signed decimal string: digits, an optional fraction, nothing else (no spaces, no exponent). */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/u;

/**
 * `value` as an exact decimal, or null for a string that is not one (its pattern has already
 * reported it: zod still runs the refinements after a failed pattern, and decimal.js throws on
 * text like `' 100'`).
 */
function exact(value: string | number): Decimal | null {
  return typeof value === 'string' && !DECIMAL_TEXT.test(value) ? null : new Decimal(value);
}

/**
 * At most `places` decimal places, what the exact books keep (docs/accounting.md): a finer value
 * would be rounded, so it is refused at the door instead.
 */
function withPlaces<T extends z.ZodType<string | number>>(schema: T, places: number) {
  return schema.refine(
    (value) => (exact(value)?.decimalPlaces() ?? 0) <= places,
    `at most ${places} decimal places`,
  );
}
/**
 * A decimal as a string (exact) or a finite number; must be greater than zero (a quantity or
 * price of 0, or a negative number, would book nonsense: refused at the door).
 */
const positiveDecimal = (places: number) =>
  withPlaces(
    z.union([z.string().regex(/^\d+(\.\d+)?$/u, 'a positive decimal string'), z.number().finite()]),
    places,
  ).refine((value) => exact(value)?.greaterThan(0) ?? true, 'must be greater than 0');
const signedDecimal = (places: number) =>
  withPlaces(
    z.union([z.string().regex(/^-?\d+(\.\d+)?$/u, 'a decimal string'), z.number().finite()]),
    places,
  );
/**
 * An event time, ms since the epoch, from 2000-01-01 up to 2100-01-01 (plausible-event-time.ts): a
 * time in seconds or µs is refused at the door, never taken as a jump of the canary's clock.
 */
const timeMs = z
  .number()
  .finite()
  .min(EARLIEST_EVENT_TIME_MS, tooEarly('ms'))
  .lt(EVENT_TIME_END_MS, tooLate('ms'));

/** An order the bot sent for an account (every order, before its fill or reject). */
export const botOrderSchema = z.strictObject({
  type: z.literal('order'),
  orderId: id,
  accountId: id,
  arm,
  symbol: id,
  side,
  quantity: positiveDecimal(QTY_DIGITS),
  /**
   * Event time of the decision the order carries out, ms since the epoch (2000 to 2100), at most an
   * hour (and `lateReportMs`) after the canary's clock.
   */
  decisionTsMs: timeMs,
});

/** Largest latency a report may carry, ms (one hour): beyond it the report is refused, INVALID. */
export const MAX_PLAUSIBLE_LATENCY_MS = 3_600_000;

/** Largest slippage a report may carry, either way, bps (100 %): beyond it the report is refused. */
export const MAX_PLAUSIBLE_SLIPPAGE_BPS = 10_000;

/**
 * A fill the bot's broker returned: one per order, which it settles. Partial fills are summed by
 * the bot into one (quantity-weighted price, summed fee); an order canceled or expired after a
 * partial fill is settled by one fill of what did fill (`filledQuantity`).
 */
export const botFillSchema = z.strictObject({
  type: z.literal('fill'),
  /**
   * Unique per fill: a fill id seen before (the same fill sent again included) is refused
   * `DUPLICATE_FILL`; the latest 1,000,000 fill ids are kept (`IDS_KEPT`), the oldest forgotten.
   */
  fillId: id,
  orderId: id,
  accountId: id,
  arm,
  symbol: id,
  side,
  quantity: positiveDecimal(QTY_DIGITS),
  /**
   * The part of `quantity` that filled, when the rest was canceled or expired (positive, at most
   * `quantity`); absent: all of it. The books take this quantity.
   */
  filledQuantity: positiveDecimal(QTY_DIGITS).optional(),
  price: positiveDecimal(PRICE_DIGITS),
  /** Fee paid, quote currency (negative for a rebate). */
  fee: signedDecimal(MONEY_DIGITS),
  decisionTsMs: timeMs,
  /**
   * Event time of the fill, ms since the epoch (2000 to 2100), not before its order's decision nor
   * over an hour after it (the canary checks both, with `lateReportMs` of slack).
   */
  tsMs: timeMs,
  /** Decision to fill, ms: at most an hour (anything longer is a bot's bug, not a latency). */
  latencyMs: z.number().finite().nonnegative().max(MAX_PLAUSIBLE_LATENCY_MS),
  /**
   * Fill price against the decision price, bps, positive = worse: within ±10,000 bps (a price that
   * doubled or fell to nothing since the decision is a bot's bug, not a slippage).
   */
  slippageBps: z.number().finite().min(-MAX_PLAUSIBLE_SLIPPAGE_BPS).max(MAX_PLAUSIBLE_SLIPPAGE_BPS),
});

/** An order the broker rejected. */
export const botRejectSchema = z.strictObject({
  type: z.literal('reject'),
  orderId: id,
  accountId: id,
  arm,
  symbol: id,
  side,
  quantity: positiveDecimal(QTY_DIGITS),
  reason: z.enum([
    'MIN_NOTIONAL',
    'INSUFFICIENT_BUYING_POWER',
    'PRICE_PROTECTION',
    'INJECTED',
    'EXPIRED',
    'VENUE',
  ]),
  message: z.string().max(1000).default(''),
  decisionTsMs: timeMs,
  tsMs: timeMs,
});

/**
 * A strategy that threw or produced an invalid output in the bot (a hard guardrail on the canary).
 * Its `tsMs` may be at most an hour (and `lateReportMs`) after the canary's clock: event time.
 */
export const botStrategyErrorSchema = z.strictObject({
  type: z.literal('strategy-error'),
  arm,
  tsMs: timeMs,
  message: z.string().max(1000),
});

/** What a bot reports: its orders, fills, rejects and strategy errors (docs/embedding.md). */
export const botReportSchema = z.discriminatedUnion('type', [
  botOrderSchema,
  botFillSchema,
  botRejectSchema,
  botStrategyErrorSchema,
]);

export type BotOrder = z.input<typeof botOrderSchema>;
export type BotFill = z.input<typeof botFillSchema>;
export type BotReject = z.input<typeof botRejectSchema>;
export type BotStrategyError = z.input<typeof botStrategyErrorSchema>;
/** A report as a bot sends it (decimals as strings or numbers). */
export type BotReport = z.input<typeof botReportSchema>;
/** A report once validated. */
export type ValidBotReport = z.output<typeof botReportSchema>;
