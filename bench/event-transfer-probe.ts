import { serialize, deserialize } from 'node:v8';
import { openFeed } from '../feeds/index.js';
import { quoteEvent, tradeEvent } from '../feeds/market-event-factory.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { benchFeed } from './bench-files.js';

/**
 * What moving the feed's parsing to a worker thread (issue 12) could save, before building it:
 * on the bench's 1M-event feed, the main thread's cost of (1) parsing, as the replay does today;
 * (2) receiving the parsed events by structured clone (what `postMessage` of event objects costs
 * the receiver: serialize is the worker's, deserialize the main thread's); (3) receiving them
 * packed, as typed-array columns plus each batch's distinct strings joined by newlines, and
 * rebuilding the event objects. A worker pays for (2) or (3) only if the main thread's share is
 * well below (1).
 *
 *   npm run build && node dist/bench/event-transfer-probe.js
 */

const BATCH = 4096;
const ROUNDS = 3;

function best(run: () => number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** One batch packed as columns: kind, time, four numbers and six string slots per event. */
interface PackedBatch {
  readonly size: number;
  readonly kind: Uint8Array;
  readonly tsUs: Float64Array;
  readonly nums: Float64Array;
  readonly slots: Int32Array;
  readonly strings: string;
}

function pack(events: readonly MarketEvent[]): PackedBatch {
  const size = events.length;
  const kind = new Uint8Array(size);
  const tsUs = new Float64Array(size);
  const nums = new Float64Array(size * 4);
  const slots = new Int32Array(size * 6).fill(-1);
  const index = new Map<string, number>();
  const list: string[] = [];
  const slot = (s: string | null): number => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = list.length;
      list.push(s);
      index.set(s, i);
    }
    return i;
  };
  events.forEach((e, i) => {
    tsUs[i] = e.tsUs;
    slots[i * 6] = slot(e.exchange);
    slots[i * 6 + 1] = slot(e.symbol);
    if (e.type === 'quote') {
      kind[i] = 1;
      nums.set([e.bidPriceNum, e.bidSizeNum, e.askPriceNum, e.askSizeNum], i * 4);
      slots.set([slot(e.bidPrice), slot(e.bidSize), slot(e.askPrice), slot(e.askSize)], i * 6 + 2);
    } else {
      kind[i] = 2;
      nums.set([e.priceNum, e.sizeNum], i * 4);
      slots.set([slot(e.price), slot(e.size), slot(e.side), slot(e.id)], i * 6 + 2);
    }
  });
  return { size, kind, tsUs, nums, slots, strings: list.join('\n') };
}

function unpack(batch: PackedBatch): MarketEvent[] {
  const table = batch.strings.split('\n');
  const { kind, tsUs, nums, slots } = batch;
  const s = (i: number): string => table[slots[i]!]!;
  const maybe = (i: number): string | null => (slots[i]! < 0 ? null : table[slots[i]!]!);
  const events: MarketEvent[] = new Array<MarketEvent>(batch.size);
  for (let i = 0; i < batch.size; i++) {
    const o = i * 6;
    const u = i * 4;
    events[i] =
      kind[i] === 1
        ? quoteEvent(
            tsUs[i]!,
            null,
            s(o),
            s(o + 1),
            s(o + 2),
            nums[u]!,
            s(o + 3),
            nums[u + 1]!,
            s(o + 4),
            nums[u + 2]!,
            s(o + 5),
            nums[u + 3]!,
          )
        : tradeEvent(
            tsUs[i]!,
            null,
            s(o),
            s(o + 1),
            maybe(o + 5),
            maybe(o + 4) as 'buy' | 'sell' | null,
            s(o + 2),
            nums[u]!,
            s(o + 3),
            nums[u + 1]!,
          );
  }
  return events;
}

const file = await benchFeed(1_000_000);
let parsed: (readonly MarketEvent[])[] = [];
const parseRounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  const batches: (readonly MarketEvent[])[] = [];
  const feed = await openFeed(file);
  for await (const batch of feed.batches()) batches.push(batch);
  parseRounds.push(performance.now() - t0);
  parsed = batches;
}
const events = parsed.reduce((n, b) => n + b.length, 0);
const cloned = parsed.map((b) => serialize(b));
const packed: PackedBatch[] = [];
for (const batch of parsed)
  for (let i = 0; i < batch.length; i += BATCH) packed.push(pack(batch.slice(i, i + BATCH)));
let check = 0;
const rows: [string, number][] = [
  ['parse (read, split, events)', Math.min(...parseRounds)],
  ['structured clone, serialize', best(() => parsed.reduce((n, b) => n + serialize(b).length, 0))],
  [
    'structured clone, deserialize',
    best(() => (check = cloned.reduce((n, b) => n + (deserialize(b) as unknown[]).length, 0))),
  ],
  [
    'packed columns, unpack',
    best(() => (check = packed.reduce((n, b) => n + unpack(b).length, 0))),
  ],
];
if (check !== events) throw new Error(`unpacked ${check} events, parsed ${events}`);
process.stdout.write(
  `event transfer probe (node ${process.version}, best of ${ROUNDS}): ${file}, ${events.toLocaleString('en-US')} events\n`,
);
for (const [name, ms] of rows)
  process.stdout.write(
    `${name.padEnd(32)}${Math.round(ms).toLocaleString('en-US').padStart(7)} ms\n`,
  );
