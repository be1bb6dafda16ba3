import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecisionAction } from '../core/decision.js';
import { weightPctToBps } from '../router/index.js';
import { EMPTY_WATERMARK, formatAuditEntry, parseAuditEntry } from './audit-entry.js';
import type { AuditRecord, RolloutMode } from './audit-record.js';
import { PLAN_PRESETS, type PlanPresetName } from './plan-presets.js';
import { scalePlan } from './scale-plan.js';
import { RolloutController, type ControllerOutput } from './rollout-controller.js';
import { ROLLOUT_CODES } from './rollout-codes.js';
import { calendarArb } from './test-support/calendar-arbitraries.js';
import { TradingCalendar, type PlanCalendar } from './trading-calendar.js';
import type { RolloutStatus } from './rollout-state.js';
import { FakeEngine, NEW, OLD, proposal } from './test-support/fake-engine.js';

type Op =
  | {
      readonly op: 'decide';
      readonly action: DecisionAction;
      readonly stepDelta: number;
      readonly guardrail: boolean;
      readonly code: number;
    }
  | { readonly op: 'approve' | 'reject'; readonly pendingId: boolean; readonly id: number }
  | { readonly op: 'halt' | 'resume' | 'tick' | 'complete' | 'start' }
  | { readonly op: 'force'; readonly target: 'none' | 'old' | 'new' | 'unknown' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('decide' as const),
      action: fc.constantFrom<DecisionAction>('increase', 'promote', 'hold', 'rollback'),
      // mostly fresh (0), sometimes stale or ahead
      stepDelta: fc.oneof(
        { weight: 4, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) },
      ),
      guardrail: fc.boolean(),
      code: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 5, arbitrary: fc.constant({ op: 'complete' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constantFrom('approve' as const, 'reject' as const),
      pendingId: fc.boolean(),
      id: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { op: 'halt' as const },
      { op: 'resume' as const },
      { op: 'start' as const },
    ),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'tick' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('force' as const),
      target: fc.constantFrom('none' as const, 'old' as const, 'new' as const, 'unknown' as const),
    }),
  },
);

const ALLOWED: Readonly<Record<RolloutStatus, readonly RolloutStatus[]>> = {
  pending: ['pending', 'shadow', 'step', 'rolled_back'],
  shadow: ['shadow', 'step', 'rolled_back'],
  step: ['step', 'promoted', 'rolled_back'],
  promoted: ['promoted'],
  rolled_back: ['rolled_back'],
};

const T0 = 1_723_161_254_000_000;

function expectedWeightBps(c: RolloutController): number {
  switch (c.status) {
    case 'pending':
    case 'rolled_back':
      return 0;
    case 'promoted':
      return 10_000;
    default:
      return weightPctToBps(c.plan.steps[c.stepIndex!]!.weightPct);
  }
}

/**
 * Runs `ops` through a controller and a fake engine applying its commands to a real Router over
 * 300 accounts, checking every invariant after every operation.
 */
/** What the calendar checks of {@link check} saw: advances refused and applied under a calendar. */
interface CalendarTally {
  refused: number;
  advanced: number;
}

