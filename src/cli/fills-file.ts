import {
  closeSync,
  createReadStream,
  createWriteStream,
  statSync,
  write,
  writeSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { OutputError } from '../core/errors.js';

/** Above this size fills.csv is gzipped (fills.csv.gz): after the run, or as it grows past it; bytes. */
export const FILLS_GZIP_ABOVE_BYTES = 64 * 1024 * 1024;
/**
 * How fills.csv is gzipped: zlib's fastest level, read 1 MiB and compressed 64 KiB at a time. A
 * sweep's run waits for the gzip after its replay (the `replay` command's fills thread gzips as
 * the file grows): the 176 MB fills.csv of a 1M-line trades replay took 1.67 s at zlib's default
 * (level 6, 64 KiB reads, 16 KiB chunks) and 0.55 s so, 25.0 MB instead of 21.8
 * (`node dist/bench/fills-gzip-probe.js`).
 */
export const FILLS_GZIP = { level: 1, readBytes: 1 << 20, chunkBytes: 1 << 16 } as const;
/** Rows are written in buffers of this many bytes (memory stays flat however long the run). */
const BUFFER_BYTES = 1 << 20;
/** Buffers written in the background at most; beyond, the writer waits for the disk. */
const BUFFERS_IN_FLIGHT = 8;

/**
 * The bytes of a fills.csv, on an open file: text goes into a buffer, and full buffers are
 * written on libuv's threads at their own positions, so the disk works beside whoever formats
 * the rows. {@link close} waits for the writes, closes the file and gzips a large new one.
 */
export class FillsFile {
  readonly #path: string;
  readonly #fd: number;
  readonly #append: boolean;
  #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #used = 0;
  #inFlight = 0;
  /** The background writes not yet known to be done. */
  #written: Promise<void>[] = [];
  #position: number;
  #failure: unknown = null;
  #closed = false;
  readonly #gzipAboveBytes: number;
  readonly #gzipWhileWriting: boolean;
  readonly #gzipBacklogBytes: number;
  /** The gzip that runs while the file is written, once it is past its size for that. */
  #gzip: StreamingGzip | null = null;

  /**
   * `fd` is open on `path`, its size `position`. `append`: the system puts each write at the
   * end (`serve --fills`), and the file is never gzipped; else it is once over
   * `options.gzipAboveBytes` ({@link FILLS_GZIP_ABOVE_BYTES}): at {@link close}, or with
   * `options.gzipWhileWriting` as it grows past that size (for a writer with an idle core beside
   * it, which waits on {@link drained}; the same `.gz` bytes).
   */
  constructor(
    path: string,
    fd: number,
    position: number,
    append: boolean,
    options: FillsFileOptions = {},
  ) {
    this.#path = path;
    this.#fd = fd;
    this.#position = position;
    this.#append = append;
    this.#gzipAboveBytes = options.gzipAboveBytes ?? FILLS_GZIP_ABOVE_BYTES;
    this.#gzipWhileWriting = options.gzipWhileWriting === true && !append;
    this.#gzipBacklogBytes = options.gzipBacklogBytes ?? GZIP_BACKLOG_BYTES;
  }

  /**
   * True while more bytes than the backlog allowed ({@link GZIP_BACKLOG_BYTES}) wait for the
   * gzip that runs while the file is written: the writer should wait for {@link drained} before
   * it adds more.
   */
  get backlogged(): boolean {
    return this.#gzip !== null && this.#gzip.waiting > this.#gzipBacklogBytes;
  }

  /** Resolves once the gzip's backlog is back within the allowed bytes. */
  async drained(): Promise<void> {
    const gzip = this.#gzip;
    while (gzip !== null && gzip.waiting > this.#gzipBacklogBytes && gzip.failure === null)
      await new Promise<void>((resolve) => gzip.onProgress.push(resolve));
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /** True once {@link close} or {@link discard} ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Appends text (one UTF-8 encoding into the buffer). Ignored once the file is closed or
   * discarded: its descriptor may by then be another file's (the system reuses the number).
   */
  add(text: string): void {
    if (this.#closed) return;
    if (this.#used + text.length * 3 > BUFFER_BYTES) this.#send();
    if (text.length * 3 > BUFFER_BYTES) this.#write(Buffer.from(text), Buffer.byteLength(text));
    else this.#used += this.#buffer.write(text, this.#used);
  }

  /**
   * Appends `bytes[0, length)` (copied: the caller may write into `bytes` again at once). Ignored
   * once the file is closed or discarded, as {@link add}.
   */
  addBytes(bytes: Uint8Array, length: number): void {
    if (this.#closed) return;
    if (this.#used + length > BUFFER_BYTES) this.#send();
    if (length > BUFFER_BYTES) this.#write(Buffer.from(bytes.subarray(0, length)), length);
    else {
      this.#buffer.set(bytes.subarray(0, length), this.#used);
      this.#used += length;
    }
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#closed) return;
    if (this.#used > 0) this.#send();
  }

  /**
   * Writes what is buffered, waits for every write and closes the file; gzips a new file over
   * its size for that ({@link FILLS_GZIP_ABOVE_BYTES}), as {@link FILLS_GZIP} says, into the same
   * path and `.gz`. Resolves to the file's name (`fills.csv`, or `fills.csv.gz`).
   * @throws OutputError when a write, the close or the gzip failed, or the file was already
   *   closed or discarded.
   */
  async close(): Promise<string> {
    if (this.#closed) throw new OutputError(this.#path, new Error('the run was discarded'));
    this.flush();
    await Promise.all(this.#written);
    this.#closed = true;
    closeSync(this.#fd);
    if (this.#failure !== null) {
      await this.#gzip?.abandon();
      throw new OutputError(this.#path, this.#failure);
    }
    const gz = `${this.#path}.gz`;
    if (this.#gzip !== null) {
      try {
        await this.#gzip.end();
        await rm(this.#path);
      } catch (error) {
        throw new OutputError(gz, error);
      }
      return basename(gz);
    }
    if (this.#append || statSync(this.#path).size <= this.#gzipAboveBytes)
      return basename(this.#path);
    try {
      await pipeline(
        createReadStream(this.#path, { highWaterMark: FILLS_GZIP.readBytes }),
        createGzip({ level: FILLS_GZIP.level, chunkSize: FILLS_GZIP.chunkBytes }),
        createWriteStream(gz),
      );
      await rm(this.#path);
    } catch (error) {
      throw new OutputError(gz, error);
    }
    return basename(gz);
  }

  /**
   * Closes the file of a run that failed, once its writes are done (nothing more is written);
   * resolves when it is closed, and never rejects: the run has already failed with its own error.
   */
  async discard(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled(this.#written);
    await this.#gzip?.abandon();
    try {
      closeSync(this.#fd);
    } catch {
      // Nothing to do: the file is abandoned with its run.
    }
  }

  /** Hands the buffer to the disk and takes a fresh one. */
  #send(): void {
    const buffer = this.#buffer;
    const length = this.#used;
    this.#buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.#used = 0;
    this.#write(buffer, length);
  }

  /**
   * Writes `buffer[0, length)` at the file's next position: in the background while fewer than
   * {@link BUFFERS_IN_FLIGHT} are (each at its own position, so order does not depend on which
   * finishes first), else here, waiting for the disk. An appended file is written here always
   * (the system puts appended bytes at the end whatever the position).
   */
  #write(buffer: Buffer, length: number): void {
    if (this.#failure !== null || length === 0) return;
    if (
      this.#gzip === null &&
      this.#gzipWhileWriting &&
      this.#position + length > this.#gzipAboveBytes
    ) {
      // Past the size: the gzip starts with what the file holds (once written), then takes
      // every buffer instead of the file.
      const gzip = new StreamingGzip(`${this.#path}.gz`);
      this.#gzip = gzip;
      gzip.feedFile(this.#path, this.#position, Promise.all(this.#written));
    }
    if (this.#gzip !== null) {
      this.#position += length;
      this.#gzip.feed(buffer.subarray(0, length));
      return;
    }
    const position = this.#position;
    this.#position += length;
    if (this.#append || this.#inFlight >= BUFFERS_IN_FLIGHT) {
      try {
        writeAllSync(this.#fd, buffer, length, this.#append ? null : position);
      } catch (error) {
        this.#failure = error;
      }
      return;
    }
    this.#inFlight++;
    this.#written.push(
      new Promise<void>((resolve) => {
        writeAll(this.#fd, buffer, length, position, (error) => {
          this.#inFlight--;
          if (error !== null) this.#failure ??= error;
          resolve();
        });
      }),
    );
    if (this.#written.length > 4 * BUFFERS_IN_FLIGHT)
      this.#written = [Promise.all(this.#written).then(() => undefined)];
  }
}

/**
 * Bytes a file's streaming gzip may hold waiting, by default, before its writer should wait
 * ({@link FillsFile.backlogged}).
 */
export const GZIP_BACKLOG_BYTES = 16 << 20;

/** How a {@link FillsFile} gzips. */
export interface FillsFileOptions {
  /** Gzipped when larger (default {@link FILLS_GZIP_ABOVE_BYTES}). */
  readonly gzipAboveBytes?: number;
  /** Gzipped as it is written, from that size on, rather than at the close (default false). */
  readonly gzipWhileWriting?: boolean;
  /** Bytes the gzip may hold waiting before {@link FillsFile.backlogged} (default {@link GZIP_BACKLOG_BYTES}). */
  readonly gzipBacklogBytes?: number;
}

/**
 * A gzip of a file's bytes as they come, into `gzPath` (as {@link FILLS_GZIP} says: the same bytes
 * as gzipping the whole file after, however the bytes are fed). The bytes are fed in order; how
 * many wait to be compressed is {@link waiting}.
 */
class StreamingGzip {
  readonly #gzip = createGzip({ level: FILLS_GZIP.level, chunkSize: FILLS_GZIP.chunkBytes });
  readonly #done: Promise<void>;
  /** The feeding so far: each piece waits for the one before it. */
  #chain: Promise<void> = Promise.resolve();
  /** Bytes handed to {@link feed} and not yet taken by the gzip. */
  waiting = 0;
  failure: unknown = null;
  /** Called (and cleared) each time bytes are taken: the writer's waits. */
  onProgress: (() => void)[] = [];

  constructor(gzPath: string) {
    this.#done = pipeline(this.#gzip, createWriteStream(gzPath));
    this.#done.catch((error: unknown) => {
      this.failure ??= error;
      this.#progress();
    });
  }

  /** Feeds the first `length` bytes of the file at `path`, once `written` resolves. */
  feedFile(path: string, length: number, written: Promise<unknown>): void {
    this.#chain = this.#chain.then(async () => {
      await written;
      if (length === 0) return;
      const stream = createReadStream(path, {
        start: 0,
        end: length - 1,
        highWaterMark: FILLS_GZIP.readBytes,
      });
      for await (const chunk of stream) await this.#take(chunk as Buffer);
    });
  }

  /** Feeds `bytes` (kept until taken: the caller hands it over). */
  feed(bytes: Buffer): void {
    this.waiting += bytes.length;
    this.#chain = this.#chain.then(async () => {
      await this.#take(bytes);
      this.waiting -= bytes.length;
      this.#progress();
    });
  }

  /** Feeds nothing more and resolves once the `.gz` is written; rejects with any failure. */
  async end(): Promise<void> {
    await this.#chain;
    if (this.failure !== null)
      throw this.failure instanceof Error
        ? this.failure
        : new Error('the gzip failed', { cause: this.failure });
    this.#gzip.end();
    await this.#done;
  }

  /** Stops, leaving whatever the `.gz` holds (the run failed); never rejects. */
  async abandon(): Promise<void> {
    this.failure ??= new Error('the run was discarded');
    this.#gzip.destroy();
    await Promise.allSettled([this.#chain, this.#done]);
  }

  async #take(bytes: Buffer): Promise<void> {
    // A destroyed stream never drains: nothing more is taken once it failed or was abandoned.
    if (this.failure !== null || this.#gzip.destroyed) return;
    if (!this.#gzip.write(bytes))
      await new Promise<void>((resolve) => {
        const settle = (): void => {
          this.#gzip.off('drain', settle);
          this.#gzip.off('close', settle);
          resolve();
        };
        this.#gzip.on('drain', settle);
        this.#gzip.on('close', settle);
      });
  }

  #progress(): void {
    const waits = this.onProgress;
    this.onProgress = [];
    for (const wake of waits) wake();
  }
}

/** `fs.write` at `position` until all of `buffer[0, length)` is written (a write may be partial). */
function writeAll(
  fd: number,
  buffer: Buffer,
  length: number,
  position: number,
  done: (error: NodeJS.ErrnoException | null) => void,
  offset = 0,
): void {
  write(fd, buffer, offset, length - offset, position + offset, (error, written) => {
    if (error !== null) return done(error);
    if (offset + written < length)
      return writeAll(fd, buffer, length, position, done, offset + written);
    done(null);
  });
}

function writeAllSync(fd: number, buffer: Buffer, length: number, position: number | null): void {
  let offset = 0;
  while (offset < length) {
    const at = position === null ? null : position + offset;
    offset += writeSync(fd, buffer, offset, length - offset, at);
  }
}
