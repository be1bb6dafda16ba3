import { Decimal } from '../core/money.js';
import { PRICE_DIGITS } from '../ledger/fixed-point.js';
import { implausibleEventTime } from './plausible-event-time.js';

/** A price as the feed readers give it: ASCII digits, an optional fraction. */
const PRICE_TEXT = /^\d+(\.\d+)?$/u;

/**
 * Why a bot's market event cannot move a canary's clock and mark its symbol, or null when it can:
 * a `trade` or `quote` with a plausible `tsUs` (whole µs from 2000-01-01 up to 2100-01-01), a
 * non-empty `symbol`, and prices the exact books take (positive decimal strings of at most 24
 * places, with finite positive `...Num` twins; a quote's bid not above its ask, as the feed readers
 * check). The books keep the event as the mark and read its prices when they value the accounts:
 * an unchecked bad price would surface later, as a throw from `totals()`, an equity of NaN or a
 * report journal that cannot be reopened.
 */
export function marketEventProblem(event: unknown): string | null {
  if (typeof event !== 'object' || event === null) return `not a market event: ${String(event)}`;
  const fields = event as Record<string, unknown>;
  const { type, tsUs, symbol } = fields;
  if (type !== 'trade' && type !== 'quote') {
    return `type ${JSON.stringify(type) ?? 'undefined'} is not "trade" or "quote"`;
  }
  const implausible = implausibleEventTime(Number(tsUs), 'µs');
  if (typeof tsUs !== 'number' || implausible !== null) {
    return `tsUs ${String(tsUs)} is ${implausible ?? 'not a number'}`;
  }
  if (typeof symbol !== 'string' || symbol.length === 0) {
    return `symbol ${JSON.stringify(symbol) ?? 'undefined'} is not a non-empty string`;
  }
  const prices = type === 'trade' ? (['price'] as const) : (['bidPrice', 'askPrice'] as const);
  for (const name of prices) {
    const text = fields[name];
    if (typeof text !== 'string' || !PRICE_TEXT.test(text) || !new Decimal(text).greaterThan(0)) {
      return `${name} ${JSON.stringify(text) ?? 'undefined'} is not a positive decimal string`;
    }
    if (new Decimal(text).decimalPlaces() > PRICE_DIGITS) {
      return `${name} ${text} has more than ${PRICE_DIGITS} decimal places, finer than the exact books keep`;
    }
    const num = fields[`${name}Num`];
    if (typeof num !== 'number' || !Number.isFinite(num) || num <= 0) {
      return `${name}Num ${String(num)} is not a finite positive number (the price as a float)`;
    }
  }
  if (type === 'quote') {
    const bid = new Decimal(fields.bidPrice as string);
    if (bid.greaterThan(fields.askPrice as string)) {
      return `a crossed quote: bidPrice ${bid.toFixed()} > askPrice ${String(fields.askPrice)}`;
    }
  }
  return null;
}
