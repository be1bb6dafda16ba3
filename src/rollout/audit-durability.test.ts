import type * as fs from 'node:fs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InputWatermark } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { PLAN_PRESETS } from './plan-presets.js';
import { planHash } from './plan-hash.js';
import { readAuditLog } from './read-audit-log.js';
import { RolloutController, type ControllerOutput } from './rollout-controller.js';
import { RolloutSession } from './rollout-session.js';
import { NEW, OLD, proposal } from './test-support/fake-engine.js';

/**
 * "Each record is on disk before anything is applied" (docs/rollout.md, "Audit log"), checked at
 * the file system: every write, fsync and rename the audit log and the state store make goes
 * through a journal (node:fs is wrapped), and a fault can be planted in the log's fsync.
 */
interface FsCall {
  readonly op: 'open' | 'write' | 'fsync' | 'close' | 'rename';
  readonly path: string;
}

const journal = vi.hoisted(() => ({
  calls: [] as Array<{ op: 'open' | 'write' | 'fsync' | 'close' | 'rename'; path: string }>,
  paths: new Map<number, string>(),
  /** When set, an fsync of a file whose path this returns true for fails (EIO). */
  failFsync: null as ((path: string) => boolean) | null,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const pathOf = (fd: number): string => journal.paths.get(fd) ?? `fd:${fd}`;
  const wrapped = {
    ...actual,
    openSync: (...args: Parameters<typeof actual.openSync>): number => {
      const fd = actual.openSync(...args);
      journal.paths.set(fd, String(args[0]));
      journal.calls.push({ op: 'open', path: String(args[0]) });
      return fd;
    },
    writeSync: ((fd: number, ...rest: unknown[]) => {
      journal.calls.push({ op: 'write', path: pathOf(fd) });
      return (actual.writeSync as (fd: number, ...rest: unknown[]) => number)(fd, ...rest);
    }) as typeof actual.writeSync,
    fsyncSync: (fd: number): void => {
      const path = pathOf(fd);
      if (journal.failFsync?.(path) === true) {
        throw Object.assign(new Error(`EIO: i/o error, fsync '${path}'`), { code: 'EIO' });
      }
      journal.calls.push({ op: 'fsync', path });
      actual.fsyncSync(fd);
    },
    closeSync: (fd: number): void => {
      journal.calls.push({ op: 'close', path: pathOf(fd) });
      journal.paths.delete(fd);
      actual.closeSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike): void => {
      journal.calls.push({ op: 'rename', path: String(to) });
      actual.renameSync(from, to);
    },
  };
  return { ...wrapped, default: wrapped };
});

const T0 = 1_723_161_254_000_000;
const PLAN = PLAN_PRESETS.standard;
const HASH = planHash(PLAN);
const WM: InputWatermark = {
  inputs: [{ path: 'feeds/samples/spot_btcusdt_20240808.gz', sha256: 'c'.repeat(64) }],
  eventsProcessed: 10,
  lastEventTsUs: T0,
};

let dir: string;
let auditPath: string;
let statePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-durability-'));
  auditPath = join(dir, 'audit.jsonl');
  statePath = join(dir, 'state.json');
  journal.calls.length = 0;
  journal.failFsync = null;
});
afterEach(() => {
  journal.failFsync = null;
});

const onAudit = (calls: readonly FsCall[]) => calls.filter((c) => c.path === auditPath);
/** Index of the first call that writes the state (its temp file, or the rename over it). */
const firstStateWrite = (calls: readonly FsCall[]) =>
  calls.findIndex((c) => c.path.startsWith(statePath) && c.op !== 'close');

function openSession(): RolloutSession {
  return RolloutSession.open({
    plan: PLAN,
    mode: 'auto',
    stableVersion: OLD,
    canaryVersion: NEW,
    statePath,
    auditPath,
    configHash: HASH,
  });
}

/** A short auto rollout: start (and its weight), the transition done, an increase, done again. */
const OPS: ReadonlyArray<(s: RolloutSession) => ControllerOutput> = [
  (s) => s.start(T0, WM),
  (s) => s.transitionComplete(T0 + 1, WM),
  (s) => s.onDecision(proposal('increase', 0), T0 + 300_000_000, WM),
  (s) => s.transitionComplete(T0 + 300_000_001, WM),
  (s) => s.halt('desk', T0 + 300_000_002, WM),
];

