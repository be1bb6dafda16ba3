/**
 * The engine's notion of now, in event time. Replay advances it from the feed; live mode advances
 * it from the bot's market data (or wall clock), through the same call. It never goes backwards.
 */
export class EventClock {
  #nowUs: number;

  constructor(startUs = 0) {
    this.#nowUs = startUs;
  }

  /** Current event time, µs since epoch. */
  get nowUs(): number {
    return this.#nowUs;
  }

  /** Moves time forward to `tsUs`; an earlier time is ignored. Returns the current time. */
  advance(tsUs: number): number {
    if (tsUs > this.#nowUs) this.#nowUs = tsUs;
    return this.#nowUs;
  }
}
