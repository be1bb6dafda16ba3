import { UsageError } from '../core/errors.js';
import type { MarketEvent } from '../core/market-event.js';

/**
 * Refuses, in one replay, a symbol whose events come from two venues (spot BTCUSDT and USDⓈ-M
 * futures BTCUSDT): the engine keeps one market per symbol, so their quotes and trades would
 * be merged into one book that jumps by the venues' basis at every event, and every figure
 * (marks, fills, slippage, the strategies' signals) would be wrong. A segmented plan gives each
 * venue its own lane (docs/rollout.md, "Segments"). O(1) per event: a map lookup only when
 * the symbol or venue differs from the previous event's.
 */
export class OneVenuePerSymbol {
  readonly #venues = new Map<string, string>();
  #lastSymbol = '';
  #lastVenue = '';

  /** @throws UsageError `E_USAGE` naming the symbol and both venues. */
  check(event: MarketEvent): void {
    if (event.symbol === this.#lastSymbol && event.exchange === this.#lastVenue) return;
    const venue = this.#venues.get(event.symbol);
    if (venue === undefined) this.#venues.set(event.symbol, event.exchange);
    else if (venue !== event.exchange) {
      throw new UsageError(
        `${event.symbol} comes from two venues in these feed files, ${venue} and ${event.exchange}: one replay keeps one market per symbol, so their prices would be merged into one book; replay each venue's files on their own, or as segments of a plan (docs/rollout.md, "Segments")`,
      );
    }
    this.#lastSymbol = event.symbol;
    this.#lastVenue = event.exchange;
  }
}
