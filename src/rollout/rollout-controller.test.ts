import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { US_PER_MINUTE } from '../core/time.js';
import { BUCKET_COUNT } from '../router/index.js';
import { referenceMurmur3 } from '../router/test-support/reference-murmur3.js';
import { parsePlan } from './parse-plan.js';
import { PLAN_PRESETS } from './plan-presets.js';
import type { RolloutPlan } from './plan.js';
import { RolloutController, type ControllerOutput } from './rollout-controller.js';
import type { RolloutMode } from './audit-record.js';
import { FakeEngine, NEW, OLD, proposal, SALT } from './test-support/fake-engine.js';

const T0 = 1_723_161_254_000_000; // 2024-08-08T23:54:14Z
const MIN = US_PER_MINUTE;

/** A controller and a fake engine that applies its commands (and acknowledges them on demand). */
function harness(plan: RolloutPlan, mode: RolloutMode = 'auto', recordRepeats = false) {
  const c = new RolloutController({
    plan,
    mode,
    stableVersion: OLD,
    canaryVersion: NEW,
    recordRepeats,
  });
  const engine = new FakeEngine(300);
  const log: ControllerOutput['records'][number][] = [];
  const run = (output: ControllerOutput): ControllerOutput => {
    log.push(...output.records);
    for (const command of output.commands) engine.apply(command);
    return output;
  };
  const complete = (nowUs: number): ControllerOutput => {
    const out = c.transitionComplete(nowUs);
    engine.complete();
    // a queued rollback starts in the same call
    return run(out);
  };
  return { c, engine, log, run, complete };
}

/** Independent count: accounts without override whose murmur3 bucket is below `bps`, plus canary pins. */
function expectedCanary(engine: FakeEngine, bps: number): number {
  let n = 0;
  for (const id of engine.ids) {
    const override = engine.router.overrideOf(id);
    if (override === 'canary') n++;
    else if (override === undefined && referenceMurmur3(`${SALT}:${id}`) % BUCKET_COUNT < bps) n++;
  }
  return n;
}

