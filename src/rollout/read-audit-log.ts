import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { parseAuditEntry, type AuditEntry } from './audit-entry.js';

/**
 * The unfinished last line of an audit log: a write cut short by a crash. Its record was never
 * acted on (`append` returns, and the caller applies, only after the whole line is on disk).
 */
export interface TornLine {
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** Its length in bytes (including a final newline, if it has one). */
  readonly length: number;
  /** 1-based line number. */
  readonly lineNumber: number;
  /** The bytes, decoded as UTF-8 (invalid sequences become U+FFFD). */
  readonly text: string;
  /** `no-final-newline`: the line does not end with `\n`; `invalid-json`: it does, but is not JSON. */
  readonly reason: 'no-final-newline' | 'invalid-json';
}

/** What {@link readAuditLog} found. */
export interface AuditLogContents {
  readonly path: string;
  /** False when there is no file (a new log): no entries, no torn line. */
  readonly exists: boolean;
  /** Every complete, valid entry, in order (seq 1, 2, 3…). */
  readonly entries: readonly AuditEntry[];
  /** Seq of the last entry, 0 when there is none. */
  readonly lastSeq: number;
  /** The torn last line, or null. Never counted among `entries`. */
  readonly torn: TornLine | null;
  readonly sizeBytes: number;
}

const NEWLINE = 0x0a;

/**
 * Reads an audit log back. The last line is **torn** when it lacks its final newline (even if
 * what is there parses: `append` writes the newline with the line, so a line without it was cut
 * short) or when it is not JSON; it is reported in `torn`, never dropped silently nor counted.
 * Anything wrong before the last line (not JSON, a bad field, a seq out of order) means the file
 * is corrupt: a `ConfigError` `E_AUDIT_LOG` naming `file:line`. A missing file is an empty log.
 */
export function readAuditLog(path: string): AuditLogContents {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { path, exists: false, entries: [], lastSeq: 0, torn: null, sizeBytes: 0 };
    throw new ConfigError(
      'E_AUDIT_LOG',
      `${path}: cannot read the audit log (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const entries: AuditEntry[] = [];
  let torn: TornLine | null = null;
  let start = 0;
  let lineNumber = 0;
  while (start < bytes.length) {
    lineNumber++;
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline < 0) {
      torn = tornLine(bytes, start, bytes.length, lineNumber, 'no-final-newline');
      break;
    }
    const text = bytes.toString('utf8', start, newline);
    const isLast = newline === bytes.length - 1;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (isLast) {
        torn = tornLine(bytes, start, newline + 1, lineNumber, 'invalid-json');
        break;
      }
      throw corrupt(path, lineNumber, 'not valid JSON (a torn line that is not the last one)');
    }
    const entry = parseAuditEntry(json);
    if (typeof entry === 'string') throw corrupt(path, lineNumber, entry);
    const expected = entries.length + 1;
    if (entry.seq !== expected)
      throw corrupt(
        path,
        lineNumber,
        `seq ${entry.seq} where ${expected} was expected (a line lost or repeated)`,
      );
    entries.push(entry);
    start = newline + 1;
  }
  return {
    path,
    exists: true,
    entries,
    lastSeq: entries.length,
    torn,
    sizeBytes: bytes.length,
  };
}

function tornLine(
  bytes: Buffer,
  from: number,
  to: number,
  lineNumber: number,
  reason: TornLine['reason'],
): TornLine {
  return {
    offset: from,
    length: to - from,
    lineNumber,
    text: bytes.toString('utf8', from, to),
    reason,
  };
}

function corrupt(path: string, line: number, message: string): ConfigError {
  return new ConfigError('E_AUDIT_LOG', `${path}:${line}: corrupt audit log: ${message}`);
}
