import type { MarketEvent, Side } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser } from './line-parser.js';
import { columnEndsBytes, sameText } from './csv-columns.js';
import {
  checkNotCrossed,
  integerTime,
  positivePriceError,
  validSizeError,
} from './field-checks.js';
import {
  quoteValue,
  scanDecimal,
  scanSimpleDecimalBytes,
  scanUnsignedBytes,
} from './decimal-scan.js';
import { BufferQuoteEvent, BufferTradeEvent, type EventBytes } from './buffer-events.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';
import { NORMALIZED_CSV_HEADER } from './normalized-csv-format.js';

const COLUMNS = NORMALIZED_CSV_HEADER.split(',');
const COLUMN_COUNT = COLUMNS.length; // 12
/** `trade`, `quote`, `buy`, `sell` as bytes. */
const TRADE = [116, 114, 97, 100, 101];
const QUOTE = [113, 117, 111, 116, 101];
const BUY = [98, 117, 121];
const SELL = [115, 101, 108, 108];

/**
 * Reader of the normalized CSV (feeds/normalized-csv-format.ts), the benchmark format: one scan
 * with indexOf/charCodeAt per line, no split or regex. `ts_us` is the event time and, being the
 * only time the format has, also `exchangeTsUs` (before any clamping).
 */
export class NormalizedCsvParser implements LineParser {
  readonly #ctx: FeedContext;
  #first = true;
  // Last exchange and symbol seen: reused while they repeat, so events share one string.
  #exchange = '';
  #symbol = '';
  /** Column ends of the line {@link parseBytes} reads. */
  readonly #commas = new Int32Array(COLUMN_COUNT);

  constructor(ctx: FeedContext) {
    this.#ctx = ctx;
  }

