import type { MarketEvent } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser, ParsedEventSink } from './line-parser.js';
import { columnEnds, scanBoolean } from './csv-columns.js';
import { FieldCursor } from './field-cursor.js';
import { quoteValue, scanDecimal, scanUnsignedInteger } from './decimal-scan.js';
import { integerTime, positivePrice, validSize } from './field-checks.js';
import { tradeEvent } from './market-event-factory.js';

/** Which Binance public-data file: `trades` or `aggTrades`. */
export type BinanceCsvKind = 'trades' | 'aggTrades';

const COLUMNS: Readonly<Record<BinanceCsvKind, readonly string[]>> = {
  trades: ['id', 'price', 'qty', 'quote_qty', 'time', 'is_buyer_maker', 'is_best_match'],
  aggTrades: [
    'agg_trade_id',
    'price',
    'quantity',
    'first_trade_id',
    'last_trade_id',
    'transact_time',
    'is_buyer_maker',
    'is_best_match',
  ],
};

/**
 * Times below this are milliseconds, from it on microseconds: 10^14 ms is the year 5138, 10^14 µs
 * is March 1973, so no real time of either unit is ambiguous.
 */
export const MS_US_THRESHOLD = 1e14;

/**
 * Reader of data.binance.vision `trades` and `aggTrades` CSV, with or without a header line. The
 * first line fixes the layout: with the `is_best_match` column it is spot (`binance`), without it
 * USD-M futures (`binance-futures`). The symbol comes from the file name or the options.
 */
export class BinanceCsvParser implements LineParser {
  readonly #ctx: FeedContext;
  readonly #kind: BinanceCsvKind;
  readonly #names: readonly string[];
  readonly #symbol: string;
  readonly #ends: Int32Array;
  /** Column count fixed by the first line; 0 before it. */
  #columns = 0;
  #exchange = 'binance';

  /** Reads the fields of the line {@link parseBytes} is given. */
  readonly #cursor = new FieldCursor();

  constructor(ctx: FeedContext, kind: BinanceCsvKind, symbol: string) {
    this.#ctx = ctx;
    this.#kind = kind;
    this.#names = COLUMNS[kind];
    this.#symbol = symbol;
    this.#ends = new Int32Array(this.#names.length);
  }

