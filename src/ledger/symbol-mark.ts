import type { QuoteEvent, TradeEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import { decimalToFloat as toFloat } from '../core/decimal-to-float.js';
import { PRICE_DIGITS, toRaw } from './fixed-point.js';

const HALF = new Decimal('0.5');

/**
 * The mark price of one symbol: the mid of its last quote once it has had a quote, else its last
 * trade price, else the price of its last fill (so a position is never without a mark).
 *
 * Marking is the replay's hot path: {@link onQuote} and {@link onTrade} only keep a reference to
 * the event. The decimal mark is built from the event's strings when first asked for and cached
 * until the next mark; the float mark is computed from the events' `...Num` twins.
 */
export class SymbolMark {
  readonly symbol: string;
  #quote: QuoteEvent | null = null;
  #trade: TradeEvent | null = null;
  #fillPrice: Decimal | null = null;
  #fillPriceNum = Number.NaN;
  #cached: Decimal | null = null;
  /** The raw price of {@link #rawOf} (the last decimal mark asked for as raw). */
  #raw = 0n;
  #rawOf: Decimal | null = null;

  constructor(symbol: string) {
    this.symbol = symbol;
  }

  /** Records the last quote (the mark becomes its mid). */
  onQuote(quote: QuoteEvent): void {
    this.#quote = quote;
    this.#cached = null;
  }

  /** Records the last trade (the mark while the symbol has no quote). */
  onTrade(trade: TradeEvent): void {
    this.#trade = trade;
    if (this.#quote === null) this.#cached = null;
  }

  /** Records a fill price (the mark only while the symbol has neither quote nor trade). */
  onFill(price: Decimal): void {
    if (this.#fillPrice === price) return;
    this.#fillPrice = price;
    this.#fillPriceNum = Number.NaN;
    if (this.#quote === null && this.#trade === null) this.#cached = null;
  }

  /** The mark as a decimal, or null before any quote, trade or fill. Exact: a mid adds one digit. */
  get price(): Decimal | null {
    if (this.#cached !== null) return this.#cached;
    const quote = this.#quote;
    if (quote !== null) {
      this.#cached = new Decimal(quote.bidPrice).plus(quote.askPrice).times(HALF);
    } else if (this.#trade !== null) {
      this.#cached = new Decimal(this.#trade.price);
    } else {
      this.#cached = this.#fillPrice;
    }
    return this.#cached;
  }

  /**
   * The mark as a raw price (10⁻²⁴, fixed-point.ts), or null before any quote, trade or fill:
   * converted once per mark, however many accounts are valued at it.
   */
  get priceRaw(): bigint | null {
    const price = this.price;
    if (price === null) return null;
    if (price !== this.#rawOf) {
      this.#raw = toRaw(price, PRICE_DIGITS);
      this.#rawOf = price;
    }
    return this.#raw;
  }

  /** The mark as a float (for sizing), or NaN before any quote, trade or fill. */
  get priceNum(): number {
    const quote = this.#quote;
    if (quote !== null) return (quote.bidPriceNum + quote.askPriceNum) / 2;
    if (this.#trade !== null) return this.#trade.priceNum;
    if (this.#fillPrice !== null && Number.isNaN(this.#fillPriceNum)) {
      this.#fillPriceNum = toFloat(this.#fillPrice);
    }
    return this.#fillPriceNum;
  }
}