describe('RolloutController: start and advance', () => {
  it('starts pending at weight 0, then moves to step 0 with a set-weight command', () => {
    const { c, engine, run } = harness(PLAN_PRESETS.standard);
    expect(c.status).toBe('pending');
    expect(c.weightBps).toBe(0);
    expect(c.stepIndex).toBeNull();
    const out = run(c.start(T0));
    expect(out.records.map((r) => `${r.kind}:${r.action}:${r.disposition}`)).toEqual([
      'start:start:applied',
      'transition:set-weight:applied',
    ]);
    expect(out.commands).toEqual([
      {
        type: 'set-weight',
        transitionSeq: 2,
        stepIndex: 0,
        fromWeightPct: 0,
        toWeightPct: 1,
        fromWeightBps: 0,
        toWeightBps: 100,
        shadow: false,
        positions: 'flatten',
      },
    ]);
    expect(c.status).toBe('step');
    expect(c.stepIndex).toBe(0);
    expect(c.weightBps).toBe(100);
    expect(c.stepStartUs).toBe(T0);
    expect(engine.router.weightBps).toBe(100);
    expect(c.transition?.seq).toBe(2);
  });

  it('starts a plan with a shadow step in status shadow at weight 0 (paper only)', () => {
    const { c, engine, run } = harness(PLAN_PRESETS.short);
    const out = run(c.start(T0));
    expect(out.commands[0]).toMatchObject({ type: 'set-weight', toWeightBps: 0, shadow: true });
    expect(c.status).toBe('shadow');
    expect(engine.canaryCount()).toBe(0);
  });

  it('seed 000 E (phase not updated): an increase moves step, weight and step start together', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0 + 1000);
    const out = run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    expect(out.records.map((r) => r.kind)).toEqual(['decision', 'transition']);
    expect(out.records[1]).toMatchObject({
      ref: out.records[0]!.seq,
      stepIndex: 1,
      fromWeightPct: 1,
      toWeightPct: 5,
    });
    expect(c.stepIndex).toBe(1);
    expect(c.weightPct).toBe(5);
    expect(c.stepStartUs).toBe(T0 + 5 * MIN);
    expect(c.step?.name).toBe('5%');
    expect(engine.router.weightBps).toBe(500);
  });

  it('seed 000 A/D (traffic share, percentage arithmetic): canary accounts are exactly those below the weight in bps', () => {
    const plan = parsePlan(
      {
        steps: [
          { weightPct: 0.01, minDurationMs: 0 },
          { weightPct: 2.5, minDurationMs: 0 },
          { weightPct: 12.34, minDurationMs: 0 },
          { weightPct: 33.33, minDurationMs: 0 },
          { weightPct: 100, minDurationMs: 0 },
        ],
      },
      'odd-weights.json',
    );
    const { c, engine, run, complete } = harness(plan);
    run(c.start(T0));
    const expectedBps = [1, 250, 1234, 3333, 10_000];
    for (let step = 0; step < expectedBps.length; step++) {
      complete(T0 + step * 10);
      expect(c.weightBps).toBe(expectedBps[step]);
      expect(engine.router.weightBps).toBe(expectedBps[step]);
      expect(engine.canaryCount()).toBe(expectedCanary(engine, expectedBps[step]!));
      if (step < expectedBps.length - 1)
        run(c.onDecision(proposal('increase', step), T0 + step * 10 + 5));
    }
  });

  it('runs a whole plan in auto mode to promotion, each step only on a fresh passing proposal', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS.aggressive);
    run(c.start(T0));
    complete(T0);
    run(c.onDecision(proposal('increase', 0), T0 + MIN));
    complete(T0 + MIN);
    run(c.onDecision(proposal('increase', 1), T0 + 3 * MIN));
    complete(T0 + 3 * MIN);
    expect(c.weightPct).toBe(100);
    expect(c.status).toBe('step');
    const out = run(c.onDecision(proposal('promote', 2), T0 + 4 * MIN));
    expect(out.commands).toEqual([
      {
        type: 'promote',
        transitionSeq: out.records[1]!.seq,
        fromWeightPct: 100,
        toWeightPct: 100,
        version: NEW,
        replacedVersion: OLD,
        positions: 'flatten',
      },
    ]);
    expect(c.status).toBe('promoted');
    complete(T0 + 4 * MIN + 1);
    expect(c.transition).toBeNull();
    expect(c.versions).toEqual({ stable: NEW, canary: NEW });
    expect(engine.liveVersions()).toEqual(new Set([NEW]));
    expect(c.deployments).toEqual([
      { version: OLD, arm: 'stable', fromUs: null, toUs: T0 + 4 * MIN },
      { version: NEW, arm: 'canary', fromUs: T0, toUs: T0 + 4 * MIN },
      { version: NEW, arm: 'stable', fromUs: T0 + 4 * MIN, toUs: null },
    ]);
  });
});