function check(
  presetName: PlanPresetName,
  mode: RolloutMode,
  ops: readonly Op[],
  gapsUs: readonly number[],
  calendar?: PlanCalendar,
  tally: CalendarTally = { refused: 0, advanced: 0 },
): RolloutStatus {
  // minutes-long steps scaled down so random time gaps cross the gates and maxima
  const scaled = scalePlan(PLAN_PRESETS[presetName], 0.05);
  const plan = calendar === undefined ? scaled : { ...scaled, calendar };
  const clock = calendar === undefined ? null : new TradingCalendar(calendar);
  const c = new RolloutController({ plan, mode, stableVersion: OLD, canaryVersion: NEW });
  const replica = new RolloutController({ plan, mode, stableVersion: OLD, canaryVersion: NEW });
  const engine = new FakeEngine(300);
  const bySeq = new Map<number, AuditRecord>();
  let now = T0;
  let lastSeq = 0;

  const accept = (
    output: ControllerOutput,
    before: {
      status: RolloutStatus;
      stepIndex: number | null;
      stepStartUs: number | null;
      halted: boolean;
      transitionBusy: boolean;
    },
  ): void => {
    let commandIndex = 0;
    for (const record of output.records) {
      // seq without gaps; the replica folds every record to the same state
      expect(record.seq).toBe(++lastSeq);
      bySeq.set(record.seq, record);
      // every record makes a valid audit line, and the line read back folds like the record
      const line = formatAuditEntry({ ...record, configHash: 'c', watermark: EMPTY_WATERMARK });
      const entry = parseAuditEntry(JSON.parse(line));
      if (typeof entry === 'string')
        throw new Error(`record ${record.seq} is not a valid line: ${entry}`);
      replica.replay(entry);
      if (clock !== null) checkCalendar(clock, plan.steps, record, before, tally);
      if (record.kind !== 'transition') continue;
      const command = output.commands[commandIndex++]!;
      expect(command.transitionSeq).toBe(record.seq);
      // no advance without a fresh passing proposal at that step
      if (record.action === 'set-weight' || record.action === 'promote') {
        const cause = bySeq.get(record.ref!)!;
        if (cause.kind === 'start') {
          expect(record.stepIndex).toBe(0);
          expect(before.halted).toBe(false);
        } else {
          const evaluated =
            cause.kind === 'decision'
              ? cause
              : cause.action === 'approve'
                ? bySeq.get(cause.ref!)!
                : null;
          expect(evaluated).not.toBeNull();
          expect(evaluated!.kind).toBe('decision');
          expect(evaluated!.action).toBe(record.action === 'promote' ? 'promote' : 'increase');
          expect(evaluated!.evaluatedStepIndex).toBe(before.stepIndex);
          expect(before.halted).toBe(false);
          expect(before.transitionBusy).toBe(false);
          if (record.action === 'set-weight') expect(record.stepIndex).toBe(before.stepIndex! + 1);
        }
      }
      // rollbacks only to the deployed stable
      if (command.type === 'rollback') {
        expect(command.toVersion).toBe(OLD);
        expect(engine.deployed.has(command.toVersion)).toBe(true);
      }
      // never two transitions at once: the fake engine throws if one is in progress
      engine.apply(command);
    }
    expect(commandIndex).toBe(output.commands.length);
  };

  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    now += gapsUs[i % gapsUs.length]!;
    const before = {
      status: c.status,
      stepIndex: c.stepIndex,
      stepStartUs: c.stepStartUs,
      halted: c.halted,
      transitionBusy: c.transition !== null,
    };
    let output: ControllerOutput;
    switch (op.op) {
      case 'start':
        output = c.start(now);
        break;
      case 'decide': {
        const step = (c.stepIndex ?? 0) + op.stepDelta;
        const action = op.guardrail ? 'rollback' : op.action;
        const codes = [['A'], ['B'], ['A', 'C']][op.code]!;
        output = c.onDecision(
          proposal(action, Math.max(0, step), op.guardrail ? 'guardrail' : 'analysis', codes),
          now,
        );
        break;
      }
      case 'approve':
      case 'reject': {
        const id = op.pendingId ? (c.pendingProposal?.id ?? op.id) : op.id;
        output = op.op === 'approve' ? c.approve(id, now) : c.reject(id, 'no', now);
        break;
      }
      case 'halt':
        output = c.halt('desk', now);
        break;
      case 'resume':
        output = c.resume(now);
        break;
      case 'tick':
        output = c.tick(now);
        break;
      case 'force': {
        const target = { none: undefined, old: OLD, new: NEW, unknown: 'momentum@0.0.1' }[
          op.target
        ];
        output = c.forceRollback('ops', now, target);
        if (op.target === 'new' || op.target === 'unknown')
          expect(output.commands.filter((cmd) => cmd.type === 'rollback')).toEqual([]);
        break;
      }
      case 'complete':
        if (engine.inProgress === null) {
          expect(c.transition).toBeNull();
          expect(() => c.transitionComplete(now)).toThrow();
          output = { records: [], commands: [] };
        } else {
          output = c.transitionComplete(now);
          engine.complete();
        }
        break;
    }
    accept(output, before);

    // the router always has the step's weight (0 before start / after rollback, 100 % after promote)
    expect(c.weightBps).toBe(expectedWeightBps(c));
    expect(engine.router.weightBps).toBe(c.weightBps);
    // the engine and the controller agree on the transition in progress
    expect(engine.inProgress?.transitionSeq ?? null).toBe(c.transition?.seq ?? null);
    // only allowed edges, and the step index moves by at most one, forward
    expect(ALLOWED[before.status]).toContain(c.status);
    if (before.stepIndex !== null && c.stepIndex !== null) {
      expect(c.stepIndex - before.stepIndex).toBeGreaterThanOrEqual(0);
      expect(c.stepIndex - before.stepIndex).toBeLessThanOrEqual(1);
    }
    if (c.status === 'rolled_back' || c.status === 'pending' || c.status === 'shadow') {
      // no account trades the canary for real, canary pins included
      expect(engine.canaryCount()).toBe(0);
    }
    if (c.status === 'rolled_back') expect(engine.liveVersions()).toEqual(new Set([OLD]));
    if (c.status === 'promoted') expect(engine.liveVersions()).toEqual(new Set([NEW]));
    if (c.status === 'step' || c.status === 'shadow')
      for (const v of engine.liveVersions()) expect([OLD, NEW]).toContain(v);
    // replay and snapshot/restore reproduce the state exactly
    expect(replica.snapshot()).toEqual(c.snapshot());
  }
  const restored = RolloutController.restore(JSON.parse(JSON.stringify(c.snapshot())), plan);
  expect(restored.snapshot()).toEqual(c.snapshot());
  return c.status;
}

