import { ConfigError } from '../../core/errors.js';
import { AuditLogLock, readAuditLog, repairTornLine, type TornLine } from '../../rollout/index.js';

/** A torn last line found by {@link checkTornAuditLine}, and the seq its `repair` record gets. */
export interface TornAuditLine {
  readonly torn: TornLine;
  readonly repairSeq: number;
}

/**
 * The one policy of `serve` and `report` for an audit log whose last line was torn by a crash
 * (docs/errors.md, `E_AUDIT_LOG`): detected and reported, repaired only when asked (`--repair`),
 * never dropped silently. Reads the log; a torn last line without `repair` is a `ConfigError`
 * `E_AUDIT_LOG` that says how to run again (`rerun`, e.g. "start serve again"). Returns the torn
 * line (to repair) or null. A log corrupt before its last line is `E_AUDIT_LOG` too.
 */
export function checkTornAuditLine(
  path: string,
  repair: boolean,
  rerun: string,
): TornAuditLine | null {
  const contents = readAuditLog(path);
  const torn = contents.torn;
  if (torn === null) return null;
  if (repair) return { torn, repairSeq: contents.lastSeq + 1 };
  throw new ConfigError(
    'E_AUDIT_LOG',
    `${path}:${torn.lineNumber}: torn last line (${torn.reason}, ${torn.length} bytes at offset ${torn.offset}): a write cut short by a crash, its record was never applied; ${rerun} with --repair to move it to ${path}.torn and append a repair record`,
  );
}

/**
 * Repairs a torn last line of a log nothing else has open (`report`: a running `serve` holds its
 * lock, `E_STATE_LOCKED`, and a line it is writing is not torn); returns the repair line.
 */
export function repairAuditLog(path: string): string | null {
  const lock = AuditLogLock.acquire(path);
  try {
    return repairUnlocked(path);
  } finally {
    lock.release();
  }
}

function repairUnlocked(path: string): string | null {
  const contents = readAuditLog(path);
  const torn = contents.torn;
  if (torn === null) return null;
  const configHash = contents.entries.at(-1)?.configHash;
  if (configHash === undefined)
    throw new ConfigError(
      'E_AUDIT_LOG',
      `${path}:${torn.lineNumber}: torn first line (${torn.reason}, ${torn.length} bytes): the log holds no complete record to repair it with`,
    );
  const repair = repairTornLine(contents, { configHash });
  return describeRepair(path, { torn, repairSeq: repair?.entry.seq ?? contents.lastSeq + 1 });
}

/** The line (for stderr) that says what `--repair` did. */
export function describeRepair(path: string, found: TornAuditLine): string {
  const { torn, repairSeq } = found;
  return `repaired: ${path}:${torn.lineNumber}: torn last line (${torn.length} bytes) moved to ${path}.torn; audit record ${repairSeq} says so`;
}
