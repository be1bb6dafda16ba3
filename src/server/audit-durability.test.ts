import type * as fs from 'node:fs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNTS, T0_MS, testCanary } from '../embed/test-support/bot-driver.js';
import { readAuditLog } from '../rollout/index.js';
import { createCanaryServer, type CanaryServer } from './create-canary-server.js';
import { TestClient } from './test-support/test-client.js';

/** When set, an fsync of a file whose path this returns true for fails (EIO). */
const fault = vi.hoisted(() => ({
  failFsync: null as ((path: string) => boolean) | null,
  paths: new Map<number, string>(),
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const wrapped = {
    ...actual,
    openSync: (...args: Parameters<typeof actual.openSync>): number => {
      const fd = actual.openSync(...args);
      fault.paths.set(fd, String(args[0]));
      return fd;
    },
    fsyncSync: (fd: number): void => {
      const path = fault.paths.get(fd) ?? '';
      if (fault.failFsync?.(path) === true) {
        throw Object.assign(new Error(`EIO: i/o error, fsync '${path}'`), { code: 'EIO' });
      }
      actual.fsyncSync(fd);
    },
  };
  return { ...wrapped, default: wrapped };
});

const TOKENS = { operator: 'operator-token-0123456789', agent: 'agent-token-0123456789' };
const opened: { servers: CanaryServer[]; clients: TestClient[] } = { servers: [], clients: [] };

afterEach(async () => {
  fault.failFsync = null;
  for (const client of opened.clients.splice(0)) client.close();
  await Promise.all(opened.servers.splice(0).map((server) => server.close()));
});

describe('the server over a persisted rollout: an audit record that cannot be made durable', () => {
  it('is not acted on: the command fails, no account moves, no decision or move goes out, the state is not saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'server-durability-'));
    const auditPath = join(dir, 'audit.jsonl');
    const statePath = join(dir, 'state.json');
    const canary = testCanary({ auditPath, statePath });
    const server = await createCanaryServer({ canary, tokens: TOKENS });
    opened.servers.push(server);
    const hello = async (h: { role: string; token?: string; agentId?: string }) => {
      const client = await TestClient.hello(server.url, h);
      opened.clients.push(client);
      return client;
    };
    const subscriber = await hello({ role: 'subscriber' });
    const operator = await hello({ role: 'operator', token: TOKENS.operator });
    canary.clock.advance(T0_MS); // starts the rollout: the first step's accounts move to the canary
    const routes = () => ACCOUNTS.map((a) => canary.route(a.id));
    const before = routes();
    expect(before).toContain('canary');
    const savedState = readFileSync(statePath);
    const savedLog = readAuditLog(auditPath);
    const moved: unknown[] = [];
    const decided: unknown[] = [];
    canary.assignments$.subscribe((m) => moved.push(m));
    canary.decisions$.subscribe((d) => decided.push(d));

    fault.failFsync = (path) => path === auditPath;
    operator.send({ type: 'command', command: 'rollback', reason: 'disk test', requestId: 'op-1' });
    const error = await operator.next<'error'>((f) => f.type === 'error' && f.requestId === 'op-1');
    expect(error).toMatchObject({ code: 'COMMAND_FAILED' });
    expect(error.message).toMatch(/audit\.jsonl/);
    expect(operator.frames.some((f) => f.type === 'result')).toBe(false);

    // Nothing took effect: every account trades where it did, no move or decision went out (the
    // handler is synchronous: all of it happened before the error frame), nothing was saved.
    expect(routes()).toEqual(before);
    expect(moved).toEqual([]);
    expect(decided).toEqual([]);
    expect(
      subscriber.frames.some((f) => f.type === 'assignment' && f.assignment.from === 'canary'),
    ).toBe(false);
    expect(readFileSync(statePath)).toEqual(savedState);
    expect(JSON.parse(savedState.toString('utf8'))).toMatchObject({ lastSeq: savedLog.lastSeq });
  });
});