/**
 * Under a trading calendar: an advance applies only while it is open, CALENDAR_CLOSED only while
 * it is closed, and a step's maximum fires only once it has lasted that long as the plan counts
 * durations (open time with `durations: 'open'`).
 */
function checkCalendar(
  clock: TradingCalendar,
  steps: readonly { readonly maxDurationMs: number | null }[],
  record: AuditRecord,
  before: { readonly stepIndex: number | null; readonly stepStartUs: number | null },
  tally: CalendarTally,
): void {
  const advance =
    record.kind === 'transition' &&
    (record.action === 'promote' || (record.action === 'set-weight' && before.stepIndex !== null));
  if (advance) {
    expect(clock.isOpen(record.tsUs)).toBe(true);
    tally.advanced++;
  }
  if (record.detail?.code === ROLLOUT_CODES.CALENDAR_CLOSED) {
    expect(clock.isOpen(record.tsUs)).toBe(false);
    tally.refused++;
  }
  if (record.detail?.code === ROLLOUT_CODES.MAX_DURATION && before.stepStartUs !== null) {
    const elapsedUs = clock.countsOpenTimeOnly
      ? clock.openUsBetween(before.stepStartUs, record.tsUs)
      : record.tsUs - before.stepStartUs;
    expect(elapsedUs).toBeGreaterThanOrEqual(steps[before.stepIndex!]!.maxDurationMs! * 1000);
  }
}

/** Proposals that mostly advance, with completions and approvals, so runs get far. */
const advancingOpArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constant<Op>({
      op: 'decide',
      action: 'increase',
      stepDelta: 0,
      guardrail: false,
      code: 0,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constant<Op>({
      op: 'decide',
      action: 'promote',
      stepDelta: 0,
      guardrail: false,
      code: 0,
    }),
  },
  { weight: 4, arbitrary: fc.constant<Op>({ op: 'complete' }) },
  { weight: 3, arbitrary: fc.constant<Op>({ op: 'approve', pendingId: true, id: 1 }) },
  {
    weight: 3,
    arbitrary: opArb.filter(
      (o) => o.op !== 'force' && !(o.op === 'decide' && (o.guardrail || o.action === 'rollback')),
    ),
  },
);

