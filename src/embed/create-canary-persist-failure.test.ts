import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlan } from '../rollout/index.js';
import { T0_MS, testCanary } from './test-support/bot-driver.js';

/** 10 %, then 100 %, each step passing on its time floor alone. */
const FLOOR_PLAN = parsePlan(
  {
    steps: [
      { weightPct: 10, minDurationMs: 60_000, requireNonInferior: [] },
      { weightPct: 100, minDurationMs: 0, requireNonInferior: [] },
    ],
  },
  'plan.json',
);

describe('createCanary: its state cannot be written', () => {
  // An error thrown in a subscriber reaches rxjs's unhandled-error hook (on a timer), not the caller.
  const unhandled: unknown[] = [];
  config.onUnhandledError = (error) => unhandled.push(error);
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('throws E_OUTPUT from the call that could not save it, then is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-unwritable-'));
    const paths = {
      statePath: join(dir, 'rollout', 'state.json'),
      auditPath: join(dir, 'rollout', 'audit.jsonl'),
      journalPath: join(dir, 'rollout', 'reports.jsonl'),
    };
    const canary = testCanary({ ...paths, plan: FLOOR_PLAN });
    canary.clock.advance(T0_MS);
    expect(canary.state).toMatchObject({ status: 'step', weightPct: 10 });
    const moves: unknown[] = [];
    canary.assignments$.subscribe((move) => moves.push(move));
    rmSync(join(dir, 'rollout'), { recursive: true }); // an operator's cleanup, a lost volume
    let thrown: unknown = null;
    let t = T0_MS;
    while (thrown === null && t < T0_MS + 120_000) {
      t += 1000;
      try {
        canary.clock.advance(t);
      } catch (error) {
        thrown = error;
      }
    }
    expect(thrown).toMatchObject({ code: 'E_OUTPUT', path: paths.statePath });
    await new Promise((resolve) => setTimeout(resolve, 0)); // rxjs reports on a timer
    expect(unhandled).toEqual([]);
    expect(moves).toEqual([]); // the decision it could not save moved no account
    expect(() => canary.clock.advance(t + 1000)).toThrow(
      expect.objectContaining({
        code: 'E_CLOSED',
        message: expect.stringContaining(paths.statePath) as string,
      }) as Error,
    );
    canary.close();
  });
});
