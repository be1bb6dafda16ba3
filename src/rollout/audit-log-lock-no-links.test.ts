import type * as NodeFs from 'node:fs';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AuditLogLock } from './audit-log-lock.js';

// A file system without hard links (a network or virtual-machine share): link fails with EPERM.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return {
    ...fs,
    linkSync: () => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    },
  };
});

describe('AuditLogLock on a file system without hard links', () => {
  it('creates the lock file in place, refuses nothing of its own, and removes it on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-lock-nolink-'));
    const path = join(dir, 'audit.jsonl');
    const lock = AuditLogLock.acquire(path);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir)).toEqual(['audit.jsonl.lock']); // no draft left beside it
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