describe('RolloutController: refusals (seed 000 B: no promotion without analysis)', () => {
  function atStep1() {
    const h = harness(PLAN_PRESETS.standard);
    h.run(h.c.start(T0));
    h.complete(T0);
    h.run(h.c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    h.complete(T0 + 5 * MIN);
    return h;
  }

  it('refuses an advance evaluated at another step (stale)', () => {
    const { c, run } = atStep1();
    const out = run(c.onDecision(proposal('increase', 0), T0 + 20 * MIN));
    expect(out.records).toHaveLength(1);
    expect(out.records[0]).toMatchObject({
      disposition: 'refused',
      detail: { code: 'STALE_STEP' },
      evaluatedStepIndex: 0,
      stepIndex: 1,
    });
    expect(out.commands).toEqual([]);
    expect(c.stepIndex).toBe(1);
  });

  it('refuses promote before the last step and increase at the last step', () => {
    const { c, run } = atStep1();
    expect(run(c.onDecision(proposal('promote', 1), T0 + 20 * MIN)).records[0]?.detail?.code).toBe(
      'NOT_LAST_STEP',
    );
    expect(c.status).toBe('step');
    const last = harness(parsePlan({ steps: [{ weightPct: 100, minDurationMs: 0 }] }, 'one.json'));
    last.run(last.c.start(T0));
    last.complete(T0);
    expect(
      last.run(last.c.onDecision(proposal('increase', 0), T0 + 1)).records[0]?.detail?.code,
    ).toBe('LAST_STEP');
  });

  it('seed 001 D (switch during a deployment in progress): refuses any advance while a transition is in progress', () => {
    const { c, engine, run } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    const out = run(c.onDecision(proposal('increase', 0), T0 + 10 * MIN));
    expect(out.records[0]?.detail?.code).toBe('TRANSITION_IN_PROGRESS');
    expect(out.commands).toEqual([]);
    expect(engine.applied).toHaveLength(1);
  });

  it('refuses proposals before start and after the end', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.aggressive);
    expect(run(c.onDecision(proposal('increase', 0), T0)).records[0]?.detail?.code).toBe(
      'NOT_STARTED',
    );
    run(c.start(T0));
    complete(T0);
    run(c.onDecision(proposal('rollback', 0, 'guardrail'), T0 + 1));
    complete(T0 + 2);
    expect(run(c.onDecision(proposal('increase', 0), T0 + 3)).records[0]?.detail?.code).toBe(
      'ROLLOUT_OVER',
    );
    expect(run(c.start(T0 + 4)).records[0]?.detail?.code).toBe('ALREADY_STARTED');
  });

  it('records a repeated hold or refusal once, unless recordRepeats', () => {
    const quiet = harness(PLAN_PRESETS.standard);
    quiet.run(quiet.c.start(T0));
    quiet.complete(T0);
    for (let i = 1; i <= 5; i++) quiet.run(quiet.c.onDecision(proposal('hold', 0), T0 + i));
    quiet.run(quiet.c.onDecision(proposal('hold', 0, 'analysis', ['STEP_MIN_FILLS']), T0 + 6));
    quiet.run(quiet.c.onDecision(proposal('hold', 0), T0 + 7));
    expect(quiet.log.filter((r) => r.action === 'hold')).toHaveLength(3);
    const loud = harness(PLAN_PRESETS.standard, 'auto', true);
    loud.run(loud.c.start(T0));
    loud.complete(T0);
    for (let i = 1; i <= 5; i++) loud.run(loud.c.onDecision(proposal('hold', 0), T0 + i));
    expect(loud.log.filter((r) => r.action === 'hold')).toHaveLength(5);
  });

  it('throws on event time going back and on an acknowledgement with no transition', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0 + 10);
    expect(() => c.tick(T0 + 9)).toThrow(RangeError);
    expect(() => c.tick(1.5)).toThrow(RangeError);
    expect(() => c.transitionComplete(T0 + 11)).toThrow(/no transition in progress/);
  });
});

