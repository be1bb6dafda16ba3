import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { FeedError, UsageError } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { BinanceCsvParser, symbolFromBinanceFileName } from './binance-csv-parser.js';
import { BinanceWsParser } from './binance-ws-parser.js';
import { quoteValue } from './decimal-scan.js';
import { detectFeedFormat } from './detect-feed-format.js';
import { FeedContext } from './feed-context.js';
import {
  isGzipDataError,
  openTextStream,
  probeFile,
  readHeadLines,
  toFeedError,
} from './feed-file.js';
import { EventArrayBatcher } from './event-array-batcher.js';
import type { EventBatcher } from './event-batcher.js';
import { BATCH_SIZE, FeedReader } from './feed-reader.js';
import type { FeedFormat, FeedOptions, FeedSource, FeedStats, FeedTime } from './feed-source.js';
import { emptyFeedStats, FEED_FORMATS } from './feed-source.js';
import type { LineParser } from './line-parser.js';
import { NormalizedCsvParser } from './normalized-csv-parser.js';
import type { PackedBatch } from './packed-batch.js';
import { PackedBatchWriter } from './packed-batch-writer.js';
import { TardisCsvParser } from './tardis-csv-parser.js';

const DEFAULT_MAX_BACKSTEP_MS = 1000;

/**
 * Opens a market-data file: checks it exists and is not empty, reads the gzip magic bytes
 * (`1f 8b`, whatever the extension) and detects the format from the first lines unless
 * `options.format` is given. Nothing is parsed until `batches()` is iterated.
 *
 * Throws `FeedError`: `E_FEED_NOT_FOUND`, `E_FEED_EMPTY`, `E_FEED_UNKNOWN_FORMAT` (also for a zip
 * archive), `E_FEED_SYMBOL_UNKNOWN` (Binance CSV whose file name does not tell the symbol and no
 * `options.symbol`), `E_FEED_READ`, `E_FEED_TRUNCATED_GZIP`. Throws `UsageError` for bad options,
 * and for `time: 'exchange'` on a Tardis file.
 *
 * @example
 * const feed = await openFeed('BTCUSDT-trades-2024-08-08.csv.gz', { onBadLine: 'skip' });
 * for await (const batch of feed.batches()) for (const event of batch) console.log(event.tsUs);
 */
export async function openFeed(path: string, options: FeedOptions = {}): Promise<FeedSource> {
  return openFeedFile(path, options);
}

/** {@link openFeed}'s source, which can also give its batches packed (the parsing thread's). */
export interface FeedFile extends FeedSource {
  /** The batches packed as they are parsed, no event object made; iterated once, as `batches()`. */
  packedBatches(): AsyncIterable<PackedBatch>;
}

/** {@link openFeed}, typed as the {@link FeedFile} it opens. */
export async function openFeedFile(path: string, options: FeedOptions = {}): Promise<FeedFile> {
  const maxBackstepMs = options.maxBackstepMs ?? DEFAULT_MAX_BACKSTEP_MS;
  if (!Number.isFinite(maxBackstepMs) || maxBackstepMs < 0)
    throw new UsageError(`maxBackstepMs must be a finite number >= 0, got ${maxBackstepMs}`);
  const onBadLine = options.onBadLine ?? 'fail';
  if (onBadLine !== 'fail' && onBadLine !== 'skip')
    throw new UsageError(`onBadLine must be 'fail' or 'skip', got ${String(onBadLine)}`);
  const time = options.time ?? 'local';
  if (time !== 'local' && time !== 'exchange')
    throw new UsageError(`time must be 'local' or 'exchange', got ${String(time)}`);
  const tradesOnly = options.tradesOnly ?? false;
  if (typeof tradesOnly !== 'boolean')
    throw new UsageError(`tradesOnly must be true or false, got ${String(tradesOnly)}`);
  if (options.format !== undefined && !FEED_FORMATS.includes(options.format))
    throw new UsageError(
      `unknown feed format ${String(options.format)} (one of ${FEED_FORMATS.join(', ')})`,
    );

  const probe = await probeFile(path);
  const head = await readHeadLines(path, probe.gzip);
  if (head.length === 0)
    throw new FeedError(
      'E_FEED_EMPTY',
      { file: path, line: 0, field: '-' },
      probe.gzip
        ? 'no data: the file decompresses to blank lines only'
        : 'no data: blank lines only',
    );
  const format = options.format ?? detectFeedFormat(head);
  if (format === null)
    throw new FeedError(
      'E_FEED_UNKNOWN_FORMAT',
      { file: path, line: 0, field: '-' },
      `cannot tell the format from the first line ${quoteValue(head[0] as string)}; pass --format (${FEED_FORMATS.join(', ')})`,
    );
  if (time === 'exchange' && (format === 'tardis-trades' || format === 'tardis-quotes'))
    throw new UsageError(
      `${path}: time 'exchange' (--time exchange) is not supported for ${format} files: their event time is local_timestamp (the exchange's timestamp stays in exchangeTsUs); use time 'local'`,
    );
  let symbol = '';
  if (format === 'binance-csv-trades' || format === 'binance-csv-aggtrades') {
    const named = symbolFromBinanceFileName(basename(path)) ?? options.symbol?.toUpperCase();
    if (named === undefined || named.length === 0)
      throw new FeedError(
        'E_FEED_SYMBOL_UNKNOWN',
        { file: path, line: 0, field: 'symbol' },
        'Binance CSV has no symbol column and the file name does not tell it (like BTCUSDT-trades-2024-08-08.csv): pass --symbol',
      );
    symbol = named;
  }
  return new FileFeedSource(path, format, probe.sizeBytes, probe.gzip, {
    skipBadLines: onBadLine === 'skip',
    maxBackstepUs: Math.round(maxBackstepMs * 1000),
    symbol,
    time,
    tradesOnly,
  });
}

