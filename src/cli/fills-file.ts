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

/** Above this size fills.csv is gzipped at the end of the run (fills.csv.gz), bytes. */
export const FILLS_GZIP_ABOVE_BYTES = 64 * 1024 * 1024;
/**
 * How fills.csv is gzipped: zlib's fastest level, read 1 MiB and compressed 64 KiB at a time. The
 * gzip runs after the replay, so the run waits for it: the 176 MB fills.csv of a 1M-line trades
 * replay took 1.67 s at zlib's default (level 6, 64 KiB reads, 16 KiB chunks) and 0.55 s so,
 * 25.0 MB instead of 21.8 (`node dist/bench/fills-gzip-probe.js`).
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

  /**
   * `fd` is open on `path`, its size `position`. `append`: the system puts each write at the
   * end (`serve --fills`), and the file is never gzipped; else it is once over `gzipAboveBytes`.
   */
  constructor(
    path: string,
    fd: number,
    position: number,
    append: boolean,
    gzipAboveBytes = FILLS_GZIP_ABOVE_BYTES,
  ) {
    this.#path = path;
    this.#fd = fd;
    this.#position = position;
    this.#append = append;
    this.#gzipAboveBytes = gzipAboveBytes;
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
    if (this.#failure !== null) throw new OutputError(this.#path, this.#failure);
    if (this.#append || statSync(this.#path).size <= this.#gzipAboveBytes)
      return basename(this.#path);
    const gz = `${this.#path}.gz`;
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
