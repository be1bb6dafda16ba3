import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import { parsePlan } from '../rollout/index.js';
import type { Canary } from './create-canary.js';
import type { AssignmentChange } from './embedded-books.js';
import type { Decision } from '../core/decision.js';
import { ACCOUNTS, drive, T0_MS, testCanary } from './test-support/bot-driver.js';

/** 10 %, then 100 %, each step passing on its time floor alone: a rollout promoted in minutes. */
const FLOOR_PLAN = parsePlan(
  {
    steps: [
      { weightPct: 10, minDurationMs: 60_000, requireNonInferior: [] },
      { weightPct: 100, minDurationMs: 0, requireNonInferior: [] },
    ],
  },
  'plan.json',
);

function persisted(): { statePath: string; auditPath: string; journalPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canary-restart-'));
  return {
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
    journalPath: join(dir, 'reports.jsonl'),
  };
}

function routes(canary: Canary): Map<string, Arm> {
  return new Map(ACCOUNTS.map((a) => [a.id, canary.route(a.id)]));
}

function count(arms: Map<string, Arm>, arm: Arm): number {
  return [...arms.values()].filter((a) => a === arm).length;
}

describe('createCanary: a restart', () => {
  for (const [name, minutes, journal] of [
    ['at the first step, without a journal', 0, false],
    ['after promotion, without a journal', 5, false],
    ['at the first step, with a journal new at the restart', 0, true],
  ] as const) {
    it(`${name}: tells the bot of no move, and books every account on the arm it trades`, () => {
      const { journalPath, ...paths } = persisted();
      const first = testCanary({ ...paths, plan: FLOOR_PLAN });
      for (let t = 0; t <= minutes * 60_000; t += 1000) first.clock.advance(T0_MS + t);
      expect(first.state.status).toBe(minutes === 0 ? 'step' : 'promoted');
      const before = routes(first);
      expect(count(before, 'canary')).toBeGreaterThan(0);
      first.close();

      const second = testCanary({
        ...paths,
        plan: FLOOR_PLAN,
        ...(journal ? { journalPath } : {}),
      });
      const moves: AssignmentChange[] = [];
      second.assignments$.subscribe((m) => moves.push(m));
      second.clock.advance(T0_MS + minutes * 60_000 + 1000);
      expect(moves).toEqual([]);
      expect(routes(second)).toEqual(before);
      expect(second.totals('canary').accounts).toBe(count(before, 'canary'));
      expect(second.totals('stable').accounts).toBe(count(before, 'stable'));
      second.close();
    });
  }

  it('takes an operator command before any new event time, at the event time it had resumed from', () => {
    for (const journal of [false, true]) {
      const { journalPath, ...paths } = persisted();
      const first = testCanary({ ...paths, ...(journal ? { journalPath } : {}) });
      for (let t = 0; t <= 30_000; t += 1000) first.clock.advance(T0_MS + t);
      const before = routes(first);
      first.close();
      const second = testCanary({ ...paths, ...(journal ? { journalPath } : {}) });
      // Not NOT_STARTED ("no event time yet"): the rollout is at its first step.
      expect(second.halt('stop it now'), `journal ${journal}`).toEqual({
        applied: true,
        refusal: null,
      });
      expect(second.state).toMatchObject({ status: 'step', stepIndex: 0, halted: true });
      expect(routes(second)).toEqual(before);
      expect(second.clock.nowMs).toBeLessThanOrEqual(T0_MS + 30_000);
      second.close();
    }
  });

  it('takes a first event time earlier than the last it audited (the feed restarts a little back) without throwing', () => {
    for (const journal of [false, true]) {
      const { journalPath, ...paths } = persisted();
      // Its reports are late: within lateReportMs they are booked at the clock's time.
      const options = { ...paths, lateReportMs: 120_000, ...(journal ? { journalPath } : {}) };
      const first = testCanary(options);
      const stoppedMs = drive(first, 2); // holds audited up to about 2 minutes in
      first.close();
      const lastLine = readFileSync(paths.auditPath, 'utf8').trimEnd().split('\n').at(-1)!;
      const auditedUs = (JSON.parse(lastLine) as { tsUs: number }).tsUs;
      expect(auditedUs).toBeGreaterThan((T0_MS + 10_000) * 1000);
      const second = testCanary(options);
      const decisions: Decision[] = [];
      second.decisions$.subscribe((d) => decisions.push(d));
      expect(() => drive(second, 3, 0, () => false, T0_MS + 10_000)).not.toThrow();
      expect(second.clock.nowMs).toBeGreaterThan(stoppedMs);
      expect(decisions.length).toBeGreaterThan(0);
      expect(decisions.every((d) => d.atTsUs >= auditedUs)).toBe(true); // the log never goes back
      expect(second.state.stepIndex).not.toBeNull();
      second.close();
    }
  });

  it('takes a resume after a restart in a halted baseline, its feed restarting before the halt', () => {
    const paths = persisted();
    const first = testCanary({ ...paths, plan: 'standard' }); // a 10-minute baseline
    first.clock.advance(T0_MS);
    first.clock.advance(T0_MS + 60_000);
    expect(first.halt('not yet')).toEqual({ applied: true, refusal: null });
    first.close();
    const second = testCanary({ ...paths, plan: 'standard' });
    second.clock.advance(T0_MS + 30_000); // before the halt the log holds
    expect(second.resume()).toEqual({ applied: true, refusal: null });
    second.clock.advance(T0_MS + 12 * 60_000);
    expect(second.state).toMatchObject({ status: 'step', halted: false, weightPct: 1 });
    second.close();
  });

  it('a second canary on the same files supersedes the first (E_CLOSED), and the audit log stays one rollout’s', () => {
    const { journalPath, ...paths } = persisted();
    const first = testCanary({ ...paths, journalPath });
    const second = testCanary({ ...paths, journalPath }); // a bot re-created it, the first not closed
    second.clock.advance(T0_MS);
    expect(() => first.clock.advance(T0_MS + 1000)).toThrow(
      expect.objectContaining({
        code: 'E_CLOSED',
        message: expect.stringContaining('another canary of this process opened') as string,
      }) as Error,
    );
    expect(first.state.status).toBe('pending'); // reads answer as at the close
    second.clock.advance(T0_MS + 2000);
    second.close();
    first.close(); // nothing to do: it was closed when superseded
    const third = testCanary({ ...paths, journalPath }); // the log is one rollout's: it opens
    expect(third.state).toMatchObject({ status: 'step', resumedFrom: 'state' });
    third.close();
  });

  it('after a crash before a transition was acknowledged: applies it again, tells its moves, and goes on', () => {
    const paths = persisted();
    const first = testCanary({ statePath: paths.statePath, auditPath: paths.auditPath });
    first.clock.advance(T0_MS);
    const moved = ACCOUNTS.filter((a) => first.route(a.id) === 'canary').map((a) => a.id);
    first.close();
    // What a crash between a transition's line and its acknowledgement's leaves: a log that ends
    // at the transition (the state file saved with it says the same; here the log is replayed).
    const lines = readFileSync(paths.auditPath, 'utf8').trimEnd().split('\n');
    expect((JSON.parse(lines.at(-1)!) as { kind: string }).kind).toBe('transition-complete');
    writeFileSync(paths.auditPath, `${lines.slice(0, -1).join('\n')}\n`);
    rmSync(paths.statePath);

    const second = testCanary({ statePath: paths.statePath, auditPath: paths.auditPath });
    const moves: AssignmentChange[] = [];
    second.assignments$.subscribe((m) => moves.push(m));
    second.clock.advance(T0_MS + 1000);
    expect(moves.map((m) => m.accountId)).toEqual(moved);
    expect(second.rollback('by hand')).toEqual({ applied: true, refusal: null });
    expect(second.state.status).toBe('rolled_back'); // not queued behind a transition never done
    second.close();
  });
  it('takes an operator command before any new event time: at the last event time it had', () => {
    const { journalPath, ...paths } = persisted();
    const first = testCanary({ ...paths, journalPath, plan: FLOOR_PLAN });
    first.clock.advance(T0_MS);
    first.clock.advance(T0_MS + 30_000);
    expect(first.halt('news').applied).toBe(true);
    first.close();

    const second = testCanary({ ...paths, journalPath, plan: FLOOR_PLAN });
    expect(second.state.status).toBe('step');
    expect(second.resume()).toEqual({ applied: true, refusal: null });
    expect(second.rollback('bots are down')).toEqual({ applied: true, refusal: null });
    expect(second.state.status).toBe('rolled_back');
    const last = JSON.parse(
      readFileSync(paths.auditPath, 'utf8').trimEnd().split('\n').at(-1)!,
    ) as {
      tsUs: number;
    };
    expect(last.tsUs).toBe((T0_MS + 30_000) * 1000);
    second.close();
  });

  it('given an earlier event time first than the last it had: keeps its clock, never goes back', () => {
    const { journalPath, ...paths } = persisted();
    const first = testCanary({ ...paths, journalPath, plan: FLOOR_PLAN });
    first.clock.advance(T0_MS);
    first.clock.advance(T0_MS + 30_000); // no report: the journal's clock stays at T0
    expect(first.halt('news').applied).toBe(true);
    first.close();

    const second = testCanary({ ...paths, journalPath, plan: FLOOR_PLAN });
    second.clock.advance(T0_MS + 10_000); // an agent behind the last record
    expect(second.clock.nowMs).toBe(T0_MS + 30_000);
    expect(() => second.clock.advance(T0_MS + 29_500)).not.toThrow();
    expect(second.resume()).toEqual({ applied: true, refusal: null });
    for (let t = 30_000; t <= 300_000; t += 1000) second.clock.advance(T0_MS + t);
    expect(second.state.status).toBe('promoted'); // and decided on, at later event times
    second.close();
  });

  it('with other options: refused, saying what may differ and what to do, the files untouched', () => {
    const { journalPath, ...paths } = persisted();
    const first = testCanary({ ...paths, journalPath });
    for (let t = 0; t <= 30_000; t += 1000) first.clock.advance(T0_MS + t);
    first.close();
    const audit = readFileSync(paths.auditPath, 'utf8');
    const others = [
      { salt: 'another-salt' },
      { canary: 'bot@3.0.0' },
      { plan: 'standard' as const },
      { accounts: ACCOUNTS.slice(1) },
    ];
    for (const other of others) {
      expect(() => testCanary({ ...paths, journalPath, ...other }), JSON.stringify(other)).toThrow(
        expect.objectContaining({
          code: 'E_AUDIT_LOG',
          message: expect.stringMatching(
            /another rollout: its plan, strategy versions, salt or accounts differ.*own files/u,
          ) as string,
        }) as Error,
      );
    }
    expect(() => testCanary({ ...paths, journalPath, mode: 'manual' })).toThrow(
      expect.objectContaining({
        code: 'E_ROLLOUT_STATE',
        message: expect.stringContaining('mode auto, not manual') as string,
      }) as Error,
    );
    expect(readFileSync(paths.auditPath, 'utf8')).toBe(audit);
    const resumed = testCanary({ ...paths, journalPath });
    expect(resumed.state.resumedFrom).toBe('state');
    resumed.close();
  });

  it('reads the event time it resumed from on its clock before any new one, journal or not', () => {
    for (const journal of [false, true]) {
      const { journalPath, ...paths } = persisted();
      const options = { ...paths, ...(journal ? { journalPath } : {}) };
      const first = testCanary(options);
      for (let t = 0; t <= 30_000; t += 1000) first.clock.advance(T0_MS + t);
      expect(first.halt('news').applied).toBe(true); // audited at T0 + 30 s
      first.close();
      const second = testCanary(options);
      // A bot stamps its first decisions with the canary's clock: not 0 (INVALID), after a restart.
      expect(second.clock.nowMs, `journal ${journal}`).toBe(T0_MS + 30_000);
      const accountId = ACCOUNTS.find((a) => second.route(a.id) === 'stable')!.id;
      const order = {
        type: 'order',
        orderId: 'o-1',
        accountId,
        arm: 'stable',
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '1',
        decisionTsMs: second.clock.nowMs,
      } as const;
      expect(second.record(order)).toEqual({ accepted: true });
      second.close();
    }
  });
});
