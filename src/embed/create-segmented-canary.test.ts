import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../core/seeded-rng.js';
import type { RolloutPlan } from '../rollout/index.js';
import { createSegmentedCanary, type SegmentedCanary } from './create-segmented-canary.js';
import { T0_MS, TEST_PLAN, trade } from './test-support/bot-driver.js';

const PLAN: RolloutPlan = {
  ...TEST_PLAN,
  segments: {
    mode: 'parallel',
    list: [
      { name: 'spot', venue: 'binance' },
      { name: 'usdm', venue: 'binance-futures' },
    ],
  },
};

const accountsOf = (segment: string) =>
  Array.from({ length: 200 }, (_, i) => ({
    id: `${segment}-${String(i + 1).padStart(4, '0')}`,
    capital: '10000',
    segment,
  }));
const ACCOUNTS = [...accountsOf('spot'), ...accountsOf('usdm')];
const OPTIONS = {
  stable: 'bot@1.0.0',
  canary: 'bot@2.0.0',
  plan: PLAN,
  salt: 'segments',
  accounts: ACCOUNTS,
};

/**
 * A bot on two venues: every 10 s each venue prints a trade and each account trades on its own
 * venue (an order, its fill 20 ms later); the canary's slippage on `faultyVenue` is 3 bp worse.
 */
function driveVenues(canaries: SegmentedCanary, minutes: number, faultyVenue: string): void {
  const rng = new SeededRng(1);
  let seq = 0;
  for (let t = 0; t < minutes * 60_000; t += 10_000) {
    const nowMs = T0_MS + t;
    for (const exchange of ['binance', 'binance-futures'])
      canaries.onMarketEvent({ ...trade(nowMs, 60_000), exchange });
    const side = (t / 10_000) % 2 === 0 ? 'buy' : 'sell';
    for (const account of ACCOUNTS) {
      const order = {
        orderId: `o-${++seq}`,
        accountId: account.id,
        arm: canaries.route(account.id),
        symbol: 'BTCUSDT',
        side,
        quantity: '0.001',
        decisionTsMs: nowMs,
      } as const;
      expect(canaries.record({ type: 'order', ...order }).accepted).toBe(true);
      const venue = account.segment === 'spot' ? 'binance' : 'binance-futures';
      const fault = order.arm === 'canary' && venue === faultyVenue ? 3 : 0;
      expect(
        canaries.record({
          type: 'fill',
          ...order,
          fillId: `f-${order.orderId}`,
          price: '60000',
          fee: '0.06',
          tsMs: nowMs + 20,
          latencyMs: 20 + rng.nextNormal(),
          slippageBps: rng.nextNormal() * 0.5 + fault,
        }).accepted,
      ).toBe(true);
    }
  }
}

describe('createSegmentedCanary', () => {
  it('rolls back the segment whose canary is worse and goes on with the other', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'segmented-canary-'));
    const canaries = createSegmentedCanary({ ...OPTIONS, stateDir });
    driveVenues(canaries, 12, 'binance-futures');
    const spot = canaries.segments.get('spot')!;
    const usdm = canaries.segments.get('usdm')!;
    expect(usdm.state.status).toBe('rolled_back');
    expect(spot.state.status).not.toBe('rolled_back');
    expect(spot.state.weightPct).toBeGreaterThan(5);
    // Every usdm account is back on stable; spot's canary accounts stayed where the plan put them.
    expect(accountsOf('usdm').every((a) => canaries.route(a.id) === 'stable')).toBe(true);
    expect(accountsOf('spot').some((a) => canaries.route(a.id) === 'canary')).toBe(true);
    // Each segment's audit log is its own.
    const decisions = (segment: string) =>
      readFileSync(join(stateDir, segment, 'audit.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"kind":"decision"') && line.includes('"rollback"'));
    expect(decisions('usdm').length).toBeGreaterThan(0);
    expect(decisions('spot')).toHaveLength(0);
    canaries.close();
  });

  it("passes each market event to its venue's segments only", () => {
    const canaries = createSegmentedCanary(OPTIONS);
    canaries.onMarketEvent({ ...trade(T0_MS, 60_000), exchange: 'binance' });
    expect(canaries.segments.get('spot')!.clock.nowMs).toBe(T0_MS);
    expect(canaries.segments.get('usdm')!.clock.nowMs).not.toBe(T0_MS);
    expect(canaries.segmentOf('usdm-0001')).toBe('usdm');
    expect(() => canaries.route('nobody')).toThrow(/E_UNKNOWN_ACCOUNT|not one the canary/);
    expect(
      canaries.record({ type: 'strategy-error', arm: 'canary', tsMs: T0_MS, message: 'boom' }),
    ).toMatchObject({ accepted: false, rejection: { code: 'INVALID' } });
    expect(
      canaries.record(
        { type: 'strategy-error', arm: 'canary', tsMs: T0_MS, message: 'boom' },
        { segment: 'spot' },
      ).accepted,
    ).toBe(true);
  });

  it('refuses accounts without a known segment, and plans without segments', () => {
    const base = { stable: 'a@1', canary: 'a@2', salt: 's' };
    expect(() =>
      createSegmentedCanary({
        ...base,
        plan: PLAN,
        accounts: [...ACCOUNTS, { id: 'x', capital: '1' }],
      }),
    ).toThrow(/account "x": no segment \(its segments: spot, usdm\)/);
    expect(() =>
      createSegmentedCanary({ ...base, plan: PLAN, accounts: accountsOf('spot') }),
    ).toThrow(/segment "usdm" has no accounts/);
    expect(() => createSegmentedCanary({ ...base, plan: TEST_PLAN, accounts: ACCOUNTS })).toThrow(
      /takes a plan with segments/,
    );
  });

  it('refuses what is not a report (INVALID) or a market event (E_USAGE), as one canary does, instead of a TypeError', () => {
    const canaries = createSegmentedCanary(OPTIONS);
    for (const report of [null, undefined, 'order', 42]) {
      expect(canaries.record(report as never), String(report)).toMatchObject({
        accepted: false,
        rejection: { code: 'INVALID' },
      });
    }
    expect(canaries.record({ type: 'order', orderId: 'o-1' } as never)).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringContaining('accountId') as string },
    });
    for (const event of [null, undefined, 'trade']) {
      expect(() => canaries.onMarketEvent(event as never), String(event)).toThrow(
        expect.objectContaining({ code: 'E_USAGE' }) as Error,
      );
    }
    canaries.close();
  });
});
