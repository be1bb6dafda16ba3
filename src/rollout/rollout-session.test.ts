import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import type { InputWatermark } from './audit-entry.js';
import type { RolloutMode } from './audit-record.js';
import { PLAN_PRESETS } from './plan-presets.js';
import { planHash } from './plan-hash.js';
import type { ControllerOutput } from './rollout-controller.js';
import { RolloutSession, type RolloutSessionOptions } from './rollout-session.js';
import { RolloutStateStore } from './rollout-state-store.js';
import { NEW, OLD, proposal } from './test-support/fake-engine.js';

const T0 = 1_723_161_254_000_000;
const MIN = 60_000_000;
const PLAN = PLAN_PRESETS.standard;
const HASH = planHash(PLAN);

let dir: string;
let options: RolloutSessionOptions;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'session-'));
  options = {
    plan: PLAN,
    mode: 'manual',
    stableVersion: OLD,
    canaryVersion: NEW,
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
    configHash: HASH,
  };
});

function wm(i: number): InputWatermark {
  return {
    inputs: [{ path: 'feeds/samples/spot_btcusdt_20240808.gz', sha256: 'b'.repeat(64) }],
    eventsProcessed: i * 1000,
    lastEventTsUs: T0 + i * MIN,
  };
}

/** The script: a manual rollout through approvals, a halt, a queued guardrail rollback. */
const OPS: ReadonlyArray<(s: RolloutSession, i: number) => ControllerOutput> = [
  (s, i) => s.start(T0, wm(i)),
  (s, i) => s.transitionComplete(T0 + 1, wm(i)),
  (s, i) => s.onDecision(proposal('hold', 0), T0 + 2 * MIN, wm(i)),
  (s, i) => s.onDecision(proposal('increase', 0), T0 + 5 * MIN, wm(i)),
  (s, i) => s.approve(s.controller.pendingProposal?.id ?? -1, T0 + 6 * MIN, wm(i)),
  (s, i) => s.transitionComplete(T0 + 6 * MIN + 5, wm(i)),
  (s, i) => s.halt('desk', T0 + 7 * MIN, wm(i)),
  (s, i) => s.onDecision(proposal('increase', 1), T0 + 16 * MIN, wm(i)),
  (s, i) => s.resume(T0 + 17 * MIN, wm(i)),
  (s, i) => s.onDecision(proposal('increase', 1), T0 + 17 * MIN + 1, wm(i)),
  (s, i) => s.approve(s.controller.pendingProposal?.id ?? -1, T0 + 18 * MIN, wm(i)),
  (s, i) => s.onDecision(proposal('rollback', 2, 'guardrail'), T0 + 18 * MIN + 3, wm(i)),
  (s, i) => s.transitionComplete(T0 + 18 * MIN + 9, wm(i)),
  (s, i) => s.transitionComplete(T0 + 18 * MIN + 20, wm(i)),
];

/** Runs OPS[from..to) on `session`; returns every output. */
function runOps(session: RolloutSession, from: number, to: number): ControllerOutput[] {
  const outs: ControllerOutput[] = [];
  for (let i = from; i < to; i++) outs.push(OPS[i]!(session, i));
  return outs;
}

function reference(mode: RolloutMode = 'manual'): {
  log: Buffer;
  state: unknown;
  steps: unknown[];
} {
  const refDir = mkdtempSync(join(tmpdir(), 'session-ref-'));
  const s = RolloutSession.open({
    ...options,
    mode,
    statePath: join(refDir, 'state.json'),
    auditPath: join(refDir, 'audit.jsonl'),
  });
  const steps: unknown[] = [];
  for (let i = 0; i < OPS.length; i++) {
    OPS[i]!(s, i);
    steps.push(view(s));
  }
  s.close();
  return {
    log: readFileSync(join(refDir, 'audit.jsonl')),
    state: JSON.parse(readFileSync(join(refDir, 'state.json'), 'utf8')) as unknown,
    steps,
  };
}

