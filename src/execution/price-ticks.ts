import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';
import type { MarketEvent } from '../core/market-event.js';

/** The most decimal places a tick can have (a price past them is treated as having this many). */
export const MAX_TICK_PLACES = 16;

/**
 * True when `price` has at most `places` decimal places. Exact for the prices a feed carries
 * (at most 15 significant digits, read as the nearest float): such a price is then the float of
 * its rounding to `places`, and a price with more places is not, since two decimals of at most
 * 15 significant digits never share a float.
 */
function hasPlaces(price: number, places: number): boolean {
  const scale = FLOAT_POW10[places]!;
  return Math.round(price * scale) / scale === price;
}

/**
 * The venue's tick per symbol: the most decimal places of any bid, ask or trade price of the
 * symbol seen so far (docs/fill-model.md, "Prices on the tick"). A slipped fill price is rounded
 * to it, as a venue fills on its price grid. One float check a price once the tick is known.
 */
export class PriceTicks {
  readonly #places = new Map<string, number>();
  #lastSymbol = '';
  #lastPlaces = 0;

  /** Learns from a market event's prices. */
  observe(event: MarketEvent): void {
    const symbol = event.symbol;
    let places = symbol === this.#lastSymbol ? this.#lastPlaces : (this.#places.get(symbol) ?? 0);
    if (event.type === 'trade') places = refined(places, event.priceNum);
    else {
      places = refined(places, event.bidPriceNum);
      places = refined(places, event.askPriceNum);
    }
    if (symbol !== this.#lastSymbol || places !== this.#lastPlaces) {
      this.#places.set(symbol, places);
      this.#lastSymbol = symbol;
      this.#lastPlaces = places;
    }
  }

  /** The symbol's tick as decimal places (0 before any price). */
  placesOf(symbol: string): number {
    return symbol === this.#lastSymbol ? this.#lastPlaces : (this.#places.get(symbol) ?? 0);
  }
}

/** `places`, or more if `price` (an empty side's NaN or 0 is skipped) needs them. */
function refined(places: number, price: number): number {
  if (!(price > 0) || !Number.isFinite(price)) return places;
  while (places < MAX_TICK_PLACES && !hasPlaces(price, places)) places++;
  return places;
}
