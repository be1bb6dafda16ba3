import { fileIdentity } from '../src/core/file-identity.js';
import type { MarketEvent } from '../src/core/market-event.js';
import type { FeedFormat, FeedOptions, FeedSource, FeedStats } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import { openFeed } from './open-feed.js';
import type { PackedBatch } from './packed-batch.js';
import { packBatch } from './packed-batch-writer.js';
import { unpackBatch } from './packed-events.js';

/**
 * Events a {@link ParsedFeedCache} keeps by default: about 100 MB of packed batches (a packed
 * event is some 100 bytes: its numbers, times and the bytes of its decimal strings).
 */
export const DEFAULT_CACHED_EVENTS = 1_000_000;

/**
 * How far past the cache's size the events of a file, projected from the share of its bytes read
 * so far, may go before the file is given up (the projection is rough early in a file).
 */
const PROJECTION_SLACK = 1.25;

/** One file read to the end: its batches packed, each with the statistics after it. */
interface ParsedFeed {
  readonly format: FeedFormat;
  readonly sizeBytes: number;
  readonly batches: readonly { readonly batch: PackedBatch; readonly stats: FeedStats }[];
  readonly stats: FeedStats;
  readonly events: number;
  /** Bytes of its packed batches' buffers. */
  readonly bytes: number;
}

/**
 * Feeds already parsed by this thread, kept packed ({@link packBatch}) for the next replay of the
 * same file: a thread that runs many replays of a few files (a sweep's worker, a calibration
 * worker) parses each file once and then only unpacks it, about a tenth of the cost
 * (`node dist/bench/event-transfer-probe.js`). A replay of a kept file sees the same events, in
 * the same batches, with the same statistics, as `openFeed` gives.
 *
 * A file is kept only once read to the end without an error, and found again only while it is
 * unchanged: the key is its real path, device, inode, size, modification and change times, and
 * the read options. At most `maxEvents` events are kept; the least recently used files go first,
 * and a file larger than that is not kept.
 */
export class ParsedFeedCache {
  readonly #maxEvents: number;
  /** In order of last use, oldest first. */
  readonly #feeds = new Map<string, ParsedFeed>();
  #events = 0;
  #bytes = 0;

  constructor(maxEvents: number = DEFAULT_CACHED_EVENTS) {
    this.#maxEvents = maxEvents;
  }

  /** Files kept. */
  get files(): number {
    return this.#feeds.size;
  }

  /** Events kept, over all files. */
  get events(): number {
    return this.#events;
  }

  /** Bytes of the kept batches' buffers, over all files (what the cache holds besides objects). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * {@link openFeed}, or the kept parse of the same unchanged file read with the same options.
   * Throws what `openFeed` throws.
   */
  async open(path: string, options: FeedOptions = {}): Promise<FeedSource> {
    const key = await keyOf(path, options);
    if (key === null) return openFeed(path, options);
    const kept = this.#feeds.get(key);
    if (kept !== undefined) {
      this.#feeds.delete(key);
      this.#feeds.set(key, kept);
      return new KeptFeedSource(path, kept);
    }
    const source = await openFeed(path, options);
    return new RecordingFeedSource(source, this.#maxEvents, (feed) => this.#keep(key, feed));
  }

  #keep(key: string, feed: ParsedFeed): void {
    // Two replays may have read the same file at once: the last one to finish is kept.
    const same = this.#feeds.get(key);
    if (same !== undefined) {
      this.#feeds.delete(key);
      this.#events -= same.events;
      this.#bytes -= same.bytes;
    }
    for (const [oldKey, old] of this.#feeds) {
      if (this.#events + feed.events <= this.#maxEvents) break;
      this.#feeds.delete(oldKey);
      this.#events -= old.events;
      this.#bytes -= old.bytes;
    }
    this.#feeds.set(key, feed);
    this.#events += feed.events;
    this.#bytes += feed.bytes;
  }
}

/** The cache key of a file and read options, or null when the file cannot be found (openFeed says why). */
async function keyOf(path: string, options: FeedOptions): Promise<string | null> {
  const identity = await fileIdentity(path);
  if (identity === null) return null;
  const read = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([identity, read]);
}

/**
 * The batch with its text cut to the bytes its strings use, in a buffer of its own: packing
 * reserves room as it goes (up to twice what it uses), which a kept batch would hold for good.
 */
function compact(batch: PackedBatch): PackedBatch {
  const used = batch.size === 0 ? 0 : batch.textEnd[4 * batch.size - 1]!;
  if (used === batch.text.byteLength) return batch;
  return { ...batch, text: new Uint8Array(batch.text.subarray(0, used)) };
}

/** Bytes of a packed batch's buffers. */
function packedBytes(batch: PackedBatch): number {
  const { kind, tsUs, exchangeTsUs, nums, flags, text, textEnd } = batch;
  return [kind, tsUs, exchangeTsUs, nums, flags, text, textEnd].reduce(
    (sum, column) => sum + column.byteLength,
    0,
  );
}

/** A copy of `stats` that shares nothing with it. */
function copyStats(stats: FeedStats): FeedStats {
  return { ...stats, skipped: { ...stats.skipped } };
}

/**
 * A first read: `openFeed`'s source, whose batches are packed on the way and kept once the file
 * is read to its end. A replay that stops reading early (a rollout that has decided) leaves the
 * rest to be parsed after it, so that the next replay of the file finds it whole; what the replay
 * read, and its statistics, are those of `openFeed` all the same.
 */
class RecordingFeedSource implements FeedSource {
  readonly path: string;
  readonly format: FeedFormat;
  readonly sizeBytes: number;
  readonly stats: FeedStats = emptyFeedStats();
  #iterated = false;

