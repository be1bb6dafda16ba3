import type { MarketEvent, Side } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser } from './line-parser.js';
import { sameText } from './csv-columns.js';
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

  #columnCount(line: string, lineNo: number): Error {
    let columns = 1;
    for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) columns++;
    return this.#ctx.malformed(lineNo, `expected ${COLUMN_COUNT} columns, found ${columns}`);
  }
}
