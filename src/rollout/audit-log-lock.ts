import { linkSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, OutputError } from '../core/errors.js';

/** How often a held lock's file is touched, ms: another host tells a live holder by it. */
export const LOCK_HEARTBEAT_MS = 10_000;
/** A lock file of another host untouched this long is a crashed holder's, ms. */
export const LOCK_STALE_MS = 60_000;

/** What a lock file holds: who holds the audit log, and since when. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken (wall clock: for the person reading the error). */
  readonly since: string;
}

interface HeldLock {
  count: number;
  readonly lockPath: string;
  readonly holder: LockHolder;
  readonly heartbeat: NodeJS.Timeout;
}

/** The locks this process holds, by the absolute path of their audit log. */
const held = new Map<string, HeldLock>();
let exitHookInstalled = false;

/**
 * A persisted rollout's claim on its audit log against other processes: `<audit log>.lock`, a
 * small JSON file naming the process (pid, host, since), created atomically (written beside it,
 * then hard-linked into place, which fails when it exists; created in place where a file system
 * has no hard links) and removed on release. Two processes
 * appending to one audit log interleave their records and corrupt it for every later open, so the
 * second is refused (`ConfigError` `E_STATE_LOCKED`) instead. Within one process the lock is
 * shared (counted): createCanary's "the last canary opened owns the files" decides there.
 *
 * A lock whose holder is gone is taken over: on the same host when its pid is not running (a
 * crash, or a restart that got the same pid), from another host when its file has not been
 * touched for {@link LOCK_STALE_MS} (a holder touches it every {@link LOCK_HEARTBEAT_MS}). Hand
 * written rather than `proper-lockfile`, whose staleness is by time only: a bot restarted right
 * after a crash would be refused for that long.
 */
export class AuditLogLock {
  readonly #key: string;
  #released = false;

  private constructor(key: string) {
    this.#key = key;
  }

  /** Takes the lock of `auditPath` (shared within this process); `E_STATE_LOCKED` when held. */
  static acquire(auditPath: string): AuditLogLock {
    const key = resolve(auditPath);
    const mine = held.get(key);
    if (mine !== undefined) {
      mine.count++;
      return new AuditLogLock(key);
    }
    const lockPath = `${key}.lock`;
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    let found: FoundLock | 'gone' = 'gone';
    for (let attempt = 0; attempt < 4; attempt++) {
      if (createLockFile(lockPath, holder)) {
        const heartbeat = setInterval(() => touch(lockPath), LOCK_HEARTBEAT_MS);
        heartbeat.unref();
        held.set(key, { count: 1, lockPath, holder, heartbeat });
        installExitHook();
        return new AuditLogLock(key);
      }
      found = readLockFile(lockPath);
      if (found === 'gone') continue; // released since: try again
      if (!isStale(found)) break;
      removeFile(lockPath);
    }
    throw lockedError(auditPath, lockPath, found);
  }

  /** Gives the lock back; the file is removed when no one in this process holds it. Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const lock = held.get(this.#key);
    if (lock === undefined || --lock.count > 0) return;
    held.delete(this.#key);
    clearInterval(lock.heartbeat);
    removeIfOurs(lock);
  }
}

/** `link` errors of a file system without hard links (some network and virtual-machine shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Creates the lock file holding `holder`; false when one exists. */
function createLockFile(lockPath: string, holder: LockHolder): boolean {
  const text = `${JSON.stringify(holder)}\n`;
  const draft = join(dirname(lockPath), `.${basename(lockPath)}.${process.pid}.${Date.now()}`);
  try {
    writeFileSync(draft, text);
    try {
      linkSync(draft, lockPath);
      return true;
    } catch (error) {
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    // Without hard links: created exclusively in place. Another process may find it empty for an
    // instant, and is refused then, as it would be a moment later.
    writeFileSync(lockPath, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new OutputError(lockPath, error);
  } finally {
    removeFile(draft);
  }
}

type FoundLock = { holder: LockHolder | null; touchedMs: number };

/** The lock file's holder (null when it is not one) and when it was last touched; 'gone' if absent. */
function readLockFile(lockPath: string): FoundLock | 'gone' {
  try {
    const touchedMs = statSync(lockPath).mtimeMs;
    return { holder: parseHolder(readFileSync(lockPath, 'utf8')), touchedMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new OutputError(lockPath, error);
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      Number.isSafeInteger(value.pid) &&
      typeof value.host === 'string' &&
      typeof value.since === 'string'
    )
      return value as LockHolder;
  } catch {
    // not a lock file of ours: held by no one we can check, so refused
  }
  return null;
}

/** The holder is gone: its process is not running (same host), or its heartbeat stopped. */
function isStale({ holder, touchedMs }: FoundLock): boolean {
  if (holder === null) return false;
  if (holder.host !== hostname()) return Date.now() - touchedMs > LOCK_STALE_MS;
  if (holder.pid === process.pid) return true; // not in `held`: an earlier process with our pid
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function lockedError(auditPath: string, lockPath: string, found: FoundLock | 'gone'): ConfigError {
  const holder = found === 'gone' ? null : found.holder;
  const who =
    found === 'gone'
      ? 'other processes (its lock file kept changing)'
      : holder === null
        ? 'an unreadable lock file'
        : `process ${holder.pid} on ${holder.host} (since ${holder.since})`;
  return new ConfigError(
    'E_STATE_LOCKED',
    `${auditPath} is in use by ${who}: two processes appending to one audit log would corrupt it; stop that process first, or delete ${lockPath} if it is not running`,
  );
}

function touch(lockPath: string): void {
  const now = new Date();
  try {
    utimesSync(lockPath, now, now);
  } catch {
    // removed by hand: the next open decides again
  }
}

/** Removes the lock file if it still names this holder (not one who took it over). */
function removeIfOurs(lock: HeldLock): void {
  let found: FoundLock | 'gone';
  try {
    found = readLockFile(lock.lockPath);
  } catch {
    return; // unreadable now: left for the next open to judge
  }
  if (found === 'gone' || found.holder === null) return;
  const { pid, host, since } = found.holder;
  if (pid === lock.holder.pid && host === lock.holder.host && since === lock.holder.since)
    removeFile(lock.lockPath);
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** A process that exits without closing its canaries leaves no lock file behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of held.values()) removeIfOurs(lock);
  });
}
