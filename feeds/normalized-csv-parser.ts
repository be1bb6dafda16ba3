import { PRICE_DIGITS, QTY_DIGITS } from '../src/core/exact-scales.js';
import type { MarketEvent, Side } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser, ParsedEventSink } from './line-parser.js';
import { sameText } from './csv-columns.js';
import { FieldCursor } from './field-cursor.js';
import {
  checkNotCrossed,
  integerTime,
  positivePriceError,
  validSizeError,
} from './field-checks.js';
import { quoteValue, scanDecimal } from './decimal-scan.js';
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
  /** Reads the fields of the line {@link parseBytes} is given. */
  readonly #cursor = new FieldCursor();

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
      const priceNum = scanDecimal(line, c4 + 1, c5, PRICE_DIGITS);
      if (!(priceNum > 0 && priceNum !== Infinity))
        throw positivePriceError(ctx, line, c4 + 1, c5, lineNo, 'price');
      const sizeNum = scanDecimal(line, c5 + 1, c6, QTY_DIGITS);
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
      const bidPriceNum = scanDecimal(line, c6 + 1, c7, PRICE_DIGITS);
      if (!(bidPriceNum > 0 && bidPriceNum !== Infinity))
        throw positivePriceError(ctx, line, c6 + 1, c7, lineNo, 'bid_price');
      const bidSizeNum = scanDecimal(line, c7 + 1, c8, QTY_DIGITS);
      if (!(bidSizeNum >= 0 && bidSizeNum !== Infinity))
        throw validSizeError(ctx, line, c7 + 1, c8, lineNo, 'bid_size', true);
      const askPriceNum = scanDecimal(line, c8 + 1, c9, PRICE_DIGITS);
      if (!(askPriceNum > 0 && askPriceNum !== Infinity))
        throw positivePriceError(ctx, line, c8 + 1, c9, lineNo, 'ask_price');
      const askSizeNum = scanDecimal(line, c9 + 1, c10, QTY_DIGITS);
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
   * dot, up to 15 digits) and a time of up to 16 digits goes to `sink` as fields (no string
   * decoded); anything else, every bad line included, is left to {@link parseLine} (false).
   */
  parseBytes(
    bytes: Buffer,
    start: number,
    end: number,
    lineNo: number,
    sink: ParsedEventSink,
  ): boolean {
    if (this.#first) return false;
    const cursor = this.#cursor;
    cursor.reset(start, end);
    const rawTsUs = cursor.unsigned(bytes);
    if (!(rawTsUs > 0) || !cursor.endedByComma) return false;
    const exchange = this.#exchangeAt(bytes, cursor);
    if (exchange === null) return false;
    const symbol = this.#symbolAt(bytes, cursor);
    if (symbol === null) return false;
    const ctx = this.#ctx;
    if (cursor.is(bytes, TRADE)) {
      if (!cursor.endedByComma) return false;
      let side: Side | null;
      if (cursor.empty(bytes)) side = null;
      else if (cursor.is(bytes, BUY)) side = 'buy';
      else if (cursor.is(bytes, SELL)) side = 'sell';
      else return false;
      if (!cursor.endedByComma) return false;
      const priceStart = cursor.at;
      const priceNum = cursor.decimal(bytes);
      const priceEnd = cursor.fieldEnd;
      if (!(priceNum > 0) || !cursor.endedByComma) return false;
      const sizeStart = cursor.at;
      const sizeNum = cursor.decimal(bytes);
      const sizeEnd = cursor.fieldEnd;
      if (!(sizeNum > 0) || !cursor.endedByComma || !emptyColumns(bytes, cursor, 4)) return false;
      // The id: the rest of the line, without a comma (a thirteenth column).
      const idStart = cursor.at;
      cursor.skip(bytes);
      if (cursor.endedByComma) return false;
      const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
      const hasId = idStart < end;
      sink.trade(
        tsUs,
        rawTsUs,
        exchange,
        symbol,
        side,
        priceNum,
        sizeNum,
        bytes,
        priceStart,
        priceEnd,
        sizeStart,
        sizeEnd,
        hasId ? idStart : -1,
        hasId ? end : -1,
      );
      return true;
    }
    if (!cursor.is(bytes, QUOTE) || !cursor.endedByComma || !emptyColumns(bytes, cursor, 3))
      return false;
    const bidPriceStart = cursor.at;
    const bidPriceNum = cursor.decimal(bytes);
    const bidPriceEnd = cursor.fieldEnd;
    if (!(bidPriceNum > 0) || !cursor.endedByComma) return false;
    const bidSizeStart = cursor.at;
    const bidSizeNum = cursor.decimal(bytes);
    const bidSizeEnd = cursor.fieldEnd;
    if (!(bidSizeNum >= 0) || !cursor.endedByComma) return false;
    const askPriceStart = cursor.at;
    const askPriceNum = cursor.decimal(bytes);
    const askPriceEnd = cursor.fieldEnd;
    if (!(askPriceNum > 0) || !cursor.endedByComma) return false;
    const askSizeStart = cursor.at;
    const askSizeNum = cursor.decimal(bytes);
    const askSizeEnd = cursor.fieldEnd;
    // The id column must be there, empty and last.
    if (!(askSizeNum >= 0) || cursor.at !== end || bidPriceNum > askPriceNum) return false;
    if (ctx.tradesOnly) {
      ctx.dropQuote();
      return true;
    }
    const tsUs = ctx.eventTime(rawTsUs, lineNo, 'ts_us');
    sink.quote(
      tsUs,
      rawTsUs,
      exchange,
      symbol,
      bidPriceNum,
      bidSizeNum,
      askPriceNum,
      askSizeNum,
      bytes,
      bidPriceStart,
      bidPriceEnd,
      bidSizeStart,
      bidSizeEnd,
      askPriceStart,
      askPriceEnd,
      askSizeStart,
      askSizeEnd,
    );
    return true;
    return true;
  }

  /** The exchange field (the last one's string while it repeats), or null when empty or last. */
  #exchangeAt(bytes: Buffer, cursor: FieldCursor): string | null {
    const from = cursor.at;
    if (!cursor.isText(bytes, this.#exchange)) {
      cursor.skip(bytes);
      this.#exchange = bytes.toString('latin1', from, cursor.fieldEnd);
    }
    return cursor.fieldEnd > from && cursor.endedByComma ? this.#exchange : null;
  }

  /** The symbol field, as {@link #exchangeAt} reads the exchange. */
  #symbolAt(bytes: Buffer, cursor: FieldCursor): string | null {
    const from = cursor.at;
    if (!cursor.isText(bytes, this.#symbol)) {
      cursor.skip(bytes);
      this.#symbol = bytes.toString('latin1', from, cursor.fieldEnd);
    }
    return cursor.fieldEnd > from && cursor.endedByComma ? this.#symbol : null;
  }

  #columnCount(line: string, lineNo: number): Error {
    let columns = 1;
    for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) columns++;
    return this.#ctx.malformed(lineNo, `expected ${COLUMN_COUNT} columns, found ${columns}`);
  }
}

/** True when the next `count` columns are empty and another column follows them. */
function emptyColumns(bytes: Uint8Array, cursor: FieldCursor, count: number): boolean {
  for (let k = 0; k < count; k++) if (!cursor.empty(bytes) || !cursor.endedByComma) return false;
  return true;
}