  parseLine(line: string, lineNo: number): MarketEvent | null {
    const ctx = this.#ctx;
    if (this.#first) {
      this.#first = false;
      if (line.startsWith('ts_us')) {
        if (line !== NORMALIZED_CSV_HEADER)
          throw ctx.malformed(
            lineNo,
            `header is not ${JSON.stringify(NORMALIZED_CSV_HEADER)} (${quoteValue(line)})`,
          );
        return null;
      }
    }
    // Eleven commas, found with indexOf (native, vectorised), unrolled.
    const c0 = line.indexOf(',');
    const c1 = line.indexOf(',', c0 + 1);
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    const c4 = line.indexOf(',', c3 + 1);
    const c5 = line.indexOf(',', c4 + 1);
    const c6 = line.indexOf(',', c5 + 1);
    const c7 = line.indexOf(',', c6 + 1);
    const c8 = line.indexOf(',', c7 + 1);
    const c9 = line.indexOf(',', c8 + 1);
    const c10 = line.indexOf(',', c9 + 1);
    // indexOf from -1 + 1 restarts at 0, so a missing comma shows as a position not after its predecessor.
    if (
      c0 < 0 ||
      c1 <= c0 ||
      c2 <= c1 ||
      c3 <= c2 ||
      c4 <= c3 ||
      c5 <= c4 ||
      c6 <= c5 ||
      c7 <= c6 ||
      c8 <= c7 ||
      c9 <= c8 ||
      c10 <= c9 ||
      line.indexOf(',', c10 + 1) >= 0
    )
      throw this.#columnCount(line, lineNo);

    const rawTsUs = integerTime(ctx, line, 0, c0, lineNo, 'ts_us');
    if (c1 === c0 + 1) throw ctx.badField(lineNo, 'exchange', 'empty');
    if (c2 === c1 + 1) throw ctx.badField(lineNo, 'symbol', 'empty');
    let exchange = this.#exchange;
    if (!sameText(line, c0 + 1, c1, exchange)) exchange = this.#exchange = line.slice(c0 + 1, c1);
    let symbol = this.#symbol;
    if (!sameText(line, c1 + 1, c2, symbol)) symbol = this.#symbol = line.slice(c1 + 1, c2);
    if (sameText(line, c2 + 1, c3, 'trade')) {
      let side: Side | null;
      if (c4 === c3 + 1) side = null;
      else if (sameText(line, c3 + 1, c4, 'buy')) side = 'buy';
      else if (sameText(line, c3 + 1, c4, 'sell')) side = 'sell';
      else
        throw ctx.badField(
          lineNo,
          'side',
          `not buy, sell or empty (${quoteValue(line.slice(c3 + 1, c4))})`,
        );
      // Checks written out (not via field-checks) so they inline into this hot function.
      const priceNum = scanDecimal(line, c4 + 1, c5);
      if (!(priceNum > 0 && priceNum !== Infinity))
        throw positivePriceError(ctx, line, c4 + 1, c5, lineNo, 'price');
      const sizeNum = scanDecimal(line, c5 + 1, c6);
      if (!(sizeNum > 0 && sizeNum !== Infinity))
        throw validSizeError(ctx, line, c5 + 1, c6, lineNo, 'size', false);
      if (c7 !== c6 + 1 || c8 !== c7 + 1 || c9 !== c8 + 1 || c10 !== c9 + 1)
        throw ctx.badField(lineNo, 'bid_price', 'quote columns must be empty on a trade line');
      const id = c10 + 1 === line.length ? null : line.slice(c10 + 1);
      const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
      return tradeEvent(
        tsUs,
        rawTsUs,
        exchange,
        symbol,
        id,
        side,
        line.slice(c4 + 1, c5),
        priceNum,
        line.slice(c5 + 1, c6),
        sizeNum,
      );
    }
    if (sameText(line, c2 + 1, c3, 'quote')) {
      if (c4 !== c3 + 1 || c5 !== c4 + 1 || c6 !== c5 + 1)
        throw ctx.badField(lineNo, 'side', 'trade columns must be empty on a quote line');
      const bidPriceNum = scanDecimal(line, c6 + 1, c7);
      if (!(bidPriceNum > 0 && bidPriceNum !== Infinity))
        throw positivePriceError(ctx, line, c6 + 1, c7, lineNo, 'bid_price');
      const bidSizeNum = scanDecimal(line, c7 + 1, c8);
      if (!(bidSizeNum >= 0 && bidSizeNum !== Infinity))
        throw validSizeError(ctx, line, c7 + 1, c8, lineNo, 'bid_size', true);
      const askPriceNum = scanDecimal(line, c8 + 1, c9);
      if (!(askPriceNum > 0 && askPriceNum !== Infinity))
        throw positivePriceError(ctx, line, c8 + 1, c9, lineNo, 'ask_price');
      const askSizeNum = scanDecimal(line, c9 + 1, c10);
      if (!(askSizeNum >= 0 && askSizeNum !== Infinity))
        throw validSizeError(ctx, line, c9 + 1, c10, lineNo, 'ask_size', true);
      const bidPrice = line.slice(c6 + 1, c7);
      const askPrice = line.slice(c8 + 1, c9);
      checkNotCrossed(ctx, bidPriceNum, askPriceNum, bidPrice, askPrice, lineNo, 'bid_price');
      if (c10 + 1 !== line.length)
        throw ctx.badField(lineNo, 'id', 'must be empty on a quote line');
      if (ctx.tradesOnly) return ctx.dropQuote();
      const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
      return quoteEvent(
        tsUs,
        rawTsUs,
        exchange,
        symbol,
        bidPrice,
        bidPriceNum,
        line.slice(c7 + 1, c8),
        bidSizeNum,
        askPrice,
        askPriceNum,
        line.slice(c9 + 1, c10),
        askSizeNum,
      );
    }
    throw ctx.badField(
      lineNo,
      'type',
      `not trade or quote (${quoteValue(line.slice(c2 + 1, c3))})`,
    );
  }