describe('RolloutController: rollback (seed 000 C: no canary account left behind)', () => {
  it('a guardrail rollback applies at once even in manual mode: kill switch, weight 0, old version everywhere', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS.standard, 'manual');
    run(c.start(T0));
    complete(T0);
    expect(engine.canaryCount()).toBeGreaterThan(0);
    const out = run(c.onDecision(proposal('rollback', 0, 'guardrail'), T0 + MIN));
    expect(out.records.map((r) => `${r.kind}:${r.disposition}`)).toEqual([
      'decision:applied',
      'transition:applied',
    ]);
    expect(out.records[0]?.guardrails[0]).toMatchObject({
      name: 'canaryDrawdownPct',
      breached: true,
    });
    expect(out.commands).toEqual([
      {
        type: 'rollback',
        transitionSeq: 5,
        fromWeightPct: 1,
        toWeightPct: 0,
        toVersion: OLD,
        fromVersion: NEW,
        positions: 'flatten',
      },
    ]);
    expect(c.status).toBe('rolled_back');
    expect(c.weightBps).toBe(0);
    // canary pins (every 20th account) included
    expect(engine.canaryCount()).toBe(0);
    expect(engine.liveVersions()).toEqual(new Set([OLD]));
    expect(c.versionOf('canary')).toBeNull();
  });

  it('an analysis rollback applies in auto mode and waits as a proposal in manual mode', () => {
    const auto = harness(PLAN_PRESETS.standard);
    auto.run(auto.c.start(T0));
    auto.complete(T0);
    auto.run(auto.c.onDecision(proposal('rollback', 0), T0 + 1));
    expect(auto.c.status).toBe('rolled_back');
    const manual = harness(PLAN_PRESETS.standard, 'manual');
    manual.run(manual.c.start(T0));
    manual.complete(T0);
    const out = manual.run(manual.c.onDecision(proposal('rollback', 0), T0 + 1));
    expect(out.records[0]).toMatchObject({ disposition: 'proposed', seq: 4 });
    expect(manual.c.status).toBe('step');
    expect(manual.c.pendingProposal?.id).toBe(4);
    manual.run(manual.c.approve(4, T0 + 2));
    expect(manual.c.status).toBe('rolled_back');
    expect(manual.engine.canaryCount()).toBe(0);
  });

  it('seed 001 C (rollback to a version never deployed): force-rollback to an unknown or non-previous version is refused', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0);
    const unknown = run(c.forceRollback('ops', T0 + 1, 'momentum@0.9.0'));
    expect(unknown.records[0]?.detail?.code).toBe('ROLLBACK_TARGET_NEVER_DEPLOYED');
    const canary = run(c.forceRollback('ops', T0 + 2, NEW));
    expect(canary.records[0]?.detail?.code).toBe('ROLLBACK_TARGET_NOT_PREVIOUS');
    expect(c.status).toBe('step');
    const ok = run(c.forceRollback('ops', T0 + 3, OLD));
    expect(ok.commands[0]).toMatchObject({ type: 'rollback', toVersion: OLD });
  });

  it('a force-rollback during an increase in progress is queued, then starts the moment it completes', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0);
    run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    expect(c.transition?.type).toBe('set-weight');
    const queued = run(c.forceRollback('desk call', T0 + 5 * MIN + 10));
    expect(queued.records[0]).toMatchObject({ action: 'force-rollback', disposition: 'queued' });
    expect(queued.commands).toEqual([]);
    expect(c.queuedRollback?.seq).toBe(queued.records[0]!.seq);
    // nothing else gets in meanwhile
    expect(
      run(c.onDecision(proposal('increase', 1), T0 + 5 * MIN + 20)).records[0]?.detail?.code,
    ).toBe('TRANSITION_IN_PROGRESS');
    expect(run(c.forceRollback('again', T0 + 5 * MIN + 21)).records[0]?.detail?.code).toBe(
      'ROLLBACK_QUEUED',
    );
    expect(
      run(c.onDecision(proposal('rollback', 1, 'guardrail'), T0 + 5 * MIN + 22)).records[0]?.detail
        ?.code,
    ).toBe('ROLLBACK_QUEUED');
    const done = complete(T0 + 5 * MIN + 30);
    expect(done.records.map((r) => `${r.kind}:${r.action}`)).toEqual([
      'transition-complete:set-weight',
      'transition:rollback',
    ]);
    expect(done.records[1]?.ref).toBe(queued.records[0]!.seq);
    expect(done.records[1]?.trigger).toBe('operator');
    expect(c.status).toBe('rolled_back');
    expect(engine.canaryCount()).toBe(0);
  });
});

describe('RolloutController: promotion (seed 001 B: never both versions live after the switch)', () => {
  it('promote routes every account to the new version, stable pins and exclusions included', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS['blue-green']);
    run(c.start(T0));
    complete(T0);
    expect(engine.liveVersions()).toEqual(new Set([OLD]));
    run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    complete(T0 + 5 * MIN);
    // the atomic switch: every account without an override is on the new version at once
    expect(c.weightPct).toBe(100);
    for (const id of engine.ids)
      if (engine.router.overrideOf(id) === undefined) expect(engine.versionOf(id)).toBe(NEW);
    run(c.onDecision(proposal('promote', 1), T0 + 10 * MIN));
    expect(engine.liveVersions()).toEqual(new Set([NEW]));
    for (const id of engine.ids) expect(engine.router.route(id)).toBe('canary');
    expect(engine.router.promoted).toBe(true);
  });

  it('seed 001 A (switch without a health check): blue-green never leaves shadow without a passing proposal at the shadow step', () => {
    const { c, engine, run, complete } = harness(PLAN_PRESETS['blue-green']);
    run(c.start(T0));
    complete(T0);
    run(c.onDecision(proposal('hold', 0), T0 + 5 * MIN));
    run(c.onDecision(proposal('promote', 0), T0 + 5 * MIN + 1));
    run(c.onDecision(proposal('increase', 1), T0 + 5 * MIN + 2));
    run(c.tick(T0 + 14 * MIN));
    expect(c.status).toBe('shadow');
    expect(engine.router.weightBps).toBe(0);
    expect(engine.applied).toHaveLength(1);
  });
});

