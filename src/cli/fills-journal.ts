import {
  closeSync,
  createReadStream,
  createWriteStream,
  fstatSync,
  openSync,
  statSync,
  write,
  writeSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { OutputError } from '../core/errors.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { FillTexts } from '../engine/fill-texts.js';
import { FILLS_CSV_HEADER, FillsCsvFormatter } from '../report/fills-csv.js';

/** Above this size fills.csv is gzipped at the end of the run (fills.csv.gz), bytes. */
export const FILLS_GZIP_ABOVE_BYTES = 64 * 1024 * 1024;
/** Rows are written in buffers of this many bytes (memory stays flat however long the run). */
const BUFFER_BYTES = 1 << 20;
/** Rows joined and encoded at once. */
const ROWS_PER_ENCODE = 512;
/** Buffers written in the background at most; beyond, the run waits for the disk. */
const BUFFERS_IN_FLIGHT = 8;

/**
 * A run's fills.csv, written as the run goes (docs/accounting.md, "Reconciling from fills.csv"):
 * every execution report, then the final marks; gzipped at the end when over
 * {@link FILLS_GZIP_ABOVE_BYTES}. Full buffers are written on libuv's threads, so the disk works
 * beside the engine.
 */
export class FillsJournal {
  readonly #path: string;
  readonly #fd: number;
  readonly #gzip: boolean;
  readonly #format = new FillsCsvFormatter();
  readonly #texts = new FillTexts();
  #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #used = 0;
  #inFlight = 0;
  /** The background writes not yet known to be done. */
  #written: Promise<void>[] = [];
  #position = 0;
  readonly #append: boolean;
  /** Rows not yet encoded. */
  #rows: string[] = [];
  #failure: unknown = null;
  #closed = false;

  /**
   * `replay --out`: `dir/fills.csv`, new, gzipped at the end when large. `serve --fills FILE`:
   * `{ path, append: true }`, a file a restarted server goes on with (the header only when it
   * starts the file), never gzipped.
   */
  constructor(where: string | { readonly path: string; readonly append: true }) {
    const append = typeof where !== 'string';
    this.#path = typeof where === 'string' ? join(where, 'fills.csv') : where.path;
    this.#gzip = !append;
    this.#append = append;
    try {
      this.#fd = openSync(this.#path, append ? 'a' : 'w');
      this.#position = fstatSync(this.#fd).size;
      if (this.#position === 0) this.#add(FILLS_CSV_HEADER);
    } catch (error) {
      throw new OutputError(this.#path, error);
    }
  }

  /** One execution report. */
  add(report: ExecutionReport): void {
    const texts = this.#texts;
    this.#rows.push(this.#format.row(report, texts.quantity(report), texts.fee(report)));
    if (this.#rows.length >= ROWS_PER_ENCODE) this.#encodeRows();
  }

  /** Writes what is buffered (a server does it every second, so the file follows the rollout). */
  flush(): void {
    if (this.#closed) return;
    this.#encodeRows();
    if (this.#used > 0) this.#send();
  }

  /**
   * Writes the final marks and closes the file; gzips it when large. Resolves to the file's name
   * (`fills.csv`, or `fills.csv.gz`).
   */
  async finish(
    marks: readonly (readonly [symbol: string, price: Decimal])[],
    lastTsUs: number,
  ): Promise<string> {
    for (const [symbol, price] of marks)
      this.#rows.push(this.#format.markRow(lastTsUs, symbol, price));
    this.#encodeRows();
    if (this.#used > 0) this.#send();
    await Promise.all(this.#written);
    this.#closed = true;
    closeSync(this.#fd);
    if (this.#failure !== null) throw new OutputError(this.#path, this.#failure);
    if (!this.#gzip || statSync(this.#path).size <= FILLS_GZIP_ABOVE_BYTES)
      return basename(this.#path);
    const gz = `${this.#path}.gz`;
    try {
      await pipeline(createReadStream(this.#path), createGzip(), createWriteStream(gz));
      await rm(this.#path);
    } catch (error) {
      throw new OutputError(gz, error);
    }
    return 'fills.csv.gz';
  }

  /** Closes the file of a run that failed (its directory is abandoned with it). */
  discard(): void {
    if (this.#closed) return;
    this.#closed = true;
    void Promise.all(this.#written).finally(() => closeSync(this.#fd));
  }

  /** The rows so far as one string into the buffer (one UTF-8 encoding for many rows). */
  #encodeRows(): void {
    const text = this.#rows.join('');
    this.#rows = [];
    this.#add(text);
  }

  #add(text: string): void {
    if (this.#used + text.length * 3 > BUFFER_BYTES) this.#send();
    if (text.length * 3 > BUFFER_BYTES) this.#write(Buffer.from(text), Buffer.byteLength(text));
    else this.#used += this.#buffer.write(text, this.#used);
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
