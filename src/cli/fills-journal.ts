import { fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { FillTexts } from '../engine/fill-texts.js';
import { FILLS_CSV_HEADER, FillsCsvFormatter } from '../report/fills-csv.js';
import { FillsFile } from './fills-file.js';

/** Rows joined and encoded at once. */
const ROWS_PER_ENCODE = 512;

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
 * end when large. Full buffers are written on libuv's threads, so the disk works beside the
 * engine. `replay` on the process's main thread formats on a thread of its own instead
 * ({@link openFillsSink}).
 */
export class FillsJournal implements FillsSink {
  readonly #file: FillsFile;
  readonly #format = new FillsCsvFormatter();
  readonly #texts = new FillTexts();
  /** Rows not yet encoded. */
  #rows: string[] = [];

  constructor(where: FillsTarget) {
    const opened = openFills(where);
    this.#file = new FillsFile(opened.path, opened.fd, opened.position, opened.append);
    if (opened.position === 0) this.#file.add(FILLS_CSV_HEADER);
  }

  add(report: ExecutionReport): void {
    const texts = this.#texts;
    this.#rows.push(this.#format.row(report, texts.quantity(report), texts.fee(report)));
    if (this.#rows.length >= ROWS_PER_ENCODE) this.#encodeRows();
  }

  /** Writes what is buffered (a server does it every second, so the file follows the rollout). */
  flush(): void {
    if (this.#file.closed) return;
    this.#encodeRows();
    this.#file.flush();
  }

  async finish(
    marks: readonly (readonly [symbol: string, price: Decimal])[],
    lastTsUs: number,
  ): Promise<string> {
    for (const [symbol, price] of marks)
      this.#rows.push(this.#format.markRow(lastTsUs, symbol, price));
    this.#encodeRows();
    return this.#file.close();
  }

  discard(): Promise<void> {
    return this.#file.discard();
  }

  /** The rows so far as one string into the buffer (one UTF-8 encoding for many rows). */
  #encodeRows(): void {
    if (this.#rows.length === 0) return;
    const text = this.#rows.join('');
    this.#rows = [];
    this.#file.add(text);
  }
}