describe('RolloutController: manual mode', () => {
  function manualAtStep0() {
    const h = harness(PLAN_PRESETS.standard, 'manual');
    h.run(h.c.start(T0));
    h.complete(T0);
    return h;
  }

  it('an increase waits for approval; approve applies it', () => {
    const { c, run } = manualAtStep0();
    const proposed = run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    expect(proposed.records[0]).toMatchObject({ disposition: 'proposed', seq: 4 });
    expect(proposed.commands).toEqual([]);
    expect(c.weightPct).toBe(1);
    const approved = run(c.approve(4, T0 + 6 * MIN));
    expect(approved.records.map((r) => `${r.kind}:${r.action}:${r.disposition}`)).toEqual([
      'operator:approve:applied',
      'transition:set-weight:applied',
    ]);
    expect(approved.records[0]?.ref).toBe(4);
    expect(c.weightPct).toBe(5);
    expect(c.stepStartUs).toBe(T0 + 6 * MIN);
  });

  it('reject drops the proposal; approving an unknown id is refused', () => {
    const { c, run } = manualAtStep0();
    run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    expect(run(c.approve(99, T0 + 5 * MIN + 1)).records[0]?.detail?.code).toBe('NO_SUCH_PROPOSAL');
    // an id the log cannot carry is recorded with ref null (the log stays readable)
    expect(run(c.approve(-1, T0 + 5 * MIN + 1)).records[0]).toMatchObject({
      ref: null,
      disposition: 'refused',
    });
    expect(run(c.reject(4, 'not during the auction', T0 + 5 * MIN + 2)).records[0]).toMatchObject({
      disposition: 'applied',
      ref: 4,
    });
    expect(c.pendingProposal).toBeNull();
    expect(run(c.approve(4, T0 + 5 * MIN + 3)).records[0]?.detail?.code).toBe('NO_SUCH_PROPOSAL');
    expect(c.weightPct).toBe(1);
  });

  it('a repeated proposal keeps the waiting id; a later hold voids it; a rollback supersedes it', () => {
    const { c, run } = manualAtStep0();
    run(c.onDecision(proposal('increase', 0), T0 + 1));
    expect(run(c.onDecision(proposal('increase', 0), T0 + 2)).records[0]?.detail?.code).toBe(
      'PROPOSAL_ALREADY_PENDING',
    );
    expect(run(c.onDecision(proposal('increase', 0), T0 + 3)).records).toHaveLength(0);
    expect(c.pendingProposal?.id).toBe(4);
    run(c.onDecision(proposal('hold', 0), T0 + 4));
    expect(c.pendingProposal).toBeNull();
    const again = run(c.onDecision(proposal('increase', 0), T0 + 5));
    const rollback = run(c.onDecision(proposal('rollback', 0), T0 + 6));
    expect(rollback.records[0]).toMatchObject({
      disposition: 'proposed',
      ref: again.records[0]!.seq,
    });
    expect(c.pendingProposal?.action).toBe('rollback');
    expect(run(c.onDecision(proposal('increase', 0), T0 + 7)).records[0]?.detail?.code).toBe(
      'ROLLBACK_PENDING',
    );
    expect(run(c.onDecision(proposal('hold', 0), T0 + 8)).records).toHaveLength(1);
    expect(c.pendingProposal?.action).toBe('rollback');
  });

  it('approving an advance while halted is refused and the proposal keeps waiting', () => {
    const { c, run } = manualAtStep0();
    run(c.onDecision(proposal('increase', 0), T0 + 1));
    run(c.halt('news at 14:30', T0 + 2));
    expect(run(c.approve(4, T0 + 3)).records[0]?.detail?.code).toBe('HALTED');
    expect(c.pendingProposal?.id).toBe(4);
    run(c.resume(T0 + 4));
    run(c.approve(4, T0 + 5));
    expect(c.weightPct).toBe(5);
  });
});