  parseLine(line: string, lineNo: number): MarketEvent | null {
    const ctx = this.#ctx;
    const ends = this.#ends;
    const count = columnEnds(line, ends);
    const full = this.#names.length;
    if (this.#columns === 0) {
      if (count !== full && count !== full - 1)
        throw ctx.malformed(lineNo, `expected ${full - 1} or ${full} columns, found ${count}`);
      this.#columns = count;
      this.#exchange = count === full ? 'binance' : 'binance-futures';
      const first = line.charCodeAt(0);
      if (first < 48 || first > 57) {
        const expected = this.#names.slice(0, count).join(',');
        if (line !== expected)
          throw ctx.malformed(
            lineNo,
            `header is not ${JSON.stringify(expected)} (${quoteValue(line)})`,
          );
        return null;
      }
    }
    if (count !== this.#columns)
      throw ctx.malformed(lineNo, `expected ${this.#columns} columns, found ${count}`);
    const names = this.#names;
    const e0 = ends[0] as number;
    const e1 = ends[1] as number;
    const e2 = ends[2] as number;
    const e3 = ends[3] as number;
    const e4 = ends[4] as number;
    const e5 = ends[5] as number;
    if (scanUnsignedInteger(line, 0, e0) < 0)
      throw ctx.badField(
        lineNo,
        names[0] as string,
        `not an integer id (${quoteValue(line.slice(0, e0))})`,
      );
    const priceNum = positivePrice(ctx, line, e0 + 1, e1, lineNo, 'price');
    const sizeNum = validSize(ctx, line, e1 + 1, e2, lineNo, names[2] as string, false);
    let timeStart: number;
    let timeEnd: number;
    let makerEnd: number;
    if (this.#kind === 'trades') {
      // quote_qty (price × quantity) is not booked: any number of places.
      if (!(scanDecimal(line, e2 + 1, e3, Infinity) >= 0))
        throw ctx.badField(
          lineNo,
          'quote_qty',
          `not a number >= 0 (${quoteValue(line.slice(e2 + 1, e3))})`,
        );
      timeStart = e3 + 1;
      timeEnd = e4;
      makerEnd = e5;
    } else {
      if (scanUnsignedInteger(line, e2 + 1, e3) < 0)
        throw ctx.badField(
          lineNo,
          'first_trade_id',
          `not an integer id (${quoteValue(line.slice(e2 + 1, e3))})`,
        );
      if (scanUnsignedInteger(line, e3 + 1, e4) < 0)
        throw ctx.badField(
          lineNo,
          'last_trade_id',
          `not an integer id (${quoteValue(line.slice(e3 + 1, e4))})`,
        );
      timeStart = e4 + 1;
      timeEnd = e5;
      makerEnd = ends[6] as number;
    }
    const timeName = this.#kind === 'trades' ? 'time' : 'transact_time';
    const rawTime = integerTime(ctx, line, timeStart, timeEnd, lineNo, timeName);
    const exchangeTsUs = rawTime < MS_US_THRESHOLD ? rawTime * 1000 : rawTime;
    if (!Number.isSafeInteger(exchangeTsUs))
      throw ctx.badField(
        lineNo,
        timeName,
        `time out of range (${quoteValue(line.slice(timeStart, timeEnd))})`,
      );
    const buyerIsMaker = scanBoolean(line, timeEnd + 1, makerEnd);
    if (buyerIsMaker < 0)
      throw ctx.badField(
        lineNo,
        'is_buyer_maker',
        `not true or false (${quoteValue(line.slice(timeEnd + 1, makerEnd))})`,
      );
    if (count === names.length && scanBoolean(line, makerEnd + 1, line.length) < 0)
      throw ctx.badField(
        lineNo,
        'is_best_match',
        `not true or false (${quoteValue(line.slice(makerEnd + 1))})`,
      );
    const tsUs = ctx.eventTime(exchangeTsUs, lineNo, timeName);
    return tradeEvent(
      tsUs,
      exchangeTsUs,
      this.#exchange,
      this.#symbol,
      line.slice(0, e0),
      // is_buyer_maker: the seller crossed the spread, so the aggressor sold.
      buyerIsMaker === 1 ? 'sell' : 'buy',
      line.slice(e0 + 1, e1),
      priceNum,
      line.slice(e1 + 1, e2),
      sizeNum,
    );
  }

  /**
   * {@link parseLine}'s fast path on bytes: a line after the first with the first line's column
   * count, plain decimals (up to 15 digits), ids and times of up to 16 digits and exact booleans
   * goes to `sink` as a trade's fields (no string decoded); anything else, every bad line
   * included, is left to {@link parseLine} (false).
   */
  parseBytes(
    bytes: Buffer,
    start: number,
    end: number,
    lineNo: number,
    sink: ParsedEventSink,
  ): boolean {
    const columns = this.#columns;
    if (columns === 0) return false;
    const cursor = this.#cursor;
    cursor.reset(start, end);
    if (cursor.unsigned(bytes) < 0 || !cursor.endedByComma) return false;
    const idEnd = cursor.fieldEnd;
    const priceStart = cursor.at;
    const priceNum = cursor.decimal(bytes);
    const priceEnd = cursor.fieldEnd;
    if (!(priceNum > 0) || !cursor.endedByComma) return false;
    const sizeStart = cursor.at;
    const sizeNum = cursor.decimal(bytes);
    const sizeEnd = cursor.fieldEnd;
    if (!(sizeNum > 0) || !cursor.endedByComma) return false;
    if (this.#kind === 'trades') {
      if (!(cursor.decimal(bytes) >= 0) || !cursor.endedByComma) return false;
    } else if (
      cursor.unsigned(bytes) < 0 ||
      !cursor.endedByComma ||
      cursor.unsigned(bytes) < 0 ||
      !cursor.endedByComma
    )
      return false;
    const rawTime = cursor.unsigned(bytes);
    if (!(rawTime > 0) || !cursor.endedByComma) return false;
    const exchangeTsUs = rawTime < MS_US_THRESHOLD ? rawTime * 1000 : rawTime;
    const buyerIsMaker = cursor.flag(bytes);
    if (!Number.isSafeInteger(exchangeTsUs) || buyerIsMaker < 0) return false;
    // The first line fixed the column count: with is_best_match it comes last, else is_buyer_maker.
    if (columns === this.#names.length) {
      if (!cursor.endedByComma || cursor.flag(bytes) < 0) return false;
    }
    if (cursor.endedByComma) return false;
    const tsUs = this.#ctx.eventTime(
      exchangeTsUs,
      lineNo,
      this.#kind === 'trades' ? 'time' : 'transact_time',
    );
    sink.trade(
      tsUs,
      exchangeTsUs,
      this.#exchange,
      this.#symbol,
      buyerIsMaker === 1 ? 'sell' : 'buy',
      priceNum,
      sizeNum,
      bytes,
      priceStart,
      priceEnd,
      sizeStart,
      sizeEnd,
      start,
      idEnd,
    );
    return true;
  }
}

/**
 * The symbol a data.binance.vision file name tells, e.g. `BTCUSDT` for
 * `BTCUSDT-trades-2024-08-08.csv.gz` or `BTCUSDT-aggTrades-2024-08.csv`; null otherwise.
 */
export function symbolFromBinanceFileName(fileName: string): string | null {
  const match = /^([A-Za-z0-9]+)-(?:trades|aggTrades)-/.exec(fileName);
  return match === null ? null : (match[1] as string).toUpperCase();
}
