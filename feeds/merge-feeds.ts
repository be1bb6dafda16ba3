import type { MarketEvent } from '../src/core/market-event.js';
import { BATCH_SIZE } from './feed-reader.js';
import type { FeedSource } from './feed-source.js';

interface Cursor {
  /** Position of the source in the list: breaks ties between equal times. */
  readonly index: number;
  readonly iterator: AsyncIterator<readonly MarketEvent[]>;
  batch: readonly MarketEvent[];
  pos: number;
  done: boolean;
}

/**
 * Replays several feeds as one stream ordered by event time (`tsUs`); equal times come in the
 * order of the sources in the list, then in file order. A k-way merge over the sources' batches
 * (each source is non-decreasing in time, as `openFeed` guarantees); once a single source is left
 * its batches pass through as they are. Each source is iterated once; leaving the loop early
 * closes every file.
 *
 * @example
 * const feeds = await Promise.all(paths.map((path) => openFeed(path)));
 * for await (const batch of mergeFeeds(feeds)) for (const event of batch) engine.onEvent(event);
 */
export async function* mergeFeeds(
  sources: readonly FeedSource[],
): AsyncGenerator<readonly MarketEvent[], void, undefined> {
  const cursors: Cursor[] = sources.map((source, index) => ({
    index,
    iterator: source.batches()[Symbol.asyncIterator](),
    batch: [],
    pos: 0,
    done: false,
  }));
  try {
    const heap: Cursor[] = [];
    for (const cursor of cursors) if (await advance(cursor)) heapPush(heap, cursor);
    let out: MarketEvent[] = [];
    while (heap.length > 1) {
      const top = heap[0] as Cursor;
      // The next event of any other source is at the head of one of the root's children.
      const left = heap[1] as Cursor;
      const right = heap[2];
      const next = right !== undefined && before(right, left) ? right : left;
      const limitTsUs = (next.batch[next.pos] as MarketEvent).tsUs;
      const limitIndex = next.index;
      const topIndex = top.index;
      const batch = top.batch;
      let pos = top.pos;
      while (pos < batch.length && out.length < BATCH_SIZE) {
        const event = batch[pos] as MarketEvent;
        if (event.tsUs > limitTsUs || (event.tsUs === limitTsUs && topIndex > limitIndex)) break;
        out.push(event);
        pos++;
      }
      top.pos = pos;
      if (pos === batch.length && !(await advance(top))) {
        heapPop(heap);
      } else {
        siftDown(heap, 0);
      }
      if (out.length >= BATCH_SIZE) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
    const last = heap[0];
    if (last !== undefined) {
      yield last.pos === 0 ? last.batch : last.batch.slice(last.pos);
      while (await advance(last)) yield last.batch;
    }
  } finally {
    for (const cursor of cursors)
      if (!cursor.done) {
        cursor.done = true;
        await cursor.iterator.return?.();
      }
  }
}

/** Loads the cursor's next non-empty batch; false (and done) at the end of the source. */
async function advance(cursor: Cursor): Promise<boolean> {
  for (;;) {
    const result = await cursor.iterator.next();
    if (result.done === true) {
      cursor.done = true;
      return false;
    }
    if (result.value.length > 0) {
      cursor.batch = result.value;
      cursor.pos = 0;
      return true;
    }
  }
}

/** Strict order of the cursors' next events: time, then source index. */
function before(a: Cursor, b: Cursor): boolean {
  const ta = (a.batch[a.pos] as MarketEvent).tsUs;
  const tb = (b.batch[b.pos] as MarketEvent).tsUs;
  return ta < tb || (ta === tb && a.index < b.index);
}

function heapPush(heap: Cursor[], cursor: Cursor): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Cursor, heap[parent] as Cursor)) break;
    [heap[i], heap[parent]] = [heap[parent] as Cursor, heap[i] as Cursor];
    i = parent;
  }
}

function heapPop(heap: Cursor[]): void {
  const last = heap.pop() as Cursor;
  if (heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0);
}

function siftDown(heap: Cursor[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    let child = left;
    if (right < heap.length && before(heap[right] as Cursor, heap[left] as Cursor)) child = right;
    if (!before(heap[child] as Cursor, heap[i] as Cursor)) return;
    [heap[i], heap[child]] = [heap[child] as Cursor, heap[i] as Cursor];
    i = child;
  }
}
