import type { FeedError } from '../src/core/errors.js';
import type { FeedContext } from './feed-context.js';
import { quoteValue, scanDecimal, scanUnsignedInteger } from './decimal-scan.js';

// Validation shared by the readers: each returns the float value of text[start, end) or throws.
// The error paths live in separate functions so the checks stay small enough to inline.

export function positivePrice(
  ctx: FeedContext,
  text: string,
  start: number,
  end: number,
  line: number,
  field: string,
): number {
  const value = scanDecimal(text, start, end);
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
  const value = scanDecimal(text, start, end);
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
