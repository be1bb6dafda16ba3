import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { Decision } from '../core/decision.js';
import type { TradeEvent } from '../core/market-event.js';
import { SeededRng } from '../core/seeded-rng.js';
import type { MetricsSnapshot } from '../metrics/index.js';
import { PLAN_PRESETS } from '../rollout/index.js';
import { bucketOf } from '../router/index.js';
import { createCanary, type Canary, type CanaryOptions } from './create-canary.js';
import type { AssignmentChange } from './embedded-books.js';

const T0_MS = 1_723_161_600_000; // 2024-08-09T00:00:00Z
const ACCOUNTS = Array.from({ length: 200 }, (_, i) => ({
  id: `acct-${String(i + 1).padStart(4, '0')}`,
  capital: '10000',
}));

/**
 * `aggressive` with 10-minute maxima: with 200 accounts the 5 % step has ~10 canary accounts, and
 * showing their reject rate within its 1.5 pp margin takes longer than the preset's 3 minutes.
 */
const PLAN = {
  ...PLAN_PRESETS.aggressive,
  steps: PLAN_PRESETS.aggressive.steps.map((step) => ({ ...step, maxDurationMs: 600_000 })),
};

function options(extra: Partial<CanaryOptions> = {}): CanaryOptions {
  return {
    stable: 'bot@1.0.0',
    canary: 'bot@2.0.0',
    plan: PLAN,
    salt: 'embed-test',
    accounts: ACCOUNTS,
    ...extra,
  };
}

function trade(tsMs: number, price: number): TradeEvent {
  return {
    type: 'trade',
    tsUs: Math.round(tsMs * 1000),
    exchangeTsUs: null,
    exchange: 'binance',
    symbol: 'BTCUSDT',
    id: null,
    side: null,
    price: String(price),
    priceNum: price,
    size: '1',
    sizeNum: 1,
  };
}

/**
 * A bot in miniature: every 10 s of event time each account trades (a buy, then a sell 10 s
 * later): all orders of the decision first, then their fills 20 ms later, with seeded latency and
 * slippage; the canary arm's slippage is `canarySlippageBps` worse. Runs `minutes` of event time
 * or until the rollout ends.
 */
function drive(
  canary: Canary,
  minutes: number,
  canarySlippageBps = 0,
  stopWhen: (canary: Canary) => boolean = () => false,
): void {
  const seed = 1;
  const rng = new SeededRng(seed);
  let seq = 0;
  for (let t = 0; t < minutes * 60_000; t += 10_000) {
    const nowMs = T0_MS + t;
    canary.onMarketEvent(trade(nowMs, 60_000));
    const status = canary.state.status;
    if (status === 'promoted' || status === 'rolled_back' || stopWhen(canary)) return;
    const side = (t / 10_000) % 2 === 0 ? 'buy' : 'sell';
    const sent = ACCOUNTS.map((account) => {
      const arm = canary.route(account.id);
      const order = {
        orderId: `o-${++seq}`,
        accountId: account.id,
        arm,
        symbol: 'BTCUSDT',
        side,
        quantity: '0.001',
        decisionTsMs: nowMs,
      } as const;
      expect(canary.record({ type: 'order', ...order })).toEqual({ accepted: true });
      return order;
    });
    for (const order of sent) {
      const slippage = rng.nextNormal() * 0.5 + (order.arm === 'canary' ? canarySlippageBps : 0);
      expect(
        canary.record({
          type: 'fill',
          ...order,
          fillId: `f-${order.orderId}`,
          price: '60000',
          fee: '0.06',
          tsMs: nowMs + 20,
          latencyMs: 20 + rng.nextNormal(),
          slippageBps: slippage,
        }),
      ).toEqual({ accepted: true });
    }
  }
}

