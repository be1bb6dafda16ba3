import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { ConfigError, OutputError } from '../core/errors.js';
import { formatAuditEntry, type AuditEntry, type InputWatermark } from './audit-entry.js';
import type { AuditRecord } from './audit-record.js';
import { readAuditLog } from './read-audit-log.js';

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /** The run's configuration hash, written on every line; existing lines must carry the same. */
  readonly configHash: string;
  /**
   * `true` (the default): `append` returns only once the line is on disk (`fsync`), for a log
   * whose decisions are applied for real. `false`: each line is written (`write`) but not
   * flushed, for a replay's log, which sits in a staging directory that a failed run discards and
   * that is moved into place with the run's other files, none of them flushed line by line
   * (an `fsync` per decision was 7 % of a sweep's replays).
   */
  readonly syncEachLine?: boolean;
}

/**
 * The append-only audit log (JSONL, docs/rollout.md "Audit log"). `append` returns only once the
 * line is on disk (`write` + `fsync` on a descriptor opened in append mode), so whoever applies a
 * decision after `append` returned never acts on an unrecorded decision; a replay's log opts out
 * of the `fsync` ({@link AuditLogOptions.syncEachLine}).
 *
 * @example
 * const log = AuditLog.open('runs/demo/audit.jsonl', { configHash });
 * for (const record of output.records) log.append(record, watermark);
 */
export class AuditLog {
  readonly path: string;
  readonly configHash: string;
  readonly #syncEachLine: boolean;
  #fd: number | null;
  #lastSeq: number;
  #lastEntry: AuditEntry | null;

  private constructor(
    path: string,
    options: AuditLogOptions,
    fd: number,
    lastEntry: AuditEntry | null,
  ) {
    this.path = path;
    this.configHash = options.configHash;
    this.#syncEachLine = options.syncEachLine ?? true;
    this.#fd = fd;
    this.#lastEntry = lastEntry;
    this.#lastSeq = lastEntry?.seq ?? 0;
  }

  /**
   * Opens (creating it if needed) a log for appending, after reading it through: a torn last line
   * must be repaired first (`repairTornLine`), and every existing line must carry `configHash`;
   * otherwise a `ConfigError` `E_AUDIT_LOG`. An unwritable path is an `OutputError`.
   */
  static open(path: string, options: AuditLogOptions): AuditLog {
    const contents = readAuditLog(path);
    if (contents.torn !== null)
      throw new ConfigError(
        'E_AUDIT_LOG',
        `${path}:${contents.torn.lineNumber}: torn last line (${contents.torn.length} bytes at offset ${contents.torn.offset}, ${contents.torn.reason}); repair it before appending`,
      );
    for (const entry of contents.entries)
      if (entry.configHash !== options.configHash)
        throw new ConfigError(
          'E_AUDIT_LOG',
          `${path}:${entry.seq}: written for another configuration (configHash ${entry.configHash.slice(0, 12)}…, this run's is ${options.configHash.slice(0, 12)}…)`,
        );
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new OutputError(path, error);
    }
    return new AuditLog(path, options, fd, contents.entries.at(-1) ?? null);
  }

  /** Seq of the last line written (0 for an empty log). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The last entry written or read, or null. */
  get lastEntry(): AuditEntry | null {
    return this.#lastEntry;
  }

  /**
   * Writes `record` as one line with the config hash and `watermark`, and flushes it to disk
   * before returning (unless opened with `syncEachLine: false`). Records must come in seq order without gaps (a bug otherwise: throws).
   */
  append(record: AuditRecord, watermark: InputWatermark): AuditEntry {
    const fd = this.#fd;
    if (fd === null) throw new Error(`${this.path}: the audit log is closed`);
    if (record.seq !== this.#lastSeq + 1)
      throw new Error(`${this.path}: record ${record.seq} after ${this.#lastSeq}: out of order`);
    const entry: AuditEntry = { ...record, configHash: this.configHash, watermark };
    const line = Buffer.from(`${formatAuditEntry(entry)}\n`, 'utf8');
    try {
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written, line.length - written);
      if (this.#syncEachLine) fsyncSync(fd);
    } catch (error) {
      throw new OutputError(this.path, error);
    }
    this.#lastSeq = record.seq;
    this.#lastEntry = entry;
    return entry;
  }

  /** Closes the file; appending afterwards throws. */
  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}
