import { serialize, deserialize } from 'node:v8';
import { openFeed, openFeedInWorker, ParsedFeedCache } from '../feeds/index.js';
import type { PackedBatch } from '../feeds/packed-batch.js';
import { packBatch } from '../feeds/packed-batch-writer.js';
import { unpackBatch } from '../feeds/packed-events.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { benchFeed } from './bench-files.js';

/**
 * What moving the feed's parsing to a worker thread (issue 12) could save, before building it:
 * on the bench's 1M-event feed, the main thread's cost of (1) parsing, as the replay does today;
 * (2) receiving the parsed events by structured clone (what `postMessage` of event objects costs
 * the receiver: serialize is the worker's, deserialize the main thread's); (3) receiving them
 * packed ({@link packBatch}: typed-array columns and the strings' bytes, exchange and symbol
 * once while they repeat), as `openFeedInWorker` does, and rebuilding the events (buffer events
 * over the batch's bytes). A worker pays only if
 * the main thread's share is well below (1), and the worker's (parse and pack) is not the pace.
 * The two timings after read the whole feed with nothing consuming it, each batch dropped once
 * counted: parsed on this thread, then through `openFeedInWorker` (the worker's pace, start-up
 * included). The last line is what a sweep worker's {@link ParsedFeedCache} keeps of the feed, in
 * bytes an event.
 *
 *   npm run build && node dist/bench/event-transfer-probe.js
 */

const ROUNDS = 3;

/** The least of `ROUNDS` figures that `run` returns (ms). */
function bestOf(run: () => number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) min = Math.min(min, run());
  return min;
}

function best(run: () => number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
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
/** The whole feed from `open`, each batch dropped once counted (ms, the best of the rounds). */
async function endToEnd(open: typeof openFeed): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    let count = 0;
    const feed = await open(file);
    for await (const batch of feed.batches()) count += batch.length;
    min = Math.min(min, performance.now() - t0);
    if (count !== events) throw new Error(`read ${count} events, parsed ${events}`);
  }
  return min;
}
const inlineMs = await endToEnd(openFeed);
// What a sweep worker keeps of the file (feeds/parsed-feed-cache.ts), per event.
const cache = new ParsedFeedCache(Number.POSITIVE_INFINITY);
for await (const batch of (await cache.open(file)).batches()) void batch;
const keptBytesPerEvent = cache.bytes / cache.events;
const workerMs = await endToEnd(openFeedInWorker);
/**
 * Unpacks each batch right after packing it, timing the unpacking only: a batch at a time, as
 * the thread boundary sees them (holding every batch packed at once would time the collector).
 */
function unpackedOneByOne(batches: readonly (readonly MarketEvent[])[]): number {
  let count = 0;
  let ms = 0;
  for (const batch of batches) {
    const packed: PackedBatch = packBatch(batch);
    const t0 = performance.now();
    count += unpackBatch(packed).length;
    ms += performance.now() - t0;
  }
  unpackMs = ms;
  return count;
}
let unpackMs = 0;

/** Deserializing every batch's structured clone (the clones dropped afterwards). */
function deserializeMs(batches: readonly (readonly MarketEvent[])[]): number {
  const cloned = batches.map((b) => serialize(b));
  return best(() => (check = cloned.reduce((n, b) => n + (deserialize(b) as unknown[]).length, 0)));
}
let check = 0;
const rows: [string, number][] = [
  ['parse (read, split, events)', Math.min(...parseRounds)],
  ['structured clone, serialize', best(() => parsed.reduce((n, b) => n + serialize(b).length, 0))],
  ['structured clone, deserialize', deserializeMs(parsed)],
  ['packed, pack (the worker)', best(() => parsed.reduce((n, b) => n + packBatch(b).size, 0))],
  ['packed, unpack', bestOf(() => ((check = unpackedOneByOne(parsed)), unpackMs))],
  ['parse, nothing kept', inlineMs],
  ['through the worker, nothing kept', workerMs],
];
if (check !== events) throw new Error(`unpacked ${check} events, parsed ${events}`);
process.stdout.write(
  `event transfer probe (node ${process.version}, best of ${ROUNDS}): ${file}, ${events.toLocaleString('en-US')} events\n`,
);
for (const [name, ms] of rows)
  process.stdout.write(
    `${name.padEnd(32)}${Math.round(ms).toLocaleString('en-US').padStart(7)} ms\n`,
  );
process.stdout.write(
  `${'kept by a sweep worker'.padEnd(32)}${keptBytesPerEvent.toFixed(1).padStart(7)} bytes an event\n`,
);
