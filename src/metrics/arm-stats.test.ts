import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { FillReport, RejectReason, RejectReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { ArmStats } from './arm-stats.js';

function fill(arm: Arm, latencyMs: number, slippageBps: number): FillReport {
  return {
    type: 'fill',
    orderId: `${arm}-1`,
    accountId: 'a1',
    arm,
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: new Decimal('1'),
    decisionTsUs: 0,
    tsUs: Math.round(latencyMs * 1000),
    price: new Decimal('100'),
    fee: new Decimal('0'),
    latencyMs,
    slippageBps,
  };
}

function reject(arm: Arm, reason: RejectReason): RejectReport {
  return {
    type: 'reject',
    orderId: `${arm}-2`,
    accountId: 'a1',
    arm,
    symbol: 'BTCUSDT',
    side: 'sell',
    quantity: new Decimal('1'),
    decisionTsUs: 0,
    tsUs: 0,
    reason,
    message: 'test',
  };
}

describe('ArmStats', () => {
  it('counts orders, fills, rejects by reason and strategy errors', () => {
    const stats = new ArmStats('canary');
    for (let i = 0; i < 5; i++) stats.record({ type: 'order', tsUs: i, arm: 'canary' });
    stats.record(fill('canary', 10, 1));
    stats.record(fill('canary', 20, -3));
    stats.record(fill('canary', 30, 2));
    stats.record(reject('canary', 'MIN_NOTIONAL'));
    stats.record(reject('canary', 'INJECTED'));
    stats.record(reject('canary', 'INJECTED'));
    stats.record({ type: 'strategy-error', tsUs: 9, arm: 'canary', message: 'boom' });
    const s = stats.snapshot();
    expect([s.orders, s.fills, s.rejects]).toEqual([5, 3, 3]);
    expect(s.rejectsByReason).toEqual({
      MIN_NOTIONAL: 1,
      INSUFFICIENT_BUYING_POWER: 0,
      PRICE_PROTECTION: 0,
      INJECTED: 2,
      EXPIRED: 0,
      VENUE: 0,
    });
    expect(s.strategyErrors).toBe(1);
    // latency 10, 20, 30 ms: p50 = 2nd = 20, p99 = 3rd = 30, mean 20, max 30
    expect(s.latencyMs.p50).toBeCloseTo(20, 1);
    expect(s.latencyMs.p99).toBeCloseTo(30, 1);
    expect(s.latencyMs.mean).toBeCloseTo(20, 12);
    expect(s.latencyMs.max).toBe(30);
    // slippage −3, 1, 2 bps: mean 0, p50 = 2nd = 1, p95 = 3rd = 2
    expect(s.slippageBps.mean).toBeCloseTo(0, 12);
    expect(s.slippageBps.p50).toBeCloseTo(1, 2);
    expect(s.slippageBps.p95).toBeCloseTo(2, 2);
  });

  it('reports nulls and zeros before any data', () => {
    const s = new ArmStats('stable').snapshot();
    expect([s.orders, s.fills, s.rejects]).toEqual([0, 0, 0]);
    expect(s.latencyMs).toEqual({ p50: null, p99: null, mean: null, max: null });
    expect(s.slippageBps).toEqual({ mean: null, p50: null, p95: null });
    expect(s.equity).toBeNull();
    expect(s.capital).toBeNull();
    expect(s.returnPct).toBe(0);
    expect(s.maxDrawdownPct).toBe(0);
    expect(s.intervalReturnPct).toBeNull();
    expect(s.equitySamples).toBe(0);
  });

  it('feeds equity samples into the curve: return, drawdown, interval return', () => {
    const stats = new ArmStats('stable');
    stats.record({ type: 'equity', tsUs: 1, arm: 'stable', equity: 10_000, capital: 10_000 });
    stats.record({ type: 'equity', tsUs: 2, arm: 'stable', equity: 10_500, capital: 10_000 });
    stats.record({ type: 'equity', tsUs: 3, arm: 'stable', equity: 9_975, capital: 10_000 });
    const s = stats.snapshot();
    expect(s.equity).toBe(9_975);
    expect(s.capital).toBe(10_000);
    expect(s.returnPct).toBeCloseTo(-0.25, 10);
    // 10 500 → 9 975 is −5 %
    expect(s.maxDrawdownPct).toBeCloseTo(5, 10);
    expect(s.intervalReturnPct).toBeCloseTo(-5, 10);
    expect(s.equitySamples).toBe(3);
  });

  it('uses contributed equity, when given, to tell account moves from returns', () => {
    const stats = new ArmStats('canary');
    stats.record({
      type: 'equity',
      tsUs: 1,
      arm: 'canary',
      equity: 1_000,
      capital: 1_000,
      contributed: 1_000,
    });
    // an account worth 1 100 (capital 1 000) moves in; no return
    stats.record({
      type: 'equity',
      tsUs: 2,
      arm: 'canary',
      equity: 2_100,
      capital: 2_000,
      contributed: 2_100,
    });
    expect(stats.snapshot().returnPct).toBeCloseTo(0, 10);
  });

  it('recomputes quantiles when fills arrive after a snapshot', () => {
    const stats = new ArmStats('stable');
    stats.record(fill('stable', 5, 0));
    expect(stats.snapshot().latencyMs.max).toBe(5);
    stats.record(fill('stable', 50, 0));
    expect(stats.snapshot().latencyMs.p99).toBeCloseTo(50, 1);
  });
});

describe('ArmStats.detail', () => {
  it('gives the distributions at the detail quantiles, and the curve with its moments', () => {
    const stats = new ArmStats('canary');
    expect(stats.detail().latencyMs).toBeNull();
    for (let i = 1; i <= 200; i++) stats.record(fill('canary', i, i % 2 === 0 ? i / 10 : -i / 10));
    stats.record({ type: 'equity', tsUs: 1_000_000, arm: 'canary', equity: 100, capital: 100 });
    stats.record({ type: 'equity', tsUs: 2_000_000, arm: 'canary', equity: 99, capital: 100 });
    const detail = stats.detail();
    const latency = detail.latencyMs!;
    expect(latency.q).toHaveLength(103);
    expect(latency.q[50]).toBe(0.5);
    // Nearest rank of 200 values 1…200 ms: q 0.5 → the 100th, q 1 → the 200th (HDR: within 0.1 %).
    expect(latency.value[50]).toBeCloseTo(100, 0);
    expect(latency.value.at(-1)).toBeCloseTo(200, 0);
    expect([...latency.value]).toEqual([...latency.value].sort((a, b) => a - b));
    const slippage = detail.slippageBps!;
    expect(slippage.value[0]).toBeCloseTo(-19.9, 2);
    expect(slippage.value.at(-1)).toBeCloseTo(20, 2);
    expect(detail.curve.map((p) => p.returnPct)).toEqual([0, expect.closeTo(-1, 10)]);
    expect(detail.riskIntervals).toBe(2);
    expect(detail.intervalReturnDownsideDev).toBeCloseTo(Math.sqrt(0.01 ** 2 / 2), 12);
    expect(detail.maxDrawdownTroughTsUs).toBe(2_000_000);
  });
});
