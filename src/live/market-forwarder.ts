import type { MarketEvent, QuoteEvent, TradeEvent } from '../core/market-event.js';
import type { MarketSink } from './agent-ports.js';

interface SymbolLatest {
  quote: QuoteEvent | null;
  trade: TradeEvent | null;
  /** The event the symbol's mark comes from arrived since the last forward. */
  fresh: boolean;
}

/**
 * Forwards a bot's market data to a {@link MarketSink}, thinned: whenever event time enters a new
 * `intervalMs` interval (the first event included), each symbol's latest mark if it changed since
 * the last forward (its latest quote once it has quotes, since the books mark to the quote mid,
 * else its latest trade), then the event time. Marks and event time are all the rollout's books
 * need; every event would cost a message each.
 */
export class MarketForwarder {
  readonly #sink: MarketSink;
  readonly #intervalUs: number;
  readonly #latest = new Map<string, SymbolLatest>();
  #interval = Number.NEGATIVE_INFINITY;
  #lastUs: number | null = null;
  #forwards = 0;

  constructor(sink: MarketSink, intervalMs: number) {
    if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
      throw new RangeError(`forward interval must be a number of ms > 0, got ${intervalMs}`);
    }
    this.#sink = sink;
    this.#intervalUs = intervalMs * 1000;
  }

  /** Forwards so far (each: the fresh marks, then the clock). */
  get forwards(): number {
    return this.#forwards;
  }

  onEvent(event: MarketEvent): void {
    let latest = this.#latest.get(event.symbol);
    if (latest === undefined) {
      latest = { quote: null, trade: null, fresh: false };
      this.#latest.set(event.symbol, latest);
    }
    if (event.type === 'quote') {
      latest.quote = event;
      latest.fresh = true;
    } else {
      latest.trade = event;
      if (latest.quote === null) latest.fresh = true;
    }
    this.#lastUs = event.tsUs;
    const interval = Math.floor(event.tsUs / this.#intervalUs);
    if (interval > this.#interval) {
      this.#interval = interval;
      this.flush();
    }
  }

  /** Forwards what is fresh now, and the latest event time (at the end of the data, say). */
  flush(): void {
    if (this.#lastUs === null) return;
    for (const latest of this.#latest.values()) {
      if (!latest.fresh) continue;
      latest.fresh = false;
      const mark = latest.quote ?? latest.trade;
      if (mark !== null) this.#sink.market(mark);
    }
    this.#sink.clock(this.#lastUs / 1000);
    this.#forwards++;
  }
}
