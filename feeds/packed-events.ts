import type { MarketEvent, QuoteEvent, Side, TradeEvent } from '../src/core/market-event.js';
import { eventBytes, plainMarketEvent, type EventBytes } from './buffer-events.js';
import {
  PACKED_EXCHANGE_REPEATS,
  PACKED_ID_NULL,
  PACKED_NUMS,
  PACKED_SIDE_NULL,
  PACKED_SIDE_SELL,
  PACKED_SYMBOL_REPEATS,
  type PackedBatch,
} from './packed-batch.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The events of a packed batch, equal field by field to those packed (as
 * {@link plainMarketEvent} sees them), read in place from the batch.
 */
export function unpackBatch(batch: PackedBatch): MarketEvent[] {
  const names = batch.size === 0 ? [] : batch.names.split('\n');
  const { kind, flags } = batch;
  const bytes = eventBytes(batch.text);
  const events = new Array<MarketEvent>(batch.size);
  let exchange = '';
  let symbol = '';
  let nextName = 0;
  for (let i = 0; i < batch.size; i++) {
    const flag = flags[i]!;
    if ((flag & PACKED_EXCHANGE_REPEATS) === 0) exchange = names[nextName++]!;
    if ((flag & PACKED_SYMBOL_REPEATS) === 0) symbol = names[nextName++]!;
    events[i] =
      kind[i] === 1
        ? new PackedQuoteEvent(batch, bytes, i, exchange, symbol)
        : new PackedTradeEvent(batch, bytes, i, exchange, symbol);
  }
  return events;
}

/**
 * Market events read in place from a {@link PackedBatch}: an event is its batch, its index, its
 * exchange and symbol (shared strings) and its event time, and every other field is a getter
 * over the batch's columns. Unpacking a batch then allocates one small object per event: the
 * buffer events of the parsers (buffer-events.ts) hold their floats as fields, and V8 keeps each
 * float field in a heap number of its own, about 250 bytes an event in all, the largest
 * allocation of a replay's engine thread. The event time stays a field: it flows into calls that
 * are not inlined, where a getter's float would be boxed at every read.
 *
 * `type` is a getter on the prototype too, not a field: as an own field of the two classes, it
 * kept V8 from reading the number getters without boxing: every float they returned became a new
 * heap object (the bundled momentum strategies: 50.6 ns and 28 bytes a call with the type a
 * field, 42.4 ns and 16 bytes with it a getter; `node dist/bench/strategy-cost-probe.js --root`).
 *
 * As with buffer events, the getters are not own properties: `{ ...event }` keeps only the
 * fields (not even `type`); {@link plainMarketEvent} (and `toJSON`) copies an event into a plain
 * object. An event keeps its batch alive as long as it is referenced.
 */
abstract class PackedEvent {
  readonly tsUs: number;

  constructor(
    /** The batch the event is read from. */
    readonly batch: PackedBatch,
    /** The batch's text, as a Buffer (shared by the batch's events). */
    readonly bytes: EventBytes,
    /** The event's index in the batch. */
    readonly index: number,
    readonly exchange: string,
    readonly symbol: string,
  ) {
    this.tsUs = batch.tsUs[index]!;
  }

  get exchangeTsUs(): number | null {
    const time = this.batch.exchangeTsUs[this.index]!;
    return Number.isNaN(time) ? null : time;
  }

  /** The event's `k`-th number in the batch. */
  protected num(k: number): number {
    return this.batch.nums[this.index * PACKED_NUMS + k]!;
  }

  /** The event's `k`-th string (its bytes as Latin-1). */
  protected text(k: number): string {
    return this.bytes.latin1Slice(this.start(k), this.end(k));
  }

  /** Where the event's `k`-th string starts in the batch's text: where the one before ends. */
  protected start(k: number): number {
    const at = this.index * PACKED_NUMS + k;
    return at === 0 ? 0 : this.batch.textEnd[at - 1]!;
  }

  /** Where the event's `k`-th string ends in the batch's text. */
  protected end(k: number): number {
    return this.batch.textEnd[this.index * PACKED_NUMS + k]!;
  }

  toJSON(): MarketEvent {
    return plainMarketEvent(this as unknown as MarketEvent);
  }

  /** What `console.log` and `util.inspect` show: the plain event. */
  [INSPECT](): MarketEvent {
    return this.toJSON();
  }
}

/** A trade read in place from a {@link PackedBatch} (see {@link PackedEvent}). */
export class PackedTradeEvent extends PackedEvent implements TradeEvent {
  get type(): 'trade' {
    return 'trade';
  }

  get side(): Side | null {
    const flag = this.batch.flags[this.index]!;
    if ((flag & PACKED_SIDE_NULL) !== 0) return null;
    return (flag & PACKED_SIDE_SELL) !== 0 ? 'sell' : 'buy';
  }

  get priceNum(): number {
    return this.num(0);
  }

  get sizeNum(): number {
    return this.num(1);
  }

  get price(): string {
    return this.text(0);
  }

  get size(): string {
    return this.text(1);
  }

  get id(): string | null {
    if ((this.batch.flags[this.index]! & PACKED_ID_NULL) !== 0) return null;
    return this.bytes.utf8Slice(this.start(2), this.end(2));
  }
}

/** A quote read in place from a {@link PackedBatch} (see {@link PackedEvent}). */
export class PackedQuoteEvent extends PackedEvent implements QuoteEvent {
  get type(): 'quote' {
    return 'quote';
  }

  get bidPriceNum(): number {
    return this.num(0);
  }

  get bidSizeNum(): number {
    return this.num(1);
  }

  get askPriceNum(): number {
    return this.num(2);
  }

  get askSizeNum(): number {
    return this.num(3);
  }

  get bidPrice(): string {
    return this.text(0);
  }

  get bidSize(): string {
    return this.text(1);
  }

  get askPrice(): string {
    return this.text(2);
  }

  get askSize(): string {
    return this.text(3);
  }
}