function view(s: RolloutSession) {
  const c = s.controller;
  return {
    status: c.status,
    stepIndex: c.stepIndex,
    weightBps: c.weightBps,
    stepStartUs: c.stepStartUs,
    halted: c.halted,
    transition: c.transition?.seq ?? null,
    lastSeq: c.lastSeq,
  };
}

function stateError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('E_ROLLOUT_STATE');
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('RolloutSession: kill and restart', () => {
  it('the script ends rolled back, through a queued guardrail rollback (sanity of the reference)', () => {
    const ref = reference();
    expect(ref.steps.at(-1)).toMatchObject({
      status: 'rolled_back',
      weightBps: 0,
      transition: null,
    });
    expect(ref.steps[10]).toMatchObject({ status: 'step', stepIndex: 2, weightBps: 1000 });
  });

  it('resumes at the same step, weight and state after a restart at every point, and ends byte-identical', () => {
    const ref = reference();
    for (let kill = 1; kill < OPS.length; kill++) {
      rmSync(options.statePath, { force: true });
      rmSync(options.auditPath, { force: true });
      const first = RolloutSession.open(options);
      expect(first.resumedFrom).toBe('new');
      runOps(first, 0, kill);
      const before = view(first);
      first.close(); // the process dies; everything it wrote is on disk already
      const second = RolloutSession.open(options);
      expect(second.resumedFrom).toBe('state');
      expect(view(second)).toEqual(before);
      expect(view(second)).toEqual(ref.steps[kill - 1]);
      runOps(second, kill, OPS.length);
      second.close();
      expect(readFileSync(options.auditPath)).toEqual(ref.log);
      expect(JSON.parse(readFileSync(options.statePath, 'utf8'))).toEqual(ref.state);
    }
  });

  it('a crash after the log append but before the state save: the log is replayed onto the older state', () => {
    const ref = reference();
    const s = RolloutSession.open(options);
    runOps(s, 0, 9);
    copyFileSync(options.statePath, join(dir, 'older.json'));
    runOps(s, 9, 11); // proposal + approval with its transition
    s.close();
    copyFileSync(join(dir, 'older.json'), options.statePath);
    const resumed = RolloutSession.open(options);
    expect(resumed.resumedFrom).toBe('state+log');
    expect(resumed.replayed.map((e) => e.kind)).toEqual(['decision', 'operator', 'transition']);
    expect(view(resumed)).toEqual(ref.steps[10]);
    runOps(resumed, 11, OPS.length);
    resumed.close();
    expect(readFileSync(options.auditPath)).toEqual(ref.log);
  });

  it('a crash between the two lines of one call: the owed transition is written at open, as the uninterrupted run did', () => {
    const ref = reference();
    const s = RolloutSession.open(options);
    runOps(s, 0, 4);
    copyFileSync(options.statePath, join(dir, 'older.json'));
    const approve = runOps(s, 4, 5)[0]!; // approve + set-weight
    expect(approve.records.map((r) => r.kind)).toEqual(['operator', 'transition']);
    s.close();
    // drop the transition line, and the state saved after it
    const lines = readFileSync(options.auditPath, 'utf8').split('\n');
    writeFileSync(options.auditPath, `${lines.slice(0, -2).join('\n')}\n`);
    copyFileSync(join(dir, 'older.json'), options.statePath);
    const resumed = RolloutSession.open(options);
    expect(resumed.recovered.commands).toEqual(approve.commands);
    expect(resumed.recovered.records).toEqual(approve.records.slice(1));
    expect(view(resumed)).toEqual(ref.steps[4]);
    runOps(resumed, 5, OPS.length);
    resumed.close();
    expect(readFileSync(options.auditPath)).toEqual(ref.log);
  });

  it('without a state file, replays the whole log', () => {
    const ref = reference();
    const s = RolloutSession.open(options);
    runOps(s, 0, 8);
    s.close();
    rmSync(options.statePath);
    const resumed = RolloutSession.open(options);
    expect(resumed.resumedFrom).toBe('log');
    expect(view(resumed)).toEqual(ref.steps[7]);
    expect(existsSync(options.statePath)).toBe(true);
  });

  it('a torn last line: refused without the repair option; with it, moved aside and resumed before it', () => {
    const ref = reference();
    const s = RolloutSession.open(options);
    runOps(s, 0, 6);
    s.close();
    appendFileSync(options.auditPath, '{"seq":9,"tsUs":17231612');
    expect(() => RolloutSession.open(options)).toThrow(
      /audit\.jsonl:\d+: torn last line \(no-final-newline, 24 bytes/,
    );
    const resumed = RolloutSession.open({ ...options, repairTornLine: true });
    expect(resumed.torn).toMatchObject({ length: 24, reason: 'no-final-newline' });
    expect(resumed.repair?.entry.kind).toBe('repair');
    expect(resumed.resumedFrom).toBe('state+log');
    expect(readFileSync(`${options.auditPath}.torn`, 'utf8')).toBe('{"seq":9,"tsUs":17231612');
    const v = view(resumed);
    expect({ ...v, lastSeq: v.lastSeq - 1 }).toEqual(ref.steps[5]);
    runOps(resumed, 6, OPS.length);
    expect(resumed.controller.status).toBe('rolled_back');
    resumed.close();
  });

  it('refuses a corrupt state file, a state newer than the log, another plan, mode or versions', () => {
    const s = RolloutSession.open(options);
    runOps(s, 0, 6);
    s.close();
    const saved = readFileSync(options.statePath, 'utf8');
    writeFileSync(options.statePath, saved.slice(0, saved.length / 2));
    expect(stateError(() => RolloutSession.open(options))).toMatch(
      /state\.json: corrupt rollout state: not valid JSON/,
    );
    writeFileSync(options.statePath, saved.replace('"weightBps": 500', '"weightBps": "500"'));
    expect(stateError(() => RolloutSession.open(options))).toMatch(
      /state\.json: invalid rollout state: weightBps: /,
    );
    writeFileSync(options.statePath, saved.replace('"weightBps": 500', '"weightBps": 2500'));
    expect(stateError(() => RolloutSession.open(options))).toMatch(/weightBps: 2500/);
    writeFileSync(options.statePath, saved);
    expect(stateError(() => RolloutSession.open({ ...options, mode: 'auto' }))).toMatch(
      /started with mode manual/,
    );
    expect(
      stateError(() => RolloutSession.open({ ...options, canaryVersion: 'momentum@3.0.0' })),
    ).toMatch(/versions/);
    expect(
      stateError(() =>
        RolloutSession.open({ ...options, plan: PLAN_PRESETS.classic, configHash: HASH }),
      ),
    ).toMatch(/another plan/);
    const lines = readFileSync(options.auditPath, 'utf8').split('\n');
    writeFileSync(options.auditPath, `${lines.slice(0, 3).join('\n')}\n`);
    expect(stateError(() => RolloutSession.open(options))).toMatch(
      /state is at audit record 8 but .* ends at 3/,
    );
  });
});

describe('RolloutStateStore', () => {
  it('writes atomically (no temp file left) and reads back what it wrote', () => {
    const s = RolloutSession.open(options);
    runOps(s, 0, 3);
    s.close();
    const store = new RolloutStateStore(options.statePath);
    const snap = store.load();
    expect(snap).toEqual(s.controller.snapshot());
    expect(existsSync(`${options.statePath}.tmp`)).toBe(false);
    store.save(snap!);
    expect(store.load()).toEqual(snap);
    expect(new RolloutStateStore(join(dir, 'none.json')).load()).toBeNull();
  });

  it('an unwritable path is an output error', () => {
    const store = new RolloutStateStore(join(dir, 'missing-dir', 'state.json'));
    const s = RolloutSession.open(options);
    expect(() => store.save(s.controller.snapshot())).toThrow(
      expect.objectContaining({ code: 'E_OUTPUT' }) as Error,
    );
    s.close();
  });

  it('a truncated state file is a clear error, not a crash', () => {
    writeFileSync(options.statePath, '{"type":"rollout-state","formatVersion":1');
    truncateSync(options.statePath, 20);
    expect(stateError(() => new RolloutStateStore(options.statePath).load())).toMatch(
      /^.*state\.json: corrupt rollout state/,
    );
  });
});