  /**
   * {@link parseLine}'s fast path on bytes: a well-formed line with plain decimals (digits and a
   * dot, up to 15 digits) and a time of up to 16 digits becomes a buffer event
   * ({@link BufferTradeEvent}, {@link BufferQuoteEvent}: no string decoded); anything else,
   * every bad line included, is left to {@link parseLine} (`undefined`).
   */
  parseBytes(
    bytes: Buffer,
    start: number,
    end: number,
    lineNo: number,
  ): MarketEvent | null | undefined {
    if (this.#first) return undefined;
    const commas = this.#commas;
    if (!columnEndsBytes(bytes, start, end, COLUMN_COUNT, commas)) return undefined;
    const c0 = commas[0]!;
    const c1 = commas[1]!;
    const c2 = commas[2]!;
    const c3 = commas[3]!;
    const c4 = commas[4]!;
    const c5 = commas[5]!;
    const c6 = commas[6]!;
    const c7 = commas[7]!;
    const c8 = commas[8]!;
    const c9 = commas[9]!;
    const c10 = commas[10]!;
    const rawTsUs = scanUnsignedBytes(bytes, start, c0);
    if (!(rawTsUs > 0) || c1 === c0 + 1 || c2 === c1 + 1) return undefined;
    const ctx = this.#ctx;
    if (sameBytes(bytes, c2 + 1, c3, TRADE)) {
      let side: Side | null;
      if (c4 === c3 + 1) side = null;
      else if (sameBytes(bytes, c3 + 1, c4, BUY)) side = 'buy';
      else if (sameBytes(bytes, c3 + 1, c4, SELL)) side = 'sell';
      else return undefined;
      const priceNum = scanSimpleDecimalBytes(bytes, c4 + 1, c5);
      const sizeNum = scanSimpleDecimalBytes(bytes, c5 + 1, c6);
      if (
        !(priceNum > 0 && sizeNum > 0) ||
        c7 !== c6 + 1 ||
        c8 !== c7 + 1 ||
        c9 !== c8 + 1 ||
        c10 !== c9 + 1
      )
        return undefined;
      const exchange = this.#exchangeOf(bytes, c0 + 1, c1);
      const symbol = this.#symbolOf(bytes, c1 + 1, c2);
      const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
      const hasId = c10 + 1 < end;
      return new BufferTradeEvent(
        tsUs,
        rawTsUs,
        exchange,
        symbol,
        side,
        priceNum,
        sizeNum,
        bytes as unknown as EventBytes,
        c4 + 1,
        c5,
        c5 + 1,
        c6,
        hasId ? c10 + 1 : -1,
        hasId ? end : -1,
      );
    }
    if (!sameBytes(bytes, c2 + 1, c3, QUOTE)) return undefined;
    const bidPriceNum = scanSimpleDecimalBytes(bytes, c6 + 1, c7);
    const bidSizeNum = scanSimpleDecimalBytes(bytes, c7 + 1, c8);
    const askPriceNum = scanSimpleDecimalBytes(bytes, c8 + 1, c9);
    const askSizeNum = scanSimpleDecimalBytes(bytes, c9 + 1, c10);
    if (
      c4 !== c3 + 1 ||
      c5 !== c4 + 1 ||
      c6 !== c5 + 1 ||
      c10 + 1 !== end ||
      !(bidPriceNum > 0 && askPriceNum > 0 && bidSizeNum >= 0 && askSizeNum >= 0) ||
      bidPriceNum > askPriceNum
    )
      return undefined;
    const exchange = this.#exchangeOf(bytes, c0 + 1, c1);
    const symbol = this.#symbolOf(bytes, c1 + 1, c2);
    if (ctx.tradesOnly) return ctx.dropQuote();
    const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
    return new BufferQuoteEvent(
      tsUs,
      rawTsUs,
      exchange,
      symbol,
      bidPriceNum,
      bidSizeNum,
      askPriceNum,
      askSizeNum,
      bytes as unknown as EventBytes,
      c6 + 1,
      c7,
      c7 + 1,
      c8,
      c8 + 1,
      c9,
      c9 + 1,
      c10,
    );
  }

  #exchangeOf(bytes: Buffer, start: number, end: number): string {
    if (!sameBytesText(bytes, start, end, this.#exchange))
      this.#exchange = bytes.toString('latin1', start, end);
    return this.#exchange;
  }

  #symbolOf(bytes: Buffer, start: number, end: number): string {
    if (!sameBytesText(bytes, start, end, this.#symbol))
      this.#symbol = bytes.toString('latin1', start, end);
    return this.#symbol;
  }

  #columnCount(line: string, lineNo: number): Error {
    let columns = 1;
    for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) columns++;
    return this.#ctx.malformed(lineNo, `expected ${COLUMN_COUNT} columns, found ${columns}`);
  }
}

/** True when `bytes[start, end)` are `expected`. */
function sameBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  expected: readonly number[],
): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/** True when `bytes[start, end)` (ASCII) spell `text`. */
function sameBytesText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}
