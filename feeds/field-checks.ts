import type { FeedError } from '../src/core/errors.js';
import { PRICE_DIGITS, QTY_DIGITS } from '../src/core/exact-scales.js';
import type { FeedContext } from './feed-context.js';
import { quoteValue, scanDecimal, scanUnsignedInteger } from './decimal-scan.js';

// Validation shared by the readers: each returns the float value of text[start, end) or throws.
// The error paths live in separate functions so the checks stay small enough to inline. A price
// of more than 24 decimal places or a size of more than 18 is a bad field: the exact books would
// have to round it (docs/accounting.md); scanDecimal counts places only off its fast path.

export function positivePrice(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
): number {
  const value = scanDecimal(text, start, end, PRICE_DIGITS);
  if (value > 0 && value !== Infinity) return value;
  throw positivePriceError(ctx, text, start, end, line, field);
}

/** The error {@link positivePrice} throws. */
export function positivePriceError(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
): FeedError {
  if (isFinitePositive(scanDecimal(text, start, end, Infinity)))
    return tooPrecise(ctx, text, start, end, line, field, PRICE_DIGITS, 'prices');
  return notA(ctx, 'a positive number', text, start, end, line, field);
}

/** A size: > 0 for trades, >= 0 for quotes (`allowZero`). */
export function validSize(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
  allowZero: boolean,
): number {
  const value = scanDecimal(text, start, end, QTY_DIGITS);
  if ((value > 0 || (allowZero && value === 0)) && value !== Infinity) return value;
  throw validSizeError(ctx, text, start, end, line, field, allowZero);
}

/** The error {@link validSize} throws. */
export function validSizeError(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
  allowZero: boolean,
): FeedError {
  if (isFinitePositive(scanDecimal(text, start, end, Infinity)))
    return tooPrecise(ctx, text, start, end, line, field, QTY_DIGITS, 'quantities');
  return notA(
    ctx,
    allowZero ? 'a number >= 0' : 'a positive number',
    text,
    start,
    end,
    line,
    field,
  );
}

/** An integer timestamp as written (unit decided by the caller). */
export function integerTime(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
): number {
  const value = scanUnsignedInteger(text, start, end);
  if (value > 0) return value;
  throw notA(ctx, 'an integer timestamp', text, start, end, line, field);
}

/** Throws when the bid is above the ask (a locked book, bid = ask, passes). */
export function checkNotCrossed(
  ctx: FeedContext,
  bid: number,
  ask: number,
  bidText: string,
  askText: string,
  line: number,
  field: string,
): void {
  if (bid > ask) throw ctx.badField(line, field, `crossed quote: bid ${bidText} > ask ${askText}`);
}

function notA(
  ctx: FeedContext,
  expected: string,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
): FeedError {
  return ctx.badField(line, field, `not ${expected} (${quoteValue(text.slice(start, end))})`);
}

function isFinitePositive(value: number): boolean {
  return value > 0 && value !== Infinity;
}

/** The error for a valid number with more than `places` decimal places (trailing zeros aside). */
function tooPrecise(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
  places: number,
  what: string,
): FeedError {
  return ctx.badField(
    line,
    field,
    `more than ${places} decimal places (${quoteValue(text.slice(start, end))}): the exact books keep ${what} to ${places} (docs/accounting.md)`,
  );
}
