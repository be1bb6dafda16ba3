import type { MarketEvent, Side } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser } from './line-parser.js';
import { columnEnds, sameText } from './csv-columns.js';
import { quoteValue } from './decimal-scan.js';
import { checkNotCrossed, integerTime, positivePrice, validSize } from './field-checks.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';

/** Which Tardis.dev CSV data type. */
export type TardisCsvKind = 'trades' | 'quotes';

/** The header line of each Tardis.dev data type. */
export const TARDIS_HEADERS: Readonly<Record<TardisCsvKind, string>> = {
  trades: 'exchange,symbol,timestamp,local_timestamp,id,side,price,amount',
  quotes: 'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount',
};

const COLUMN_COUNT = 8;

/**
 * Reader of Tardis.dev `trades` and `quotes` CSV (µs timestamps). Event time is
 * `local_timestamp`, `exchangeTsUs` is `timestamp`. A quote with an empty book side (Tardis writes
 * empty price and amount) is skipped and counted as `emptyQuote`.
 */
export class TardisCsvParser implements LineParser {
  readonly #ctx: FeedContext;
  readonly #kind: TardisCsvKind;
  readonly #ends = new Int32Array(COLUMN_COUNT);
  #first = true;
  #exchange = '';
  #symbol = '';

  constructor(ctx: FeedContext, kind: TardisCsvKind) {
    this.#ctx = ctx;
    this.#kind = kind;
  }

  parseLine(line: string, lineNo: number): MarketEvent | null {
    const ctx = this.#ctx;
    if (this.#first) {
      this.#first = false;
      if (line.startsWith('exchange,')) {
        const header = TARDIS_HEADERS[this.#kind];
        if (line !== header)
          throw ctx.malformed(
            lineNo,
            `header is not ${JSON.stringify(header)} (${quoteValue(line)})`,
          );
        return null;
      }
    }
    const ends = this.#ends;
    const count = columnEnds(line, ends);
    if (count !== COLUMN_COUNT)
      throw ctx.malformed(lineNo, `expected ${COLUMN_COUNT} columns, found ${count}`);
    const e0 = ends[0] as number;
    const e1 = ends[1] as number;
    const e2 = ends[2] as number;
    const e3 = ends[3] as number;
    const e4 = ends[4] as number;
    const e5 = ends[5] as number;
    const e6 = ends[6] as number;
    if (e0 === 0) throw ctx.badField(lineNo, 'exchange', 'empty');
    if (e1 === e0 + 1) throw ctx.badField(lineNo, 'symbol', 'empty');
    let exchange = this.#exchange;
    if (!sameText(line, 0, e0, exchange)) exchange = this.#exchange = line.slice(0, e0);
    let symbol = this.#symbol;
    if (!sameText(line, e0 + 1, e1, symbol)) symbol = this.#symbol = line.slice(e0 + 1, e1);
    const exchangeTsUs = integerTime(ctx, line, e1 + 1, e2, lineNo, 'timestamp');
    const localTsUs = integerTime(ctx, line, e2 + 1, e3, lineNo, 'local_timestamp');

    if (this.#kind === 'trades') {
      let side: Side | null;
      const sideLength = e5 - e4 - 1;
      if (sideLength === 3 && line.startsWith('buy', e4 + 1)) side = 'buy';
      else if (sideLength === 4 && line.startsWith('sell', e4 + 1)) side = 'sell';
      else if (sideLength === 7 && line.startsWith('unknown', e4 + 1)) side = null;
      else
        throw ctx.badField(
          lineNo,
          'side',
          `not buy, sell or unknown (${quoteValue(line.slice(e4 + 1, e5))})`,
        );
      const priceNum = positivePrice(ctx, line, e5 + 1, e6, lineNo, 'price');
      const sizeNum = validSize(ctx, line, e6 + 1, line.length, lineNo, 'amount', false);
      const tsUs = ctx.eventTime(localTsUs, lineNo, 'local_timestamp');
      return tradeEvent(
        tsUs,
        exchangeTsUs,
        exchange,
        symbol,
        e4 === e3 + 1 ? null : line.slice(e3 + 1, e4),
        side,
        line.slice(e5 + 1, e6),
        priceNum,
        line.slice(e6 + 1),
        sizeNum,
      );
    }

    // quotes: ask_amount, ask_price, bid_price, bid_amount
    const end = line.length;
    if ((e4 === e3 + 1 && e5 === e4 + 1) || (e6 === e5 + 1 && end === e6 + 1))
      return ctx.skip('emptyQuote');
    const askSizeNum = validSize(ctx, line, e3 + 1, e4, lineNo, 'ask_amount', true);
    const askPriceNum = positivePrice(ctx, line, e4 + 1, e5, lineNo, 'ask_price');
    const bidPriceNum = positivePrice(ctx, line, e5 + 1, e6, lineNo, 'bid_price');
    const bidSizeNum = validSize(ctx, line, e6 + 1, end, lineNo, 'bid_amount', true);
    const bidPrice = line.slice(e5 + 1, e6);
    const askPrice = line.slice(e4 + 1, e5);
    checkNotCrossed(ctx, bidPriceNum, askPriceNum, bidPrice, askPrice, lineNo, 'bid_price');
    if (ctx.tradesOnly) return ctx.dropQuote();
    const tsUs = ctx.eventTime(localTsUs, lineNo, 'local_timestamp');
    return quoteEvent(
      tsUs,
      exchangeTsUs,
      exchange,
      symbol,
      bidPrice,
      bidPriceNum,
      line.slice(e6 + 1),
      bidSizeNum,
      askPrice,
      askPriceNum,
      line.slice(e3 + 1, e4),
      askSizeNum,
    );
  }
}
