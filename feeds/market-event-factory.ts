import type { QuoteEvent, Side, TradeEvent } from '../src/core/market-event.js';

// Every reader builds events here, so all trades (and all quotes) share one object shape.

export function tradeEvent(
  tsUs: number,
  exchangeTsUs: number | null,
  exchange: string,
  symbol: string,
  id: string | null,
  side: Side | null,
  price: string,
  priceNum: number,
  size: string,
  sizeNum: number,
): TradeEvent {
  return {
    type: 'trade',
    tsUs,
    exchangeTsUs,
    exchange,
    symbol,
    id,
    side,
    price,
    priceNum,
    size,
    sizeNum,
  };
}

export function quoteEvent(
  tsUs: number,
  exchangeTsUs: number | null,
  exchange: string,
  symbol: string,
  bidPrice: string,
  bidPriceNum: number,
  bidSize: string,
  bidSizeNum: number,
  askPrice: string,
  askPriceNum: number,
  askSize: string,
  askSizeNum: number,
): QuoteEvent {
  return {
    type: 'quote',
    tsUs,
    exchangeTsUs,
    exchange,
    symbol,
    bidPrice,
    bidPriceNum,
    bidSize,
    bidSizeNum,
    askPrice,
    askPriceNum,
    askSize,
    askSizeNum,
  };
}
