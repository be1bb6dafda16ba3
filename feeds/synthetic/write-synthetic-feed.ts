import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { OutputError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/market-event.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from '../normalized-csv-format.js';
import { multiplyDecimalTexts } from './multiply-decimal-texts.js';
import { syntheticEvents } from './synthetic-events.js';
import {
  checkSyntheticFeedFormat,
  type SyntheticFeedFileOptions,
  type SyntheticFeedFormat,
} from './synthetic-feed-format.js';
import { DEFAULT_SYNTHETIC_FEED_PARAMETERS as D } from './synthetic-feed-options.js';
import { UsTimestampFormatter } from './us-timestamp-formatter.js';

/**
 * zlib level 4: about 2.5 times faster than the default 6 on this CSV for 7 % more bytes, so
 * compression keeps up with generation.
 */
const GZIP_LEVEL = 4;

/** Lines are handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 17;

/**
 * {@link formatNormalizedCsvLine} plus the newline, byte-identical (tests compare them), with the
 * constant columns pre-joined and timestamps through {@link UsTimestampFormatter}: the writer's
 * hot path.
 */
function lineFormatter(exchange: string, symbol: string): (event: MarketEvent) => string {
  const quotePrefix = `,${exchange},${symbol},quote,,,,`;
  const tradePrefix = `,${exchange},${symbol},trade,`;
  const timestamps = new UsTimestampFormatter();
  return (event) => {
    if (event.exchange !== exchange || event.symbol !== symbol)
      return `${formatNormalizedCsvLine(event)}\n`;
    if (event.type === 'quote')
      return `${timestamps.format(event.tsUs)}${quotePrefix}${event.bidPrice},${event.bidSize},${event.askPrice},${event.askSize},\n`;
    return `${timestamps.format(event.tsUs)}${tradePrefix}${event.side ?? ''},${event.price},${event.size},,,,,${event.id ?? ''}\n`;
  };
}

/**
 * `formatBinanceCsvTradesLine` plus the newline, byte-identical (tests compare them), with
 * timestamps through {@link UsTimestampFormatter}. Quotes give no line (the events are trades only).
 */
function binanceTradesLineFormatter(): (event: MarketEvent) => string {
  const timestamps = new UsTimestampFormatter();
  return (event) => {
    if (event.type === 'quote') return '';
    const buyerIsMaker = event.side === 'sell' ? 'True' : 'False';
    return `${event.id ?? ''},${event.price},${event.size},${multiplyDecimalTexts(event.price, event.size)},${timestamps.format(event.tsUs)},${buyerIsMaker},True\n`;
  };
}

/** The line formatter and the file's first lines for a format. */
function fileLayout(
  format: SyntheticFeedFormat,
  options: SyntheticFeedFileOptions,
): { readonly head: string; readonly toLine: (event: MarketEvent) => string } {
  if (format === 'binance-csv-trades')
    // data.binance.vision spot files have no header.
    return { head: '', toLine: binanceTradesLineFormatter() };
  return {
    head: `${NORMALIZED_CSV_HEADER}\n`,
    toLine: lineFormatter(options.exchange ?? D.exchange, options.symbol ?? D.symbol),
  };
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** What {@link writeSyntheticFeed} wrote. */
export interface SyntheticFeedSummary {
  /** Number of events (data lines, header excluded). */
  readonly events: number;
  /** Event time of the first and last event, µs since epoch. */
  readonly firstTsUs: number;
  readonly lastTsUs: number;
}

/**
 * Writes {@link syntheticEvents} to `path`, gzip-compressed when the path ends with `.gz` (any case), as
 * normalized CSV (`feeds/normalized-csv-format.ts`, the default) or, with `format:
 * 'binance-csv-trades'`, as a data.binance.vision spot trades CSV of the trades only
 * (`formatBinanceCsvTradesLine`). Streams in constant memory and waits for the file to drain
 * (backpressure). `onProgress` gets the number of events written so far after each chunk of about
 * 128 KB (some 1,700 events) and once at the end. The file is written under a temporary name
 * beside `path` and renamed to it once complete: a failed or stopped run leaves no file, nor
 * half of one, and a file already at `path` stays as it was. Once `signal` aborts, the writing
 * stops and rejects with the signal's reason.
 *
 * Bad options reject with a `UsageError` (`E_USAGE`), checked before the file is created (see
 * {@link checkSyntheticFeedFormat} for what `binance-csv-trades` needs); an unwritable path
 * rejects with {@link OutputError} (`E_OUTPUT`).
 *
 * @example
 * const { events } = await writeSyntheticFeed('runs/btc-1h.csv.gz', { seed: 7, minutes: 60 });
 * await writeSyntheticFeed('runs/BTCUSDT-trades-2024-01-01.csv.gz', {
 *   seed: 7,
 *   minutes: 60,
 *   format: 'binance-csv-trades',
 * });
 */
export async function writeSyntheticFeed(
  path: string,
  options: SyntheticFeedFileOptions,
  onProgress?: (eventsWritten: number) => void,
  signal?: AbortSignal,
): Promise<SyntheticFeedSummary> {
  const format = checkSyntheticFeedFormat(path, options);
  const { format: _format, ...generator } = options;
  const events = syntheticEvents(
    format === 'binance-csv-trades' ? { ...generator, tradesOnly: true } : generator,
  );
  const { head, toLine } = fileLayout(format, options);
  let count = 0;
  let firstTsUs = 0;
  let lastTsUs = 0;

  // Every character is ASCII (symbol and exchange are checked), so latin1 is a plain copy.
  function* chunks(): Generator<Buffer, void, undefined> {
    let chunk = head;
    for (const event of events) {
      if (count === 0) firstTsUs = event.tsUs;
      lastTsUs = event.tsUs;
      count++;
      chunk += toLine(event);
      if (chunk.length >= CHUNK_CHARS) {
        yield Buffer.from(chunk, 'latin1');
        chunk = '';
        onProgress?.(count);
      }
    }
    if (chunk !== '') yield Buffer.from(chunk, 'latin1');
    onProgress?.(count);
  }

  const source = Readable.from(chunks(), { objectMode: false });
  const temp = join(dirname(path), `.${basename(path)}.partial-${process.pid}-${threadId}`);
  const file = createWriteStream(temp);
  const stop = signal === undefined ? {} : { signal };
  try {
    if (path.toLowerCase().endsWith('.gz'))
      await pipeline(source, createGzip({ level: GZIP_LEVEL }), file, stop);
    else await pipeline(source, file, stop);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (signal?.aborted === true) throw signal.reason;
    // File-system errors (missing folder, no permission, disk full) are the user's to fix.
    if (isSystemError(error)) throw new OutputError(path, error);
    throw error;
  }
  return { events: count, firstTsUs, lastTsUs };
}
