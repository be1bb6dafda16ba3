import { config, Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventClock } from '../core/event-clock.js';
import type { ArmEquityNum } from '../ledger/index.js';
import type { MetricsInput } from '../metrics/index.js';
import { parsePlan, type PositionsPolicy, type RolloutPlan } from '../rollout/index.js';
import type { RolloutHost } from './rollout-host.js';
import { RolloutRunner } from './rollout-runner.js';

const SECOND_US = 1_000_000;

/**
 * A host that applies commands at its clock's time, as the engine and a bot's books do; its moves
 * have nothing to flatten, so the runner completes them itself.
 */
class FakeHost implements RolloutHost {
  readonly clock = new EventClock();
  readonly metricsInput$ = new Subject<MetricsInput>();
  readonly transitionComplete$ = new Subject<number>();
  positionsPolicy: PositionsPolicy = 'flatten';
  readonly transitionInProgress = false;
  readonly paperAccountsOpen = 0;
  readonly weights: Array<{ atUs: number; weightBps: number }> = [];

  holdAllOnStable(): number {
    return 0;
  }
  startShadow(): void {}
  goLive(weightBps: number): number {
    this.weights.push({ atUs: this.clock.nowUs, weightBps });
    return 1;
  }
  promote(): number {
    return 1;
  }
  rollbacks = 0;
  rollback(): number {
    this.rollbacks++;
    return 1;
  }
  canaryEquityNum(): ArmEquityNum {
    return { equity: 1_000, capital: 1_000, contributed: 1_000, grossNotional: 0, accounts: 1 };
  }

  /** Event time jumps to `tsUs`; the samples of every boundary passed follow, as in the engine. */
  jumpTo(tsUs: number, boundariesUs: readonly number[]): void {
    this.clock.advance(tsUs);
    for (const at of boundariesUs)
      for (const arm of ['stable', 'canary'] as const)
        this.metricsInput$.next({
          type: 'equity',
          tsUs: at,
          arm,
          equity: 1_000,
          capital: 1_000,
          contributed: 1_000,
        });
  }
}

/** A step that advances on its floors alone (60 s, nothing required), then 100 %. */
const FLOOR_STEPS = [
  { weightPct: 10, minDurationMs: 60_000, requireNonInferior: [] },
  { weightPct: 100, minDurationMs: 0 },
];

/** A runner in auto mode over `host`, without an audit log. */
function autoRunner(host: FakeHost, plan: RolloutPlan): RolloutRunner {
  return new RolloutRunner(host, {
    plan,
    mode: 'auto',
    stableVersion: 'a@1',
    canaryVersion: 'b@1',
    auditPath: null,
    configHash: 'test',
  });
}

describe('RolloutRunner', () => {
  // An error thrown in a subscriber reaches rxjs's unhandled-error hook, not the caller.
  const thrown: unknown[] = [];
  config.onUnhandledError = (error) => thrown.push(error);
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('acts at the clock when one market event passes several boundaries (a gap in a sparse tape)', async () => {
    const plan = parsePlan({ steps: FLOOR_STEPS }, 'plan.json');
    const host = new FakeHost();
    const runner = autoRunner(host, plan);
    runner.start(0);
    // The next trade comes 121.5 s later: the boundaries 60 s … 121 s are sampled after the clock
    // moved. The one at 60 s ends the step; the move happens at the clock (121.5 s), and the
    // samples of 61 s … 121 s that follow must not take the controller back in time.
    const boundaries = Array.from({ length: 62 }, (_, i) => (60 + i) * SECOND_US);
    host.jumpTo(121.5 * SECOND_US, boundaries);
    await new Promise((resolve) => setTimeout(resolve, 0)); // rxjs reports on a timer
    expect(thrown).toEqual([]);
    expect(host.weights).toEqual([
      { atUs: 0, weightBps: 1_000 },
      { atUs: 121.5 * SECOND_US, weightBps: 10_000 },
    ]);
    const times = runner.records.map((r) => r.tsUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("keeps every account on stable through the plan's baseline, then starts the first step", () => {
    const plan = parsePlan({ baselineMs: 120_000, steps: FLOOR_STEPS }, 'plan.json');
    const host = new FakeHost();
    const runner = autoRunner(host, plan);
    runner.start(0);
    expect(runner.inBaseline).toBe(true);
    const boundaries = (from: number, to: number): number[] =>
      Array.from({ length: to - from + 1 }, (_, i) => (from + i) * SECOND_US);
    host.jumpTo(119 * SECOND_US, boundaries(1, 119));
    expect(runner.controller.status).toBe('pending');
    expect(host.weights).toEqual([]);
    host.jumpTo(120 * SECOND_US, boundaries(120, 120));
    expect(runner.inBaseline).toBe(false);
    expect(runner.controller.status).toBe('step');
    expect(host.weights).toEqual([{ atUs: 120 * SECOND_US, weightBps: 1_000 }]);
    expect(runner.records[0]?.tsUs).toBe(120 * SECOND_US);
  });

  it("takes an operator's halt during the baseline (the first step waits for resume) and a rollback (it never comes)", () => {
    const plan = parsePlan({ baselineMs: 120_000, steps: FLOOR_STEPS }, 'plan.json');
    const boundaries = (from: number, to: number): number[] =>
      Array.from({ length: to - from + 1 }, (_, i) => (from + i) * SECOND_US);
    const halted = new FakeHost();
    const runner = autoRunner(halted, plan);
    runner.start(0);
    halted.jumpTo(10 * SECOND_US, boundaries(1, 10));
    const halt = runner.operate((c, now) => c.halt('not yet', now), 10 * SECOND_US);
    expect(halt).toEqual({ applied: true, refusal: null });
    halted.jumpTo(300 * SECOND_US, boundaries(11, 300));
    expect(runner.inBaseline).toBe(true);
    expect(runner.controller.status).toBe('pending');
    expect(halted.weights).toEqual([]);
    runner.operate((c, now) => c.resume(now), 300 * SECOND_US);
    halted.jumpTo(301 * SECOND_US, boundaries(301, 301));
    expect(runner.controller.status).toBe('step');
    expect(halted.weights).toEqual([{ atUs: 301 * SECOND_US, weightBps: 1_000 }]);

    const rolled = new FakeHost();
    const other = autoRunner(rolled, plan);
    other.start(0);
    rolled.jumpTo(10 * SECOND_US, boundaries(1, 10));
    const rollback = other.operate(
      (c, now) => c.forceRollback('not this one', now),
      10 * SECOND_US,
    );
    expect(rollback).toEqual({ applied: true, refusal: null });
    rolled.jumpTo(300 * SECOND_US, boundaries(11, 300));
    expect(other.inBaseline).toBe(false);
    expect(other.outcome).toBe('rolled_back');
    expect(other.finished).toBe(true);
    expect(rolled.rollbacks).toBe(1);
    expect(rolled.weights).toEqual([]);
  });
});
