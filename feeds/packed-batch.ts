import type { MarketEvent, Side } from '../src/core/market-event.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';

/**
 * A batch of market events packed for a thread boundary: typed-array columns (transferred, not
 * copied) and the events' strings joined by newlines, each sent once while it repeats from one
 * event to the next (no field of an event holds a newline: every reader splits lines first). Receiving a batch this way costs a fraction of
 * parsing it, where a structured clone of the event objects costs more than parsing
 * (`bench/event-transfer-probe.ts`).
 */
export interface PackedBatch {
  readonly size: number;
  /** 1 quote, 2 trade. */
  readonly kind: Uint8Array;
  readonly tsUs: Float64Array;
  /** NaN for none. */
  readonly exchangeTsUs: Float64Array;
  /** Four per event: quote bid price, bid size, ask price, ask size; trade price, size. */
  readonly nums: Float64Array;
  /**
   * Per event: bit k (0–5) says string slot k repeats the previous event's (not sent again);
   * bit 6 a trade's side is null, bit 7 its id.
   */
  readonly flags: Uint8Array;
  /**
   * The strings not repeated, in event and slot order, joined by newlines. Slots: exchange,
   * symbol, then quote bid price, bid size, ask price, ask size; trade price, size, side, id.
   */
  readonly strings: string;
}

const NUMS = 4;
const SLOTS = 6;
const SIDE_NULL = 64;
const ID_NULL = 128;

/** Packs `events` (any length). */
export function packBatch(events: readonly MarketEvent[]): PackedBatch {
  const size = events.length;
  const kind = new Uint8Array(size);
  const tsUs = new Float64Array(size);
  const exchangeTsUs = new Float64Array(size);
  const nums = new Float64Array(size * NUMS);
  const flags = new Uint8Array(size);
  const list: string[] = [];
  const last: string[] = ['', '', '', '', '', ''];
  const current: string[] = ['', '', '', '', '', ''];
  let first = true;
  for (let i = 0; i < size; i++) {
    const e = events[i]!;
    const n = i * NUMS;
    tsUs[i] = e.tsUs;
    exchangeTsUs[i] = e.exchangeTsUs ?? Number.NaN;
    current[0] = e.exchange;
    current[1] = e.symbol;
    let flag = 0;
    if (e.type === 'quote') {
      kind[i] = 1;
      nums[n] = e.bidPriceNum;
      nums[n + 1] = e.bidSizeNum;
      nums[n + 2] = e.askPriceNum;
      nums[n + 3] = e.askSizeNum;
      current[2] = e.bidPrice;
      current[3] = e.bidSize;
      current[4] = e.askPrice;
      current[5] = e.askSize;
    } else {
      kind[i] = 2;
      nums[n] = e.priceNum;
      nums[n + 1] = e.sizeNum;
      current[2] = e.price;
      current[3] = e.size;
      current[4] = e.side ?? '';
      current[5] = e.id ?? '';
      if (e.side === null) flag |= SIDE_NULL;
      if (e.id === null) flag |= ID_NULL;
    }
    for (let k = 0; k < SLOTS; k++) {
      const text = current[k]!;
      if (!first && text === last[k]) flag |= 1 << k;
      else {
        list.push(text);
        last[k] = text;
      }
    }
    flags[i] = flag;
    first = false;
  }
  return { size, kind, tsUs, exchangeTsUs, nums, flags, strings: list.join('\n') };
}

/** The buffers a packed batch can hand over to another thread without copying. */
export function transferablesOf(batch: PackedBatch): ArrayBuffer[] {
  return [batch.kind, batch.tsUs, batch.exchangeTsUs, batch.nums, batch.flags].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** The events of a packed batch, equal field by field to those packed. */
export function unpackBatch(batch: PackedBatch): MarketEvent[] {
  const table = batch.size === 0 ? [] : batch.strings.split('\n');
  const { kind, tsUs, exchangeTsUs, nums, flags } = batch;
  const events = new Array<MarketEvent>(batch.size);
  const slot: string[] = ['', '', '', '', '', ''];
  let next = 0;
  for (let i = 0; i < batch.size; i++) {
    const n = i * NUMS;
    const flag = flags[i]!;
    for (let k = 0; k < SLOTS; k++) if ((flag & (1 << k)) === 0) slot[k] = table[next++]!;
    const exchangeTs = exchangeTsUs[i]!;
    const exchangeTime = Number.isNaN(exchangeTs) ? null : exchangeTs;
    events[i] =
      kind[i] === 1
        ? quoteEvent(
            tsUs[i]!,
            exchangeTime,
            slot[0]!,
            slot[1]!,
            slot[2]!,
            nums[n]!,
            slot[3]!,
            nums[n + 1]!,
            slot[4]!,
            nums[n + 2]!,
            slot[5]!,
            nums[n + 3]!,
          )
        : tradeEvent(
            tsUs[i]!,
            exchangeTime,
            slot[0]!,
            slot[1]!,
            (flag & ID_NULL) === 0 ? slot[5]! : null,
            (flag & SIDE_NULL) === 0 ? (slot[4] as Side) : null,
            slot[2]!,
            nums[n]!,
            slot[3]!,
            nums[n + 1]!,
          );
  }
  return events;
}
