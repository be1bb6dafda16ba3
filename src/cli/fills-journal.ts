import { fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { FILLS_CSV_HEADER, FillsCsvFormatter } from '../report/fills-csv.js';
import { CsvBytes } from './csv-bytes.js';
import { FILLS_BATCH_ROWS, type FillsBatch } from './fills-batch.js';
import { FillsBatchFormatter } from './fills-batch-formatter.js';
import { FillsBatchPacker } from './fills-batch-packer.js';
import { FillsFile } from './fills-file.js';

/** Where a fills.csv goes: `replay --out`'s run directory, or `serve --fills`'s file. */
export type FillsTarget = string | { readonly path: string; readonly append: true };

/** A run's fills.csv as the run goes: one row per execution report, then the final marks. */
export interface FillsSink {
  /** One execution report. */
  add(report: ExecutionReport): void;
  /**
   * Writes the final marks and closes the file; gzips it when large. Resolves to the file's name
   * (`fills.csv`, or `fills.csv.gz`).
   * @throws OutputError when the file could not be written.
   */
  finish(
    marks: readonly (readonly [symbol: string, price: Decimal])[],
    lastTsUs: number,
  ): Promise<string>;
  /**
   * Closes the file of a run that failed (its directory is abandoned with it): rows not yet
   * written are dropped, and nothing is written after. Resolves once the file is closed; callers
   * need not wait.
   */
  discard(): Promise<void>;
}

/** An open fills.csv: its path, descriptor, size (0: its header is still to write), and mode. */
export interface OpenedFills {
  readonly path: string;
  readonly fd: number;
  readonly position: number;
  readonly append: boolean;
}

/**
 * Opens `where`'s fills.csv: `replay --out`'s `dir/fills.csv`, new; `serve --fills FILE`, a file a
 * restarted server goes on with (appended, never gzipped).
 * @throws OutputError when it cannot be opened.
 */
export function openFills(where: FillsTarget): OpenedFills {
  const append = typeof where !== 'string';
  const path = typeof where === 'string' ? join(where, 'fills.csv') : where.path;
  try {
    const fd = openSync(path, append ? 'a' : 'w');
    return { path, fd, position: fstatSync(fd).size, append };
  } catch (error) {
    throw new OutputError(path, error);
  }
}

/**
 * A run's fills.csv, formatted and written on the calling thread (docs/accounting.md,
 * "Reconciling from fills.csv"): every execution report, then the final marks; gzipped at the
 * end when large. The venue's fills are packed as the writing thread's are
 * (cli/fills-batch-packer.ts) and formatted into bytes a batch at a time
 * (cli/fills-batch-formatter.ts); other reports as text. Full buffers are written on libuv's
 * threads, so the disk works beside the engine. `replay` on the process's main thread formats on
 * a thread of its own instead ({@link openFillsSink}).
 */
export class FillsJournal implements FillsSink {
  readonly #file: FillsFile;
  readonly #packer = new FillsBatchPacker();
  readonly #formatter = new FillsBatchFormatter();
  readonly #bytes: CsvBytes;
  readonly #format = (batch: FillsBatch): void => this.#formatter.format(batch, this.#bytes);

  constructor(where: FillsTarget) {
    const opened = openFills(where);
    const file = new FillsFile(opened.path, opened.fd, opened.position, opened.append);
    this.#file = file;
    this.#bytes = new CsvBytes((bytes, length) => file.addBytes(bytes, length));
    if (opened.position === 0) file.add(FILLS_CSV_HEADER);
  }

  add(report: ExecutionReport): void {
    this.#packer.add(report);
    if (this.#packer.count >= FILLS_BATCH_ROWS) this.#packer.drain(this.#format);
  }

  /** Writes what is buffered (a server does it every second, so the file follows the rollout). */
  flush(): void {
    if (this.#file.closed) return;
    this.#packer.drain(this.#format);
    this.#file.flush();
  }

  async finish(
    marks: readonly (readonly [symbol: string, price: Decimal])[],
    lastTsUs: number,
  ): Promise<string> {
    const format = new FillsCsvFormatter();
    for (const [symbol, price] of marks) {
      this.#packer.addRow(format.markRow(lastTsUs, symbol, price));
      if (this.#packer.count >= FILLS_BATCH_ROWS) this.#packer.drain(this.#format);
    }
    this.#packer.drain(this.#format);
    return this.#file.close();
  }

  discard(): Promise<void> {
    return this.#file.discard();
  }
}