describe('RolloutController: halt and max duration', () => {
  it('halted: no advance; rollbacks still apply (analysis ones in auto mode, guardrail ones always)', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0);
    run(c.halt('watching', T0 + 1));
    expect(c.halted).toBe(true);
    expect(run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN)).records[0]?.detail?.code).toBe(
      'HALTED',
    );
    expect(run(c.halt('again', T0 + 5 * MIN + 1)).records[0]?.detail?.code).toBe('ALREADY_HALTED');
    const rollback = run(c.onDecision(proposal('rollback', 0), T0 + 5 * MIN + 2));
    expect(rollback.records[0]?.disposition).toBe('applied');
    expect(c.status).toBe('rolled_back');
    const manual = harness(PLAN_PRESETS.standard, 'manual');
    manual.run(manual.c.start(T0));
    manual.complete(T0);
    manual.run(manual.c.halt('watching', T0 + 1));
    manual.run(manual.c.onDecision(proposal('rollback', 0, 'guardrail'), T0 + 2));
    expect(manual.c.status).toBe('rolled_back');
  });

  it('resume lifts the halt; a resume without a halt is refused', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0);
    expect(run(c.resume(T0 + 1)).records[0]?.detail?.code).toBe('NOT_HALTED');
    run(c.halt('x', T0 + 2));
    run(c.resume(T0 + 3));
    run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    expect(c.weightPct).toBe(5);
  });

  it('before the start (a baseline): a halt holds the start until resume, a force-rollback ends the rollout with no canary account', () => {
    const held = harness(PLAN_PRESETS.standard);
    expect(held.run(held.c.halt('not yet', T0)).records[0]).toMatchObject({
      action: 'halt',
      disposition: 'applied',
    });
    expect(held.c).toMatchObject({ status: 'pending', halted: true });
    expect(held.run(held.c.start(T0 + 1)).records[0]?.detail?.code).toBe('HALTED');
    expect(held.c.status).toBe('pending');
    expect(held.engine.applied).toEqual([]);
    held.run(held.c.resume(T0 + 2));
    held.run(held.c.start(T0 + 3));
    held.complete(T0 + 3);
    expect(held.c).toMatchObject({ status: 'step', weightPct: 1 });

    const { c, engine, log, run, complete } = harness(PLAN_PRESETS.standard);
    const out = run(c.forceRollback('not this version', T0));
    expect(out.records.map((r) => `${r.kind}/${r.action}/${r.disposition}`)).toEqual([
      'operator/force-rollback/applied',
      'transition/rollback/applied',
    ]);
    expect(out.commands).toMatchObject([{ type: 'rollback', toVersion: OLD, toWeightPct: 0 }]);
    complete(T0);
    expect(c).toMatchObject({ status: 'rolled_back', stepIndex: null, weightBps: 0 });
    expect(engine.canaryCount()).toBe(0);
    expect(engine.liveVersions()).toEqual(new Set([OLD]));
    expect(run(c.start(T0 + 1)).records[0]?.detail?.code).toBe('ALREADY_STARTED');
    // The log replays to the same state, and the state restores.
    const replica = new RolloutController({
      plan: PLAN_PRESETS.standard,
      mode: 'auto',
      stableVersion: OLD,
      canaryVersion: NEW,
    });
    for (const record of log) replica.replay(record);
    expect(replica.snapshot()).toEqual(c.snapshot());
    const restored = RolloutController.restore(
      JSON.parse(JSON.stringify(c.snapshot())),
      PLAN_PRESETS.standard,
    );
    expect(restored.snapshot()).toEqual(c.snapshot());
  });

  it('halts exactly at the step maximum (90 min for standard 1 %), once per step', () => {
    const { c, run, complete } = harness({ ...PLAN_PRESETS.standard, onMaxDuration: 'halt' });
    run(c.start(T0));
    complete(T0 + 5);
    const maxUs = 90 * MIN;
    expect(run(c.tick(T0 + maxUs - 1)).records).toHaveLength(0);
    const out = run(c.onDecision(proposal('hold', 0), T0 + maxUs));
    expect(out.records.map((r) => `${r.kind}:${r.action}`)).toEqual([
      'decision:hold',
      'timeout:halt',
    ]);
    expect(out.records[1]?.detail?.code).toBe('MAX_DURATION');
    expect(c.halted).toBe(true);
    run(c.resume(T0 + maxUs + 1));
    expect(run(c.tick(T0 + maxUs + MIN)).records).toHaveLength(0);
    expect(c.halted).toBe(false);
  });

  it('rolls back at the maximum when the step says so (auto), proposes it (manual)', () => {
    const plan = parsePlan(
      {
        steps: [
          { weightPct: 10, minDurationMs: 1000, maxDurationMs: 2000, onMaxDuration: 'rollback' },
          { weightPct: 100, minDurationMs: 0 },
        ],
        analysisIntervalMs: 1000,
      },
      'p.json',
    );
    const auto = harness(plan);
    auto.run(auto.c.start(T0));
    auto.complete(T0);
    const out = auto.run(auto.c.tick(T0 + 2_000_000));
    expect(out.records.map((r) => `${r.kind}:${r.action}:${r.disposition}`)).toEqual([
      'timeout:rollback:applied',
      'transition:rollback:applied',
    ]);
    expect(auto.c.status).toBe('rolled_back');
    const manual = harness(plan, 'manual');
    manual.run(manual.c.start(T0));
    manual.complete(T0);
    manual.run(manual.c.tick(T0 + 2_000_000));
    expect(manual.c.pendingProposal).toMatchObject({ action: 'rollback', trigger: 'max-duration' });
    expect(manual.c.status).toBe('step');
  });
});

