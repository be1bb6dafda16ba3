import type { MarketEvent, QuoteEvent, TradeEvent } from '../../src/core/market-event.js';
import { SeededRng } from '../../src/core/seeded-rng.js';

/** 2024-08-08T23:54:13Z, the start of the bundled BTCUSDT sample: a realistic epoch for tests. */
export const T0_US = 1_723_161_253_000_000;
export const SECOND_US = 1_000_000;

/** A trade print (sell aggressor unless told otherwise); price rounded to cents. */
export function trade(tsUs: number, price: number, symbol = 'BTCUSDT', size = 0.01): TradeEvent {
  const priceText = price.toFixed(2);
  const sizeText = size.toFixed(5);
  return {
    type: 'trade',
    tsUs,
    exchangeTsUs: tsUs,
    exchange: 'binance',
    symbol,
    id: null,
    side: 'sell',
    price: priceText,
    priceNum: Number(priceText),
    size: sizeText,
    sizeNum: Number(sizeText),
  };
}

/** A best bid/offer around `mid` with the given spread. */
export function quote(tsUs: number, mid: number, symbol = 'BTCUSDT', spread = 0.02): QuoteEvent {
  const bid = (mid - spread / 2).toFixed(2);
  const ask = (mid + spread / 2).toFixed(2);
  return {
    type: 'quote',
    tsUs,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol,
    bidPrice: bid,
    bidPriceNum: Number(bid),
    bidSize: '1.00000',
    bidSizeNum: 1,
    askPrice: ask,
    askPriceNum: Number(ask),
    askSize: '1.00000',
    askSizeNum: 1,
  };
}

/**
 * Trades every `stepUs` from `fromUs` (included) to `toUs` (excluded), the price following
 * `priceAt(tsUs)`: hand-made paths for unit tests (ramps, flats, spikes).
 */
export function path(
  fromUs: number,
  toUs: number,
  stepUs: number,
  priceAt: (tsUs: number) => number,
  symbol = 'BTCUSDT',
): TradeEvent[] {
  const events: TradeEvent[] = [];
  for (let t = fromUs; t < toUs; t += stepUs) events.push(trade(t, priceAt(t), symbol));
  return events;
}

/** Options of {@link syntheticFeed}. */
export interface SyntheticFeedOptions {
  readonly seed: number;
  readonly events: number;
  /** Symbols and their starting prices (interleaved at random). */
  readonly symbols?: readonly { readonly symbol: string; readonly price: number }[];
  /** Mean gap between events, µs (exponential gaps, rounded to µs; repeats happen). */
  readonly meanGapUs?: number;
  /** Share of quotes among events, [0, 1]. */
  readonly quoteShare?: number;
  readonly startUs?: number;
}

/**
 * A seeded synthetic tape that exercises a strategy: per symbol, a random walk whose drift
 * switches every 30-120 s between up, down and flat regimes (so trend and mean-reversion signals
 * both fire), noise of about 1 bp per event, and an occasional ±0.5 % jump.
 */
export function syntheticFeed(options: SyntheticFeedOptions): MarketEvent[] {
  const rng = new SeededRng(options.seed, 'synthetic-feed');
  const symbols = options.symbols ?? [{ symbol: 'BTCUSDT', price: 60_000 }];
  const meanGapUs = options.meanGapUs ?? 20_000;
  const quoteShare = options.quoteShare ?? 0.7;
  const state = symbols.map((s) => ({
    symbol: s.symbol,
    price: s.price,
    driftBpsPerS: 0,
    regimeEndUs: 0,
  }));
  const events: MarketEvent[] = [];
  let tsUs = options.startUs ?? T0_US;
  let lastUs = tsUs;
  for (let i = 0; i < options.events; i++) {
    tsUs += Math.round(rng.nextExponential(meanGapUs));
    const s = state[rng.nextInt(0, state.length - 1)]!;
    if (tsUs >= s.regimeEndUs) {
      s.driftBpsPerS = [0, 1.5, -1.5][rng.nextInt(0, 2)]!;
      s.regimeEndUs = tsUs + rng.nextInt(30, 120) * SECOND_US;
    }
    const dtS = (tsUs - lastUs) / SECOND_US;
    lastUs = tsUs;
    let move = (s.driftBpsPerS * dtS + rng.nextNormal()) * 1e-4;
    if (rng.nextBoolean(0.0005)) move += rng.nextBoolean(0.5) ? 0.005 : -0.005;
    s.price = Math.max(1, s.price * (1 + move));
    events.push(
      rng.nextBoolean(quoteShare) ? quote(tsUs, s.price, s.symbol) : trade(tsUs, s.price, s.symbol),
    );
  }
  return events;
}

/** Feeds every event and returns the outputs, null included (one entry per event). */
export function runStrategy(
  strategy: { onMarketEvent(event: MarketEvent): unknown },
  events: readonly MarketEvent[],
): unknown[] {
  const outputs: unknown[] = [];
  for (const event of events) outputs.push(strategy.onMarketEvent(event));
  return outputs;
}