describe('RolloutController invariants (random proposals, operator commands, completions, times)', () => {
  const presetArb = fc.constantFrom<PlanPresetName>(
    'standard',
    'aggressive',
    'classic',
    'blue-green',
    'short',
  );
  const modeArb = fc.constantFrom<RolloutMode>('auto', 'manual');
  const gapArb = fc.array(
    fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 1_000_000, max: 60_000_000 }),
    ),
    { minLength: 1, maxLength: 8 },
  );

  it('hold after every step of random runs starting with start', () => {
    const outcomes = new Map<RolloutStatus, number>();
    fc.assert(
      fc.property(
        presetArb,
        modeArb,
        fc.array(opArb, { maxLength: 60, size: 'max' }),
        gapArb,
        (preset, mode, ops, gaps) => {
          const status = check(preset, mode, [{ op: 'start' }, ...ops], gaps);
          outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        },
      ),
      { numRuns: 100 },
    );
    // the generated runs do reach both ends (so the terminal invariants were checked)
    expect(outcomes.get('rolled_back') ?? 0).toBeGreaterThan(0);
    expect((outcomes.get('step') ?? 0) + (outcomes.get('shadow') ?? 0)).toBeGreaterThan(0);
  });

  it('hold for runs biased to advance (fresh increases and completions)', () => {
    // short gaps: the steps' maxima (≥ 1.2 s once scaled) rarely fire, so runs get to promote
    const shortGapArb = fc.array(fc.integer({ min: 0, max: 20_000 }), {
      minLength: 1,
      maxLength: 8,
    });
    const outcomes = new Map<RolloutStatus, number>();
    fc.assert(
      fc.property(
        presetArb,
        modeArb,
        fc.array(advancingOpArb, { minLength: 20, maxLength: 80, size: 'max' }),
        shortGapArb,
        (preset, mode, ops, gaps) => {
          const status = check(preset, mode, [{ op: 'start' }, ...ops], gaps);
          outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        },
      ),
      { numRuns: 100 },
    );
    expect(outcomes.get('promoted') ?? 0).toBeGreaterThan(0);
  });

  it('hold under random trading calendars, and advances wait for the calendar to open', () => {
    // gaps of up to two hours, so runs cross sessions and blackouts
    const hourGapArb = fc.array(fc.integer({ min: 0, max: 2 * 3_600_000_000 }), {
      minLength: 1,
      maxLength: 8,
    });
    const tally: CalendarTally = { refused: 0, advanced: 0 };
    fc.assert(
      fc.property(
        presetArb,
        modeArb,
        fc.array(advancingOpArb, { minLength: 20, maxLength: 80, size: 'max' }),
        hourGapArb,
        calendarArb,
        (preset, mode, ops, gaps, calendar) => {
          check(preset, mode, [{ op: 'start' }, ...ops], gaps, calendar, tally);
        },
      ),
      { numRuns: 100 },
    );
    // both sides of the rule were exercised
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.advanced).toBeGreaterThan(0);
  });

  it('a plain advancing run promotes and a force-rollback rolls back under the same checks', () => {
    // a deterministic advancing run promotes; the invariants above held on it too
    const ops: Op[] = [{ op: 'start' }];
    for (let i = 0; i < 8; i++)
      ops.push(
        { op: 'complete' },
        { op: 'decide', action: 'increase', stepDelta: 0, guardrail: false, code: 0 },
      );
    ops.push(
      { op: 'decide', action: 'promote', stepDelta: 0, guardrail: false, code: 0 },
      { op: 'complete' },
    );
    expect(check('standard', 'auto', ops, [1_000])).toBe('promoted');
    expect(
      check(
        'standard',
        'auto',
        [{ op: 'start' }, { op: 'complete' }, { op: 'force', target: 'none' }],
        [1],
      ),
    ).toBe('rolled_back');
  });
});
