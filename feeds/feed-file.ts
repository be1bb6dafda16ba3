import { once } from 'node:events';
import { readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FeedError } from '../src/core/errors.js';

/**
 * Raw read size. Buffer events keep the chunk they were read from alive (buffer-events.ts), and
 * read buffers are memory outside V8's heap that waits for a collection: small reads keep both
 * small. Peak RSS of the bench's replay (`node dist/bench/replay-rss-child.js FILE 1000`, two or
 * three runs each, 1M and 10M events): 1 MiB reads 174–190 and 192–199 MiB; 256 KiB reads
 * 123–125 and 137–140 MiB; 64 KiB reads 119–127 and 127–141 MiB (before buffer events, with 1 MiB
 * reads: 195 and 203 MiB).
 */
const READ_CHUNK_BYTES = 1 << 16;
/** zlib's output chunk size for gzip files. */
const GUNZIP_CHUNK_BYTES = 1 << 18;
/**
 * The file's bytes in fresh {@link READ_CHUNK_BYTES} buffers (a buffer is never reused: events
 * may keep it), read synchronously. A promise-based read costs a round trip through libuv's
 * thread pool per chunk: reading the bench's 77 MB feed took 50–84 ms with `FileHandle.read`
 * 64 KiB at a time, 67–71 ms with a file stream, 12–16 ms with `readSync` (page cache; `node
 * dist/bench/file-read-probe.js`), and the promise machinery was 15 % of the parsing worker's
 * profile (`node --cpu-prof`). The parse needs
 * each chunk before it can go on, so a read that blocks only delays what would wait anyway: a
 * 64 KiB read from the page cache (about 13 µs) holds its thread as long as parsing some 60 of the
 * chunk's 850 lines, and in the `replay` command that thread is the parsing worker.
 */
