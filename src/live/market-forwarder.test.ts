import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../core/market-event.js';
import { MarketForwarder } from './market-forwarder.js';

function trade(tsMs: number, symbol = 'BTCUSDT'): MarketEvent {
  return {
    type: 'trade',
    tsUs: tsMs * 1000,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
    id: null,
    side: null,
    price: '60000',
    priceNum: 60_000,
    size: '1',
    sizeNum: 1,
  };
}

function quote(tsMs: number, symbol = 'BTCUSDT'): MarketEvent {
  return {
    type: 'quote',
    tsUs: tsMs * 1000,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
    bidPrice: '59999',
    bidPriceNum: 59_999,
    bidSize: '1',
    bidSizeNum: 1,
    askPrice: '60001',
    askPriceNum: 60_001,
    askSize: '1',
    askSizeNum: 1,
  };
}

describe('MarketForwarder', () => {
  it('forwards the marks that changed and the clock when event time enters a new interval', () => {
    const sent: string[] = [];
    const forwarder = new MarketForwarder(
      {
        market: (e) => sent.push(`${e.type} ${e.symbol} ${e.tsUs / 1000}`),
        clock: (ms) => sent.push(`clock ${ms}`),
      },
      1000,
    );
    forwarder.onEvent(trade(10_000)); // the first event forwards at once
    forwarder.onEvent(quote(10_100));
    forwarder.onEvent(trade(10_200));
    forwarder.onEvent(trade(10_300, 'ETHUSDT'));
    forwarder.onEvent(trade(11_050)); // a new second: BTC's new quote, ETH's trade
    forwarder.onEvent(trade(11_500)); // BTC marks to its quote: this changes no mark
    forwarder.flush(); // the end: what changed, and the last time
    forwarder.onEvent(quote(11_700));
    forwarder.flush();
    expect(sent).toEqual([
      'trade BTCUSDT 10000',
      'clock 10000',
      'quote BTCUSDT 10100',
      'trade ETHUSDT 10300',
      'clock 11050',
      'clock 11500',
      'quote BTCUSDT 11700',
      'clock 11700',
    ]);
    expect(forwarder.forwards).toBe(4);
  });
});
