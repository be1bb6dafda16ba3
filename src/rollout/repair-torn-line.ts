import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { OutputError } from '../core/errors.js';
import { usToIso } from '../core/time.js';
import { EMPTY_WATERMARK, type AuditEntry } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import type { AuditLogContents } from './read-audit-log.js';
import { ROLLOUT_CODES } from './rollout-codes.js';

/** What {@link repairTornLine} did. */
export interface TornLineRepair {
  /** The `repair` entry appended to the log. */
  readonly entry: AuditEntry;
  /** Where the torn bytes went: `<log>.torn` (appended to, never overwritten). */
  readonly tornPath: string;
}

/**
 * The repair a caller opts into when `readAuditLog` reports a torn last line: the torn bytes are
 * appended to `<log>.torn` (and flushed), the log is truncated to the last complete line, and a
 * `repair` entry recording the offset, length and sha256 of the moved bytes is appended, so the
 * log says what happened. Event time of the entry: the last entry's (no wall clock). Returns null
 * when nothing is torn.
 */
export function repairTornLine(
  contents: AuditLogContents,
  options: { readonly configHash: string },
): TornLineRepair | null {
  const torn = contents.torn;
  if (torn === null) return null;
  const path = contents.path;
  const tornPath = `${path}.torn`;
  let hash: string;
  try {
    const fd = openSync(path, 'r+');
    try {
      const bytes = Buffer.alloc(torn.length);
      let read = 0;
      while (read < torn.length) {
        const n = readSync(fd, bytes, read, torn.length - read, torn.offset + read);
        if (n === 0) break;
        read += n;
      }
      hash = createHash('sha256').update(bytes.subarray(0, read)).digest('hex');
      const out = openSync(tornPath, 'a');
      try {
        let written = 0;
        while (written < read) written += writeSync(out, bytes, written, read - written);
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      ftruncateSync(fd, torn.offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new OutputError(path, error);
  }
  const last = contents.entries.at(-1) ?? null;
  const tsUs = last?.tsUs ?? 0;
  const weightPct = last?.toWeightPct ?? 0;
  const record: AuditRecord = {
    seq: contents.lastSeq + 1,
    tsUs,
    at: usToIso(tsUs),
    kind: 'repair',
    action: 'repair',
    disposition: 'applied',
    mode: last?.mode ?? null,
    trigger: null,
    stepIndex: last?.stepIndex ?? null,
    evaluatedStepIndex: null,
    fromWeightPct: weightPct,
    toWeightPct: weightPct,
    ref: null,
    detail: {
      code: ROLLOUT_CODES.TORN_LINE,
      message: `line ${torn.lineNumber} was torn (${torn.reason}): ${torn.length} bytes at offset ${torn.offset}, sha256 ${hash}, moved to ${basename(tornPath)}; its record was never applied`,
    },
    positions: null,
    versions: null,
    reasons: [],
    guardrails: [],
  };
  const log = AuditLog.open(path, options);
  try {
    return { entry: log.append(record, last?.watermark ?? EMPTY_WATERMARK), tornPath };
  } finally {
    log.close();
  }
}