interface ReadSettings {
  readonly skipBadLines: boolean;
  readonly maxBackstepUs: number;
  /** Symbol of a Binance CSV file; empty for other formats. */
  readonly symbol: string;
  readonly time: FeedTime;
  readonly tradesOnly: boolean;
}

class FileFeedSource implements FeedFile {
  readonly path: string;
  readonly format: FeedFormat;
  readonly sizeBytes: number;
  readonly stats: FeedStats = emptyFeedStats();
  readonly #gzip: boolean;
  readonly #settings: ReadSettings;
  #iterated = false;

  constructor(
    path: string,
    format: FeedFormat,
    sizeBytes: number,
    gzip: boolean,
    settings: ReadSettings,
  ) {
    this.path = path;
    this.format = format;
    this.sizeBytes = sizeBytes;
    this.#gzip = gzip;
    this.#settings = settings;
  }

  batches(): AsyncIterable<readonly MarketEvent[]> {
    this.#iterateOnce();
    return this.#read(new EventArrayBatcher());
  }

  packedBatches(): AsyncIterable<PackedBatch> {
    this.#iterateOnce();
    return this.#read(new PackedBatchWriter(BATCH_SIZE));
  }

  #iterateOnce(): void {
    if (this.#iterated) throw new Error(`FeedSource.batches() may be iterated once (${this.path})`);
    this.#iterated = true;
  }

  async *#read<B>(batcher: EventBatcher<B>): AsyncGenerator<B> {
    const { path, stats } = this;
    const settings = this.#settings;
    const ctx = new FeedContext(path, stats, settings.maxBackstepUs, settings.tradesOnly);
    const reader = new FeedReader(
      ctx,
      createParser(this.format, ctx, settings),
      settings.skipBadLines,
      batcher,
    );
    const hash = createHash('sha256');
    const stream = openTextStream(
      path,
      this.#gzip,
      (chunk) => {
        hash.update(chunk);
        stats.bytesRead += chunk.length;
      },
      () => {
        stats.sha256 = hash.digest('hex');
      },
    );
    try {
      for await (const chunk of stream) {
        try {
          reader.consume(chunk);
        } catch (error) {
          // A bad line under 'fail': the events before it are handed out first (a live client
          // of serve-feed gets every good line), then the error; the reader batches whole
          // events only, so none is half-parsed.
          if (error instanceof FeedError) yield* handOutRest(reader);
          throw error;
        }
        while (reader.ready.length > 0) yield reader.ready.shift() as B;
      }
    } catch (error) {
      if (error instanceof FeedError) throw error;
      if (!(settings.skipBadLines && isGzipDataError(error)))
        throw toFeedError(error, path, reader.lineNo);
      // skip mode: a truncated (or corrupt) gzip ends the file; what was read stays, one bad line.
      stats.badLines++;
      const last = reader.abandon();
      if (last !== null) yield last;
      return;
    }
    const last = reader.finish();
    while (reader.ready.length > 0) yield reader.ready.shift() as B;
    if (last !== null) yield last;
    if (hasNoData(stats))
      throw new FeedError(
        'E_FEED_EMPTY',
        { file: path, line: 0, field: '-' },
        'no data: a header line only',
      );
  }
}

/** Every batch the reader holds, the partial one last. */
function* handOutRest<B>(reader: FeedReader<B>): Generator<B> {
  while (reader.ready.length > 0) yield reader.ready.shift() as B;
  const partial = reader.flush();
  if (partial !== null) yield partial;
}

/** No line was data: no event, no bad line, nothing skipped but blank lines (a header only). */
function hasNoData(stats: FeedStats): boolean {
  if (stats.events > 0 || stats.badLines > 0) return false;
  for (const [kind, n] of Object.entries(stats.skipped))
    if (kind !== 'blank' && n > 0) return false;
  return true;
}

function createParser(format: FeedFormat, ctx: FeedContext, settings: ReadSettings): LineParser {
  const { symbol } = settings;
  switch (format) {
    case 'binance-ws':
      return new BinanceWsParser(ctx, true, settings.time);
    case 'binance-csv-trades':
      return new BinanceCsvParser(ctx, 'trades', symbol);
    case 'binance-csv-aggtrades':
      return new BinanceCsvParser(ctx, 'aggTrades', symbol);
    case 'tardis-trades':
      return new TardisCsvParser(ctx, 'trades');
    case 'tardis-quotes':
      return new TardisCsvParser(ctx, 'quotes');
    case 'normalized':
      return new NormalizedCsvParser(ctx);
  }
}