  constructor(
    readonly source: FeedSource,
    readonly maxEvents: number,
    readonly onEnd: (feed: ParsedFeed) => void,
  ) {
    this.path = source.path;
    this.format = source.format;
    this.sizeBytes = source.sizeBytes;
  }

  async *batches(): AsyncIterable<readonly MarketEvent[]> {
    if (this.#iterated) throw new Error(`FeedSource.batches() may be iterated once (${this.path})`);
    this.#iterated = true;
    const { source } = this;
    const reading = source.batches()[Symbol.asyncIterator]();
    let packed: { batch: PackedBatch; stats: FeedStats }[] | null = [];
    let events = 0;
    let ended = false;
    let failed = false;
    /** Reads the next batch into `packed`; null at the end of the file. */
    const next = async (): Promise<readonly MarketEvent[] | null> => {
      let result: IteratorResult<readonly MarketEvent[]>;
      try {
        result = await reading.next();
      } catch (error) {
        failed = true;
        throw error;
      }
      if (result.done === true) {
        ended = true;
        return null;
      }
      const batch = result.value;
      events += batch.length;
      // A file larger than the cache is read without packing: once it is, or once the share of
      // the file read so far says it will be (so that a replay that stops early does not parse
      // the rest of a file that would not be kept).
      const { bytesRead } = source.stats;
      if (
        events > this.maxEvents ||
        (bytesRead > 0 && (events * this.sizeBytes) / bytesRead > PROJECTION_SLACK * this.maxEvents)
      )
        packed = null;
      packed?.push({ batch: compact(packBatch(batch)), stats: copyStats(source.stats) });
      return batch;
    };
    try {
      for (let batch = await next(); batch !== null; batch = await next()) {
        Object.assign(this.stats, copyStats(source.stats));
        yield batch;
      }
      Object.assign(this.stats, copyStats(source.stats));
    } finally {
      if (!ended && !failed) {
        try {
          while (packed !== null && (await next()) !== null);
        } catch {
          // The rest of the file is bad: nothing is kept (the replay did not read that far).
        }
        if (!ended) await reading.return?.();
      }
      if (ended && packed !== null)
        this.onEnd({
          format: this.format,
          sizeBytes: this.sizeBytes,
          batches: packed,
          stats: copyStats(source.stats),
          events,
          bytes: packed.reduce((sum, { batch }) => sum + packedBytes(batch), 0),
        });
    }
  }
}

/** A kept file read again: its packed batches unpacked, its statistics as they were. */
class KeptFeedSource implements FeedSource {
  readonly format: FeedFormat;
  readonly sizeBytes: number;
  readonly stats: FeedStats = emptyFeedStats();
  #iterated = false;

  constructor(
    readonly path: string,
    readonly feed: ParsedFeed,
  ) {
    this.format = feed.format;
    this.sizeBytes = feed.sizeBytes;
  }

  // An async iterable, as every FeedSource's; unpacking waits for nothing.
  // eslint-disable-next-line @typescript-eslint/require-await
  async *batches(): AsyncIterable<readonly MarketEvent[]> {
    if (this.#iterated) throw new Error(`FeedSource.batches() may be iterated once (${this.path})`);
    this.#iterated = true;
    for (const { batch, stats } of this.feed.batches) {
      Object.assign(this.stats, copyStats(stats));
      yield unpackBatch(batch);
    }
    Object.assign(this.stats, copyStats(this.feed.stats));
  }
}
