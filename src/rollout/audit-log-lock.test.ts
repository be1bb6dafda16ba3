import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../core/errors.js';
import {
  AuditLogLock,
  LOCK_HEARTBEAT_MS,
  LOCK_STALE_MS,
  type LockHolder,
} from './audit-log-lock.js';

const auditPath = (): string => join(mkdtempSync(join(tmpdir(), 'sc-lock-')), 'audit.jsonl');
const lockOf = (path: string): LockHolder =>
  JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as LockHolder;
const writeLock = (path: string, holder: object | string): void =>
  writeFileSync(`${path}.lock`, typeof holder === 'string' ? holder : JSON.stringify(holder));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { timeout: 60_000 });
  expect(child.status).toBe(0);
  return child.pid;
}

function lockError(path: string): ConfigError {
  try {
    AuditLogLock.acquire(path).release();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the lock was taken');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AuditLogLock', () => {
  it('writes <log>.lock naming this process, and removes it on release', () => {
    const path = auditPath();
    const lock = AuditLogLock.acquire(path);
    expect(lockOf(path)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(lockOf(path).since)).not.toBeNaN();
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('is shared within a process: the file goes with the last release, and release is idempotent', () => {
    const path = auditPath();
    const first = AuditLogLock.acquire(path);
    const second = AuditLogLock.acquire(path);
    first.release();
    first.release(); // does not count twice
    expect(existsSync(`${path}.lock`)).toBe(true);
    second.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a log another running process holds, naming it, and leaves its lock alone', () => {
    const path = auditPath();
    const other = { pid: process.ppid, host: hostname(), since: '2026-12-07T10:00:00.000Z' };
    writeLock(path, other);
    const error = lockError(path);
    expect(error.code).toBe('E_STATE_LOCKED');
    expect(error.message).toContain(
      `${path} is in use by process ${process.ppid} on ${hostname()} (since 2026-12-07T10:00:00.000Z)`,
    );
    expect(error.message).toContain(`delete ${path}.lock if it is not running`);
    expect(lockOf(path)).toEqual(other);
  });

  it('takes over the lock of a process that is not running, or of an earlier one with its pid', () => {
    for (const pid of [deadPid(), process.pid]) {
      const path = auditPath();
      writeLock(path, { pid, host: hostname(), since: '2026-12-07T10:00:00.000Z' });
      const lock = AuditLogLock.acquire(path);
      expect(lockOf(path).pid).toBe(process.pid);
      expect(lockOf(path).since).not.toBe('2026-12-07T10:00:00.000Z');
      lock.release();
      expect(existsSync(`${path}.lock`)).toBe(false);
    }
  });

  it('refuses another host’s lock while it is touched, and takes it over once it is not', () => {
    const path = auditPath();
    writeLock(path, { pid: 1, host: `not-${hostname()}`, since: '2026-12-07T10:00:00.000Z' });
    expect(lockError(path).message).toContain(`process 1 on not-${hostname()}`);
    const stale = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(`${path}.lock`, stale, stale);
    const lock = AuditLogLock.acquire(path);
    expect(lockOf(path)).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
  });

  it('refuses a lock file it cannot read as one, however old', () => {
    const path = auditPath();
    writeLock(path, 'garbage');
    const old = new Date(Date.now() - 10 * LOCK_STALE_MS);
    utimesSync(`${path}.lock`, old, old);
    const error = lockError(path);
    expect(error.code).toBe('E_STATE_LOCKED');
    expect(error.message).toContain('in use by an unreadable lock file');
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe('garbage');
  });

  it('touches its file every heartbeat, so another host sees it alive', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const path = auditPath();
    const lock = AuditLogLock.acquire(path);
    const old = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(`${path}.lock`, old, old);
    vi.advanceTimersByTime(LOCK_HEARTBEAT_MS);
    expect(statSync(`${path}.lock`).mtimeMs).toBeGreaterThan(old.getTime() + LOCK_STALE_MS);
    lock.release();
  });
});