async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    for (let position = 0; ;) {
      const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
      const bytesRead = readSync(handle.fd, buffer, 0, READ_CHUNK_BYTES, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === READ_CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** What the first bytes of a file say. */
export interface FileProbe {
  readonly sizeBytes: number;
  readonly gzip: boolean;
}

/**
 * Checks that `path` is a readable, non-empty regular file and reads its magic bytes: `1f 8b` is
 * gzip (whatever the extension); `PK` (zip) is refused.
 */
export async function probeFile(path: string): Promise<FileProbe> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw wholeFile('E_FEED_READ', path, 'not a regular file');
    sizeBytes = info.size;
  } catch (error) {
    throw toFeedError(error, path);
  }
  if (sizeBytes === 0) throw wholeFile('E_FEED_EMPTY', path, 'the file is empty');
  const magic = Buffer.alloc(4);
  let read: number;
  try {
    const handle = await open(path, 'r');
    try {
      read = (await handle.read(magic, 0, 4, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toFeedError(error, path);
  }
  if (read >= 2 && magic[0] === 0x50 && magic[1] === 0x4b)
    throw wholeFile(
      'E_FEED_UNKNOWN_FORMAT',
      path,
      'a zip archive is not supported: unzip it first (e.g. `unzip BTCUSDT-trades-2024-08-08.zip`)',
    );
  return { sizeBytes, gzip: read >= 2 && magic[0] === 0x1f && magic[1] === 0x8b };
}

/**
 * The file's text as Buffers, gunzipped when `gzip`. `onRaw` sees every raw chunk as it is read
 * and `onRawEnd` runs once the last raw byte has been read. Errors (missing file, truncated gzip)
 * surface through the iteration; map them with {@link toFeedError}. A plain file is read with no
 * stream in between (a stream adds its own work per chunk); a gzip file through zlib's stream.
 * Before a gzip data error, everything zlib decompressed before the bad data has been handed out.
 */
export function openTextStream(
  path: string,
  gzip: boolean,
  onRaw?: (chunk: Buffer) => void,
  onRawEnd?: () => void,
): AsyncIterable<Buffer> {
  if (!gzip) return tapped(readChunks(path), onRaw, onRawEnd);
  return gunzipped(path, onRaw, onRawEnd);
}

/**
 * The gunzipped text of `path`. On bad data (corrupt, truncated, trailing garbage) zlib drops the
 * output of the step that met it and the stream what it had not handed out yet: some 370 lines of
 * the bundled sample with bytes appended. So, on that rare path only, the rest of the output
 * before the bad data is decompressed again ({@link outputBeforeBadData}) and handed out first.
 */
async function* gunzipped(
  path: string,
  onRaw: ((chunk: Buffer) => void) | undefined,
  onRawEnd: (() => void) | undefined,
): AsyncGenerator<Buffer> {
  const file = Readable.from(tapped(readChunks(path), onRaw, onRawEnd), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  const ignore = (): void => {}; // errors reach the consumer through the last stream
  let delivered = 0;
  try {
    for await (const chunk of pipeline(file, gunzip, ignore) as AsyncIterable<Buffer>) {
      delivered += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (!isGzipDataError(error)) throw error;
    yield* await outputBeforeBadData(path, delivered, gunzip.bytesWritten);
    throw error;
  }
}

/**
 * What zlib decompresses of `path` before its bad data, from output byte `from` on. zlib hands out
 * nothing of a step that fails, so the file is decompressed again, twice: the first `safeInput`
 * bytes (which the failed stream's good steps took) whole, then 256 bytes a step to find the
 * failing one; then up to that step whole and a byte a step, which loses at most what zlib
 * decodes from the bad byte itself.
 */
async function outputBeforeBadData(
  path: string,
  from: number,
  safeInput: number,
): Promise<Buffer[]> {
  const near = await gunzipInSteps(path, safeInput, 256, null);
  const output: Buffer[] = [];
  let seen = 0;
  await gunzipInSteps(path, near, 1, (chunk) => {
    const start = Math.max(0, from - seen);
    seen += chunk.length;
    if (start < chunk.length) output.push(start === 0 ? chunk : chunk.subarray(start));
  });
  return output;
}

/**
 * Gunzips `path` to its end or its bad data, `onOutput` seeing the output (or dropping it: null):
 * the first `safeInput` bytes in the file's chunks, the rest `step` bytes a write. Returns the
 * input bytes zlib took in steps that succeeded.
 */
async function gunzipInSteps(
  path: string,
  safeInput: number,
  step: number,
  onOutput: ((chunk: Buffer) => void) | null,
): Promise<number> {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  let failed = false;
  const settled = new Promise<void>((resolve) => {
    gunzip.once('error', () => {
      failed = true;
      resolve();
    });
    gunzip.once('end', resolve);
  });
  if (onOutput === null) gunzip.resume();
  else gunzip.on('data', onOutput);
  try {
    let position = 0;
    for await (const chunk of readChunks(path)) {
      const safe = Math.min(chunk.length, Math.max(0, safeInput - position));
      position += chunk.length;
      for (let at = 0; at < chunk.length && !failed;) {
        const end = at < safe ? safe : Math.min(at + step, chunk.length);
        if (!gunzip.write(chunk.subarray(at, end)))
          await Promise.race([once(gunzip, 'drain'), settled]);
        at = end;
      }
      if (failed) break;
    }
    if (!failed) gunzip.end();
    await settled;
    return gunzip.bytesWritten;
  } finally {
    gunzip.destroy();
  }
}

/** `chunks`, with `onRaw` called on each and `onRawEnd` after the last. */
async function* tapped(
  chunks: AsyncIterable<Buffer>,
  onRaw: ((chunk: Buffer) => void) | undefined,
  onRawEnd: (() => void) | undefined,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    onRaw?.(chunk);
    yield chunk;
  }
  onRawEnd?.();
}

/** True for zlib's data errors (truncated or corrupt gzip). */
export function isGzipDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * A stream or file-system error as a FeedError: missing file, truncated or corrupt gzip, other
 * read errors. `afterLine` (lines read before the error) goes into the message when known.
 */
export function toFeedError(error: unknown, path: string, afterLine = 0): FeedError {
  if (error instanceof FeedError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const where = afterLine > 0 ? ` after line ${afterLine}` : '';
  if (code === 'ENOENT') return wholeFile('E_FEED_NOT_FOUND', path, 'no such file', error);
  if (code === 'EISDIR') return wholeFile('E_FEED_READ', path, 'not a regular file', error);
  if (code === 'Z_BUF_ERROR' || message.includes('unexpected end of file'))
    return wholeFile(
      'E_FEED_TRUNCATED_GZIP',
      path,
      `truncated gzip: the compressed data ends early${where} (incomplete download?)`,
      error,
    );
  // zlib checks a member's header only at the start of the data (whose magic bytes probeFile
  // read) and after each member: there it means bytes that are not another gzip member.
  if (isGzipDataError(error) && message === 'incorrect header check')
    return wholeFile(
      'E_FEED_READ',
      path,
      `corrupt gzip data${where}: what follows the end of the compressed data is not another gzip member (${message}): trailing garbage, which gzip ignores with a warning, or a damaged member`,
      error,
    );
  if (isGzipDataError(error))
    return wholeFile('E_FEED_READ', path, `corrupt gzip data${where}: ${message}`, error);
  return wholeFile('E_FEED_READ', path, `cannot read${where}: ${message}`, error);
}

function wholeFile(
  code:
    | 'E_FEED_NOT_FOUND'
    | 'E_FEED_EMPTY'
    | 'E_FEED_UNKNOWN_FORMAT'
    | 'E_FEED_TRUNCATED_GZIP'
    | 'E_FEED_READ',
  path: string,
  reason: string,
  cause?: unknown,
): FeedError {
  return new FeedError(
    code,
    { file: path, line: 0, field: '-' },
    reason,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The first `maxLines` non-empty lines of the file's text (`\r` and a byte-order mark removed),
 * reading at most about `maxBytes` of text. A file that breaks off early (truncated gzip) gives
 * the lines before the break; the full read reports the error.
 */
export async function readHeadLines(
  path: string,
  gzip: boolean,
  maxLines = 8,
  maxBytes = 1 << 20,
): Promise<string[]> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let newlines = 0;
  let complete = false;
  try {
    for await (const chunk of openTextStream(path, gzip)) {
      chunks.push(chunk);
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) newlines++;
      if (newlines > maxLines * 4 || bytes >= maxBytes) break;
    }
    complete = bytes < maxBytes && newlines <= maxLines * 4;
  } catch (error) {
    if (bytes === 0 || !isGzipDataError(error)) throw toFeedError(error, path);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split('\n');
  // After a cut or a read error the last piece may be incomplete; at the true end it is a line.
  if (!complete) lines.pop();
  const result: string[] = [];
  for (let line of lines) {
    if (result.length === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!/[^ \t]/.test(line)) continue; // blank: empty or spaces and tabs only
    result.push(line);
    if (result.length >= maxLines) break;
  }
  return result;
}