describe('createCanary: a rollout inside a bot', () => {
  it('routes by the documented hash at the first step’s weight and tells the bot who moved', () => {
    const canary = createCanary(options());
    const moves: AssignmentChange[] = [];
    canary.assignments$.subscribe((m) => moves.push(m));
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'stable')).toBe(true); // not started
    canary.clock.advance(T0_MS);
    expect(canary.state).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 5 });
    const expected = ACCOUNTS.filter((a) => bucketOf('embed-test', a.id) < 500).map((a) => a.id);
    expect(ACCOUNTS.filter((a) => canary.route(a.id) === 'canary').map((a) => a.id)).toEqual(
      expected,
    );
    expect(moves.map((m) => m.accountId)).toEqual(expected);
    expect(moves.every((m) => m.from === 'stable' && m.to === 'canary')).toBe(true);
  });

  it('promotes an A/A rollout, and every account trades the canary', () => {
    const canary = createCanary(options());
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
    const canary = createCanary(options());
    const decisions: Decision[] = [];
    canary.decisions$.subscribe((d) => decisions.push(d));
    drive(canary, 30, 3);
    expect(canary.state.status).toBe('rolled_back');
    const rollback = decisions.find((d) => d.action === 'rollback');
    expect(rollback?.reasons[0]).toMatchObject({ code: 'METRIC_WORSE', metric: 'slippageBps' });
    expect(ACCOUNTS.every((a) => canary.route(a.id) === 'stable')).toBe(true);
  });

  it('refuses bad reports with a typed reason, counts them, and keeps the books exact', () => {
    const canary = createCanary(options());
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
    expect(code(canary.record({ ...order, arm: 'canary' }))).toBe('WRONG_ARM');
    expect(code(canary.record({ ...order, quantity: '-1' }))).toBe('INVALID');
    expect(code(canary.record({ ...fill }))).toBe('UNKNOWN_ORDER');
    expect(code(canary.record(order))).toBe('accepted');
    expect(code(canary.record({ ...fill, price: Number.NaN }))).toBe('INVALID');
    expect(code(canary.record({ ...fill, quantity: '0.4' }))).toBe('MISMATCH');
    expect(canary.totals('stable')).toEqual(before); // nothing refused reached the books
    expect(code(canary.record(fill))).toBe('accepted');
    expect(code(canary.record({ ...order, orderId: 'o-2' }))).toBe('accepted');
    expect(code(canary.record({ ...fill, orderId: 'o-2' }))).toBe('DUPLICATE_FILL');
    expect(canary.totals('stable').fees).toBe('3');
    expect(canary.rejections).toMatchObject({
      UNKNOWN_ACCOUNT: 1,
      WRONG_ARM: 1,
      INVALID: 2,
      UNKNOWN_ORDER: 1,
      MISMATCH: 1,
      DUPLICATE_FILL: 1,
    });
  });

  it('rolls back at once on a canary strategy error (a hard guardrail)', () => {
    const canary = createCanary(options());
    canary.clock.advance(T0_MS);
    expect(
      canary.record({ type: 'strategy-error', arm: 'stable', tsMs: T0_MS + 1, message: 'x' }),
    ).toEqual({ accepted: true });
    expect(canary.state.status).toBe('step');
    canary.record({ type: 'strategy-error', arm: 'canary', tsMs: T0_MS + 2, message: 'NaN size' });
    expect(canary.state.status).toBe('rolled_back');
  });

  it('says whether an operator command took effect, and why not', () => {
    const canary = createCanary(options());
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
    expect(() => createCanary(options({ plan: 'blue-green' }))).toThrow(/shadow step.*\[?/);
  });

  it('a restarted bot resumes at the same step and weight, with the same routes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-embed-'));
    const paths = { statePath: join(dir, 'state.json'), auditPath: join(dir, 'audit.jsonl') };
    const first = createCanary(options(paths));
    drive(first, 10, 0, (c) => c.state.weightPct === 25); // past the 5 % step: on to 25 %
    const state = first.state;
    expect(state.weightPct).toBe(25);
    const routes = new Map<string, Arm>(ACCOUNTS.map((a) => [a.id, first.route(a.id)]));
    first.close();

    const second = createCanary(options(paths));
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
