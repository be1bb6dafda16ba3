import type { LiveGapItem } from './live-feed-item.js';

/** Which id sequence a message belongs to. */
export type IdSequence = 'trade' | 'aggTrade' | 'bookTicker';

/**
 * Finds holes in the venue's id sequences, per stream kind and symbol:
 *
 * - trade ids (`t`) and aggTrade ids (`a`) must go up by exactly 1: any other step (a jump, a
 *   repeat, a step back) is a `trade-id` gap;
 * - bookTicker update ids (`u`) skip freely (only changes of the best levels are sent), so only a
 *   step back or a repeat is an `update-id` gap (a reset: the venue or a replay started over).
 *
 * The first id of a sequence only sets its baseline; after a gap the received id is the new one.
 * State lives across reconnects, so the messages missed while disconnected are reported.
 */
export class GapDetector {
  readonly #last = new Map<string, number>();

  /** The gap this id reveals, or null. `stream` and `atUs` only label the item. */
  check(
    sequence: IdSequence,
    symbol: string,
    id: number,
    stream: string,
    atUs: number,
  ): LiveGapItem | null {
    const key = `${sequence}:${symbol}`;
    const last = this.#last.get(key);
    this.#last.set(key, id);
    if (last === undefined) return null;
    if (sequence === 'bookTicker') {
      if (id > last) return null;
      return {
        type: 'gap',
        symbol,
        stream,
        kind: 'update-id',
        expected: last + 1,
        received: id,
        atUs,
      };
    }
    if (id === last + 1) return null;
    return {
      type: 'gap',
      symbol,
      stream,
      kind: 'trade-id',
      expected: last + 1,
      received: id,
      atUs,
    };
  }
}
