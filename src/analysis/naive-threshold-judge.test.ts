import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import { NaiveThresholdJudge, SEED_004_THRESHOLDS } from './naive-threshold-judge.js';
import { equityOf, fillOf, orderSent, rejectOf } from './test-support/records.js';

const T = 1_000_000_000;

/** `fills` fills (latency, slippage) and `rejects` rejects on one arm. */
function feed(
  judge: NaiveThresholdJudge,
  arm: Arm,
  fills: number,
  rejects: number,
  latencyMs: number,
  slippageBps: number,
): void {
  for (let i = 0; i < fills; i++) {
    judge.record(orderSent(arm, T));
    judge.record(fillOf(arm, T, T + 1, slippageBps, latencyMs));
  }
  for (let i = 0; i < rejects; i++) {
    judge.record(orderSent(arm, T));
    judge.record(rejectOf(arm, T, T));
  }
}

describe('NaiveThresholdJudge (seed 004 rules)', () => {
  it('has seed 004’s defaults', () => {
    expect(SEED_004_THRESHOLDS).toEqual({
      minOrders: 100,
      maxFillRateDropPp: 1,
      maxLatencyIncreasePct: 20,
      maxSlippageIncreaseBps: 0.5,
      minPnlRatio: 0.8,
    });
  });

  it('waits for 100 canary orders', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 1000, 0, 10, 0);
    feed(judge, 'canary', 99, 0, 10, 0);
    expect(judge.evaluate()).toMatchObject({ action: 'wait', code: 'NAIVE_MIN_ORDERS' });
    feed(judge, 'canary', 1, 0, 10, 0);
    expect(judge.evaluate()).toMatchObject({ action: 'advance', code: 'NAIVE_PASS' });
  });

  it('rolls back on a fill rate more than 1 pp below stable’s (98.9 % vs 100 %), not at 99 %', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 1000, 0, 10, 0);
    feed(judge, 'canary', 990, 10, 10, 0); // 99.0 %: a drop of exactly 1 pp
    expect(judge.evaluate().action).toBe('advance');
    feed(judge, 'canary', 0, 1, 10, 0); // 990 / 1001 = 98.90 %
    const verdict = judge.evaluate();
    expect(verdict).toMatchObject({ action: 'rollback', code: 'NAIVE_FILL_RATE' });
    expect(verdict.canary.fillRatePct).toBeCloseTo((990 / 1001) * 100, 10);
  });

  it('rolls back on latency more than 20 % above stable’s', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 200, 0, 10, 0);
    feed(judge, 'canary', 100, 0, 12, 0); // +20 %: passes
    expect(judge.evaluate().action).toBe('advance');
    feed(judge, 'canary', 100, 0, 12.2, 0); // mean 12.1: +21 %
    expect(judge.evaluate()).toMatchObject({ action: 'rollback', code: 'NAIVE_LATENCY' });
  });

  it('rolls back on slippage more than 0.5 bp above stable’s', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 200, 0, 10, 1);
    feed(judge, 'canary', 100, 0, 10, 1.5);
    expect(judge.evaluate().action).toBe('advance');
    feed(judge, 'canary', 100, 0, 10, 1.7); // mean 1.6
    const verdict = judge.evaluate();
    expect(verdict).toMatchObject({ action: 'rollback', code: 'NAIVE_SLIPPAGE' });
    expect(verdict.canary.meanSlippageBps).toBeCloseTo(1.6, 12);
  });

  it('rolls back when canary P&L per order is below 0.8 × stable’s, only when stable’s is positive', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 1000, 0, 10, 0);
    feed(judge, 'canary', 100, 0, 10, 0);
    judge.record(equityOf('stable', T, 10_100, 10_000)); // +100: 0.1 per order
    judge.record(equityOf('canary', T, 1_007.9, 1_000)); // +7.9: 0.079 per order
    const verdict = judge.evaluate();
    expect(verdict).toMatchObject({ action: 'rollback', code: 'NAIVE_PNL_PER_ORDER' });
    expect(verdict.stable.pnlPerOrder).toBeCloseTo(0.1, 12);
    expect(verdict.canary.pnlPerOrder).toBeCloseTo(0.079, 12);
    judge.record(equityOf('canary', T + 1, 1_008.1, 1_000)); // 0.081 per order: ratio 0.81
    expect(judge.evaluate().action).toBe('advance');
    judge.record(equityOf('stable', T + 1, 9_900, 10_000)); // stable losing: rule off
    judge.record(equityOf('canary', T + 1, 500, 1_000));
    expect(judge.evaluate().action).toBe('advance');
  });

  it('checks in the seed’s order: fill rate before latency before slippage', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 1000, 0, 10, 0);
    feed(judge, 'canary', 100, 50, 50, 5);
    expect(judge.evaluate().code).toBe('NAIVE_FILL_RATE');
  });

  it('does not count EXPIRED rejects as orders', () => {
    const judge = new NaiveThresholdJudge();
    feed(judge, 'stable', 100, 0, 10, 0);
    feed(judge, 'canary', 100, 0, 10, 0);
    for (let i = 0; i < 10; i++) judge.record(rejectOf('canary', T, T, 'EXPIRED'));
    expect(judge.evaluate()).toMatchObject({
      action: 'advance',
      canary: { orders: 100, fillRatePct: 100 },
    });
  });
});
