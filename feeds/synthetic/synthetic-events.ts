import type { MarketEvent } from '../../src/core/market-event.js';
import { resolveSyntheticFeedOptions } from './resolve-synthetic-feed-options.js';
import type { SyntheticFeedOptions } from './synthetic-feed-options.js';
import { SyntheticMarket } from './synthetic-market.js';

/**
 * Seeded synthetic market data: trades and best bid/offer quotes of one instrument, in event-time
 * order, lazily and in constant memory. Same options, same events, on every machine.
 *
 * Options are checked when called (not on the first `next()`): bad ones throw
 * {@link UsageError} (`E_USAGE`).
 *
 * @example
 * for (const event of syntheticEvents({ seed: 7, events: 1_000 })) console.log(event.type);
 */
export function syntheticEvents(
  options: SyntheticFeedOptions,
): Generator<MarketEvent, void, undefined> {
  return new SyntheticMarket(resolveSyntheticFeedOptions(options)).events();
}