/** The records of an auto rollout's start and its first transition. */
function startRecords() {
  const c = new RolloutController({
    plan: PLAN,
    mode: 'auto',
    stableVersion: OLD,
    canaryVersion: NEW,
  });
  return [...c.start(T0).records, ...c.transitionComplete(T0 + 1).records];
}

describe('AuditLog.append: durable before it returns', () => {
  it('writes each record and fsyncs the log before returning, every time', () => {
    const records = startRecords();
    const log = AuditLog.open(auditPath, { configHash: HASH });
    for (const record of records) {
      journal.calls.length = 0;
      log.append(record, WM);
      const ops = onAudit(journal.calls).map((call) => call.op);
      expect(ops.length).toBeGreaterThan(1);
      expect(ops.slice(0, -1).every((op) => op === 'write')).toBe(true);
      expect(ops.at(-1)).toBe('fsync'); // the last thing append does: the line is on disk
      expect(readAuditLog(auditPath).lastSeq).toBe(record.seq);
    }
    log.close();
  });

  it("a replay's log (syncEachLine: false) writes each record before returning, with no fsync", () => {
    const records = startRecords();
    const log = AuditLog.open(auditPath, { configHash: HASH, syncEachLine: false });
    for (const record of records) {
      journal.calls.length = 0;
      log.append(record, WM);
      const ops = onAudit(journal.calls).map((call) => call.op);
      expect(ops.length).toBeGreaterThan(0);
      expect(ops.every((op) => op === 'write')).toBe(true);
      expect(readAuditLog(auditPath).lastSeq).toBe(record.seq);
    }
    log.close();
  });

  it('an append whose fsync fails throws E_OUTPUT, and the log does not count the record', () => {
    const log = AuditLog.open(auditPath, { configHash: HASH });
    const c = new RolloutController({
      plan: PLAN,
      mode: 'auto',
      stableVersion: OLD,
      canaryVersion: NEW,
    });
    const [first] = c.start(T0).records;
    journal.failFsync = (path) => path === auditPath;
    expect(() => log.append(first!, WM)).toThrow(
      expect.objectContaining({ code: 'E_OUTPUT' }) as Error,
    );
    expect(log.lastSeq).toBe(0);
    log.close();
  });
});

describe('RolloutSession: each record durable before the state is saved and the commands returned', () => {
  it('every call appends and fsyncs each of its records, then saves the state', () => {
    const session = openSession();
    for (const op of OPS) {
      journal.calls.length = 0;
      const output = op(session);
      expect(output.records.length).toBeGreaterThan(0);
      const calls = [...journal.calls];
      const auditFsyncs = calls.flatMap((call, i) =>
        call.path === auditPath && call.op === 'fsync' ? [i] : [],
      );
      // One fsync per record, each after that record's writes.
      expect(auditFsyncs).toHaveLength(output.records.length);
      const stateAt = firstStateWrite(calls);
      expect(stateAt).toBeGreaterThan(-1); // the state was saved…
      expect(Math.max(...auditFsyncs)).toBeLessThan(stateAt); // …after the last record was on disk
      const lastAuditCall = calls.findLastIndex((c) => c.path === auditPath);
      expect(lastAuditCall).toBeLessThan(stateAt);
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as { lastSeq: number };
      expect(state.lastSeq).toBe(output.records.at(-1)!.seq);
      expect(readAuditLog(auditPath).lastSeq).toBe(state.lastSeq);
    }
    session.close();
  });

  it('an append that throws: the call throws, the state is not saved, no commands come out', () => {
    const session = openSession();
    OPS[0]!(session);
    OPS[1]!(session);
    const savedState = readFileSync(statePath);
    const savedLog = readAuditLog(auditPath);
    journal.failFsync = (path) => path === auditPath;
    journal.calls.length = 0;
    let output: ControllerOutput | null = null;
    expect(() => {
      output = OPS[2]!(session);
    }).toThrow(expect.objectContaining({ code: 'E_OUTPUT' }) as Error);
    expect(output).toBeNull(); // no commands for the engine to apply
    expect(firstStateWrite(journal.calls)).toBe(-1); // the state file was not touched
    expect(readFileSync(statePath)).toEqual(savedState);
    expect(JSON.parse(savedState.toString('utf8'))).toMatchObject({ lastSeq: savedLog.lastSeq });
    session.close();
  });
});