describe('RolloutController: snapshot and restore', () => {
  it('restores an identical controller at any point', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard, 'manual');
    const points: unknown[] = [c.snapshot()];
    run(c.start(T0));
    points.push(c.snapshot());
    complete(T0);
    run(c.onDecision(proposal('increase', 0), T0 + 5 * MIN));
    points.push(c.snapshot());
    run(c.halt('h', T0 + 5 * MIN + 1));
    run(c.approve(4, T0 + 5 * MIN + 2));
    points.push(c.snapshot());
    for (const snap of points) {
      const copy = JSON.parse(JSON.stringify(snap)) as unknown;
      expect(RolloutController.restore(copy, PLAN_PRESETS.standard).snapshot()).toEqual(snap);
    }
  });

  it('seed 001 E (inconsistent state): refuses a snapshot that contradicts itself or the plan', () => {
    const { c, run, complete } = harness(PLAN_PRESETS.standard);
    run(c.start(T0));
    complete(T0);
    const good = c.snapshot();
    const bad = (patch: Record<string, unknown>, plan: RolloutPlan = PLAN_PRESETS.standard) => {
      try {
        RolloutController.restore({ ...good, ...patch }, plan);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).code).toBe('E_ROLLOUT_STATE');
        return (error as Error).message;
      }
      throw new Error('restore accepted a bad snapshot');
    };
    expect(bad({ weightBps: 500 })).toMatch(/weightBps: 500/);
    expect(bad({}, PLAN_PRESETS.aggressive)).toMatch(/another plan/);
    expect(bad({ stepIndex: 9 })).toMatch(/stepIndex/);
    expect(bad({ deployments: [] })).toMatch(/deployments/);
    expect(bad({ versions: { stable: 'momentum@0.1.0', canary: NEW } })).toMatch(/stable arm runs/);
    expect(bad({ status: 'promoted' })).toMatch(/weightBps|promoted/);
    expect(bad({ formatVersion: 2 })).toMatch(/formatVersion/);
  });
});

describe('RolloutController: A/A runs', () => {
  it('accepts the same label on both arms (--stable X --canary X) and still rolls back to the deployed stable', () => {
    const c = new RolloutController({
      plan: PLAN_PRESETS.aggressive,
      mode: 'auto',
      stableVersion: OLD,
      canaryVersion: OLD,
    });
    c.start(T0);
    c.transitionComplete(T0);
    const out = c.forceRollback('a/a check', T0 + 1, OLD);
    expect(out.commands[0]).toMatchObject({ type: 'rollback', toVersion: OLD, fromVersion: OLD });
    expect(c.status).toBe('rolled_back');
    expect(
      () =>
        new RolloutController({
          plan: PLAN_PRESETS.aggressive,
          mode: 'auto',
          stableVersion: '',
          canaryVersion: OLD,
        }),
    ).toThrow(TypeError);
  });
});
