import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { Decision } from '../core/decision.js';
import type { MetricsSnapshot } from '../metrics/index.js';
import { bucketOf } from '../router/index.js';
import { PlanError } from '../rollout/index.js';
import type { Canary } from './create-canary.js';
import type { AssignmentChange } from './embedded-books.js';
import {
  ACCOUNTS,
  drive,
  T0_MS,
  TEST_PLAN,
  TEST_SALT,
  testCanary,
  trade,
} from './test-support/bot-driver.js';

describe('createCanary: a rollout inside a bot', () => {
  it('routes by the documented hash at the first step’s weight and tells the bot who moved', () => {
    const canary = testCanary();
    const moves: AssignmentChange[] = [];
    canary.assignments$.subscribe((m) => moves.push(m));
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'stable')).toBe(true); // not started
    canary.clock.advance(T0_MS);
    expect(canary.state).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 5 });
    const expected = ACCOUNTS.filter((a) => bucketOf(TEST_SALT, a.id) < 500).map((a) => a.id);
    expect(ACCOUNTS.filter((a) => canary.route(a.id) === 'canary').map((a) => a.id)).toEqual(
      expected,
    );
    expect(moves.map((m) => m.accountId)).toEqual(expected);
    expect(moves.every((m) => m.from === 'stable' && m.to === 'canary')).toBe(true);
  });

  it('refuses operator commands before the rollout has any event time, rather than start it at the epoch', () => {
    const canary = testCanary();
    for (const outcome of [canary.halt('early'), canary.resume(), canary.rollback('early')]) {
      expect(outcome).toMatchObject({ applied: false, refusal: { code: 'NOT_STARTED' } });
    }
    expect(canary.state.status).toBe('pending');
    canary.clock.advance(T0_MS);
    expect(canary.halt('now')).toEqual({ applied: true, refusal: null });
  });

  it("takes halt and rollback during the plan's baseline: a halt holds the first step until resume, a rollback ends the rollout", () => {
    const held = testCanary({ plan: 'standard' }); // a 10-minute baseline
    held.onMarketEvent(trade(T0_MS, 60_000));
    expect(held.halt('not yet')).toEqual({ applied: true, refusal: null });
    held.clock.advance(T0_MS + 11 * 60_000);
    expect(held.state).toMatchObject({ status: 'pending', halted: true, weightPct: 0 });
    expect(ACCOUNTS.every((a) => held.route(a.id) === 'stable')).toBe(true);
    expect(held.resume()).toEqual({ applied: true, refusal: null });
    held.clock.advance(T0_MS + 11 * 60_000 + 1000);
    expect(held.state).toMatchObject({ status: 'step', halted: false, weightPct: 1 });

    const rolled = testCanary({ plan: 'standard' });
    const moves: AssignmentChange[] = [];
    rolled.assignments$.subscribe((m) => moves.push(m));
    rolled.onMarketEvent(trade(T0_MS, 60_000));
    expect(rolled.rollback('not this version')).toEqual({ applied: true, refusal: null });
    rolled.clock.advance(T0_MS + 11 * 60_000);
    expect(rolled.state).toMatchObject({ status: 'rolled_back', weightPct: 0 });
    expect(moves).toEqual([]);
    expect(ACCOUNTS.every((a) => rolled.route(a.id) === 'stable')).toBe(true);
  });

  it('keeps the later mark when a market event of the same symbol comes out of order', () => {
    const canary = testCanary();
    canary.onMarketEvent(trade(T0_MS + 10_000, 60_000));
    canary.onMarketEvent(trade(T0_MS + 5_000, 50_000)); // older: another stream, delayed
    canary.onMarketEvent({ ...trade(T0_MS + 6_000, 51_000), symbol: 'ETHUSDT' }); // its own latest
    expect(canary.marks().map(([symbol, price]) => [symbol, price.toFixed()])).toEqual([
      ['BTCUSDT', '60000'],
      ['ETHUSDT', '51000'],
    ]);
    expect(canary.clock.nowMs).toBe(T0_MS + 10_000);
    canary.onMarketEvent(trade(T0_MS + 10_000, 60_010)); // the same time: the later one marks
    expect(canary.marks()[0]![1].toFixed()).toBe('60010');
  });

  it('takes reports up to lateReportMs behind its clock (booked at the clock), not older', () => {
    const canary = testCanary({ lateReportMs: 5000 });
    canary.clock.advance(T0_MS); // starts the first step: some accounts move to the canary
    const stable = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const moved = ACCOUNTS.find((a) => canary.route(a.id) === 'canary')!.id;
    const order = (orderId: string, accountId: string, arm: 'stable' | 'canary') =>
      ({
        type: 'order',
        orderId,
        accountId,
        arm,
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '0.001',
        decisionTsMs: T0_MS,
      }) as const;
    const fill = (o: ReturnType<typeof order>, tsMs: number) =>
      ({
        ...o,
        type: 'fill',
        fillId: `f-${o.orderId}`,
        price: '60000',
        fee: '0.06',
        tsMs,
        latencyMs: 20,
        slippageBps: 0,
      }) as const;
    const o1 = order('o1', stable, 'stable');
    const o2 = order('o2', stable, 'stable');
    expect(canary.record(o1).accepted).toBe(true);
    expect(canary.record(o2).accepted).toBe(true);
    // A bot that had not heard of the move yet: its order on the arm the account left counts.
    expect(canary.record(order('o3', moved, 'stable')).accepted).toBe(true);
    canary.clock.advance(T0_MS + 10_000);
    expect(canary.record(fill(o1, T0_MS + 6000)).accepted).toBe(true); // 4 s late
    expect(canary.record(fill(o2, T0_MS + 4000))).toMatchObject({
      accepted: false,
      rejection: { code: 'TIME_BACKWARDS' },
    }); // 6 s late
    expect(canary.record(order('o4', moved, 'stable'))).toMatchObject({
      accepted: false,
      rejection: { code: 'WRONG_ARM' },
    }); // the move was 10 s ago
    expect(canary.recorded.stable).toEqual({ orders: 3, fills: 1, rejects: 0 });
    expect(canary.clock.nowMs).toBe(T0_MS + 10_000); // the late fill did not move time back
  });

  it('promotes an A/A rollout, and every account trades the canary', () => {
    const canary = testCanary();
    const decisions: Decision[] = [];
    canary.decisions$.subscribe((d) => decisions.push(d));
    const snapshots: MetricsSnapshot[] = [];
    canary.metrics$.subscribe((s) => snapshots.push(s));
    drive(canary, 30);
    const last = snapshots.at(-1)!;
    expect(last.arms.canary.fills).toBeGreaterThan(0);
    expect(last.arms.stable.latencyMs.p50).toBeCloseTo(20, 0);
    expect(canary.state.status).toBe('promoted');
    expect(decisions.filter((d) => d.action === 'rollback')).toEqual([]);
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'canary')).toBe(true);
    expect(canary.rejections.INVALID).toBe(0);
  });

  it('rolls back a canary 3 bps worse on slippage, and no account trades it afterwards', () => {
    const canary = testCanary();
    const decisions: Decision[] = [];
    canary.decisions$.subscribe((d) => decisions.push(d));
    drive(canary, 30, 3);
    expect(canary.state.status).toBe('rolled_back');
    const rollback = decisions.find((d) => d.action === 'rollback');
    expect(rollback?.reasons[0]).toMatchObject({ code: 'METRIC_WORSE', metric: 'slippageBps' });
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'stable')).toBe(true);
  });

  it('refuses bad reports with a typed reason, counts them, and keeps the books exact', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const account = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const order = {
      type: 'order',
      orderId: 'o-1',
      accountId: account,
      arm: 'stable',
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: '0.5',
      decisionTsMs: T0_MS,
    } as const;
    const fill = {
      ...order,
      type: 'fill',
      fillId: 'f-1',
      price: '60000',
      fee: '3',
      tsMs: T0_MS + 20,
      latencyMs: 20,
      slippageBps: 0,
    } as const;
    const before = canary.totals('stable');
    const code = (r: ReturnType<Canary['record']>) => (r.accepted ? 'accepted' : r.rejection.code);
    expect(code(canary.record({ ...order, accountId: 'nobody' }))).toBe('UNKNOWN_ACCOUNT');
    // Routing an account the canary does not know is refused too, never silently "stable".
    expect(() => canary.route('nobody')).toThrow(
      expect.objectContaining({ code: 'E_UNKNOWN_ACCOUNT' }) as Error,
    );
    expect(canary.route(order.accountId)).toBe('stable');
    expect(code(canary.record({ ...order, arm: 'canary' }))).toBe('WRONG_ARM');
    expect(code(canary.record({ ...order, quantity: '-1' }))).toBe('INVALID');
    // Zero and negative numbers too: as numbers, the string pattern does not see them.
    expect(code(canary.record({ ...order, quantity: -1 }))).toBe('INVALID');
    expect(code(canary.record({ ...order, quantity: 0 }))).toBe('INVALID');
    expect(code(canary.record({ ...order, quantity: '0.000' }))).toBe('INVALID');
    expect(code(canary.record({ ...fill }))).toBe('UNKNOWN_ORDER');
    expect(code(canary.record(order))).toBe('accepted');
    expect(code(canary.record({ ...fill, price: Number.NaN }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, price: '0' }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, price: -60_000 }))).toBe('INVALID');
    // Implausible values are refused at the door: one of them must never freeze a metric.
    expect(code(canary.record({ ...fill, slippageBps: 1e308 }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, latencyMs: 1e12 }))).toBe('INVALID');
    // Finer than the exact books keep (a price of 25 places, a fee of 43): refused, not rounded.
    expect(code(canary.record({ ...fill, price: `60000.${'0'.repeat(24)}1` }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, fee: `3.${'0'.repeat(42)}1` }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, quantity: '0.4' }))).toBe('MISMATCH');
    expect(canary.totals('stable')).toEqual(before); // nothing refused reached the books
    expect(code(canary.record(fill))).toBe('accepted');
    expect(code(canary.record({ ...order, orderId: 'o-2' }))).toBe('accepted');
    expect(code(canary.record({ ...fill, orderId: 'o-2' }))).toBe('DUPLICATE_FILL');
    expect(canary.totals('stable').fees).toBe('3');
    expect(canary.rejections).toMatchObject({
      UNKNOWN_ACCOUNT: 1,
      WRONG_ARM: 1,
      INVALID: 11,
      UNKNOWN_ORDER: 1,
      MISMATCH: 1,
      DUPLICATE_FILL: 1,
    });
  });

  it('settles an order canceled after a partial fill with one fill of what filled (filledQuantity), also after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-partial-'));
    const paths = {
      statePath: join(dir, 'state.json'),
      auditPath: join(dir, 'audit.jsonl'),
      journalPath: join(dir, 'reports.jsonl'),
    };
    const canary = testCanary(paths);
    canary.clock.advance(T0_MS);
    const account = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
    const order = {
      type: 'order',
      orderId: 'o-partial',
      accountId: account,
      arm: 'stable',
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: '0.5',
      decisionTsMs: T0_MS,
    } as const;
    const fill = {
      ...order,
      type: 'fill',
      fillId: 'f-partial',
      filledQuantity: '0.2',
      price: '60000',
      fee: '1.2',
      tsMs: T0_MS + 20,
      latencyMs: 20,
      slippageBps: 0,
    } as const;
    expect(canary.record(order).accepted).toBe(true);
    expect(canary.record({ ...fill, filledQuantity: '0.6' })).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringContaining('filledQuantity') as string },
    });
    expect(canary.record({ ...fill, filledQuantity: '0' })).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID' },
    });
    expect(canary.record(fill)).toEqual({ accepted: true });
    // The fill settled the order: the canceled rest never fills.
    expect(canary.record({ ...fill, fillId: 'f-rest', filledQuantity: '0.3' })).toMatchObject({
      accepted: false,
      rejection: { code: 'UNKNOWN_ORDER' },
    });
    const books = canary.totals('stable');
    expect(books.positions).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', quantity: '0.2', costBasis: '12000' }),
    ]);
    expect(books.fees).toBe('1.2');
    canary.close();
    const restarted = testCanary(paths);
    expect(restarted.totals('stable')).toEqual(books);
    restarted.close();
  });

  it('rolls back at once on a canary strategy error (a hard guardrail)', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    expect(
      canary.record({ type: 'strategy-error', arm: 'stable', tsMs: T0_MS + 1, message: 'x' }),
    ).toEqual({ accepted: true });
    expect(canary.state.status).toBe('step');
    canary.record({ type: 'strategy-error', arm: 'canary', tsMs: T0_MS + 2, message: 'NaN size' });
    expect(canary.state.status).toBe('rolled_back');
  });

  it('says whether an operator command took effect, and why not', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const refused = canary.resume(); // not halted
    expect(refused.applied).toBe(false);
    expect(refused.refusal?.code).toMatch(/^[A-Z_]+$/);
    expect(canary.halt('looking into it')).toEqual({ applied: true, refusal: null });
    expect(canary.state.halted).toBe(true);
    expect(canary.resume()).toEqual({ applied: true, refusal: null });
    expect(canary.approve(999)).toMatchObject({ applied: false });
    expect(canary.rollback('by hand')).toEqual({ applied: true, refusal: null });
    expect(canary.state.status).toBe('rolled_back');
  });

  it('refuses a plan with a shadow step: a bot has no paper execution', () => {
    expect(() => testCanary({ plan: 'blue-green' })).toThrow(/shadow step.*\[?/);
  });

  it('validates a plan object as a plan file: a guardrail out of range is E_PLAN naming it', () => {
    const plan = { ...TEST_PLAN, guardrails: { ...TEST_PLAN.guardrails, maxDrawdownPct: -1 } };
    let thrown: unknown;
    try {
      testCanary({ plan });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlanError);
    expect((thrown as PlanError).code).toBe('E_PLAN');
    expect((thrown as PlanError).message).toMatch(
      /^plan:aggressive: guardrails\.maxDrawdownPct: must be a non-negative number/,
    );
  });

  it('a restarted bot resumes at the same step and weight, with the same routes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-embed-'));
    const paths = { statePath: join(dir, 'state.json'), auditPath: join(dir, 'audit.jsonl') };
    const first = testCanary(paths);
    drive(first, 10, 0, (c) => c.state.weightPct === 25); // past the 5 % step: on to 25 %
    const state = first.state;
    expect(state.weightPct).toBe(25);
    const routes = new Map<string, Arm>(ACCOUNTS.map((a) => [a.id, first.route(a.id)]));
    first.close();

    const second = testCanary(paths);
    expect(second.state).toMatchObject({ weightPct: 25, stepIndex: state.stepIndex });
    expect(second.state.resumedFrom).not.toBe('new');
    second.clock.advance(T0_MS + 3 * 60_000);
    for (const account of ACCOUNTS) expect(second.route(account.id)).toBe(routes.get(account.id));
    second.close();
    const audit = readFileSync(paths.auditPath, 'utf8').trimEnd().split('\n');
    expect(audit.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(
      audit.map((_, i) => i + 1),
    );
  });
});
