import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { PairedEdge } from './paired-edge.js';
import { equityOf, fillOf } from './test-support/records.js';

const MINUTE_US = 60_000_000;
const T0 = 1_000 * MINUTE_US;

/** A fill of `notional` quote units on `arm` at `tsUs`. */
const traded = (arm: 'stable' | 'canary', tsUs: number, notional: number) => ({
  ...fillOf(arm, tsUs, tsUs, 0),
  price: new Decimal(100),
  quantity: new Decimal(notional / 100),
});

describe('PairedEdge', () => {
  it('is the return difference per unit of turnover, flow-adjusted (hand-computed)', () => {
    const e = new PairedEdge(MINUTE_US);
    e.onEquity(equityOf('stable', T0, 1000, 1000));
    e.onEquity(equityOf('canary', T0, 100, 100));
    // Interval 1: stable trades 500 and earns 0.1 %; canary trades 50 and earns 0.2 %.
    e.fill(traded('stable', T0 + 10, 500));
    e.fill(traded('canary', T0 + 10, 50));
    e.onEquity(equityOf('canary', T0 + MINUTE_US, 100.2, 100));
    expect(e.onEquity(equityOf('stable', T0 + MINUTE_US, 1001, 1000))).toBe(true);
    // Interval 2: 50 of capital moves from stable to canary (a flow); nobody trades.
    e.onEquity(equityOf('stable', T0 + 2 * MINUTE_US, 951.5, 950));
    expect(e.onEquity(equityOf('canary', T0 + 2 * MINUTE_US, 150.3, 150))).toBe(true);
    const y1 = (0.002 - 0.001) * 1e4; // 10 bps
    const x1 = (0.5 + 0.5) / 2; // turnover 0.5 on both arms
    const y2 = (150.3 / (100.2 + 50) - 1 - (951.5 / (1001 - 50) - 1)) * 1e4;
    const v = e.sequence('rollout').variance();
    expect(v.intervals).toBe(2);
    expect(v.estimate).toBeCloseTo((y1 + y2) / x1, 9);
    expect(v.totalX).toBeCloseTo(0.5, 12);
  });

  it('moves by exactly −k for a fee of k bps on every canary fill (A/A)', () => {
    const e = new PairedEdge(MINUTE_US);
    let stable = 1000;
    let canary = 1000;
    e.onEquity(equityOf('stable', T0, stable, 1000));
    e.onEquity(equityOf('canary', T0, canary, 1000));
    for (let k = 1; k <= 10; k++) {
      const notional = 100 + 37 * (k % 3);
      const market = (k % 2 === 0 ? 1 : -1) * 0.4; // both arms earn the same
      stable += market;
      canary += market - (notional * 3) / 1e4; // 3 bps more in fees
      e.fill(traded('stable', T0 + k * MINUTE_US - 10, notional));
      e.fill(traded('canary', T0 + k * MINUTE_US - 10, notional));
      e.onEquity(equityOf('stable', T0 + k * MINUTE_US, stable, 1000));
      e.onEquity(equityOf('canary', T0 + k * MINUTE_US, canary, 1000));
    }
    expect(e.sequence('rollout').variance().estimate).toBeCloseTo(-3, 1);
  });

  it('skips intervals without capital, off the grid, after a gap, and around a membership change', () => {
    const e = new PairedEdge(MINUTE_US);
    e.onEquity(equityOf('stable', T0, 1000, 1000));
    e.onEquity(equityOf('canary', T0, 0, 0));
    e.onEquity(equityOf('stable', T0 + MINUTE_US, 1000, 1000));
    expect(e.onEquity(equityOf('canary', T0 + MINUTE_US, 100, 100))).toBe(false); // no capital before
    e.onEquity(equityOf('stable', T0 + MINUTE_US + 1_000_000, 1, 1));
    expect(e.onEquity(equityOf('canary', T0 + MINUTE_US + 1_000_000, 1, 1))).toBe(false); // off grid
    e.onEquity(equityOf('stable', T0 + 3 * MINUTE_US, 1000, 1000));
    expect(e.onEquity(equityOf('canary', T0 + 3 * MINUTE_US, 100, 100))).toBe(false); // gap
    e.markMembershipChange(T0 + 3 * MINUTE_US + 5);
    for (const k of [4, 5]) {
      e.onEquity(equityOf('stable', T0 + k * MINUTE_US, 1000, 1000));
      expect(e.onEquity(equityOf('canary', T0 + k * MINUTE_US, 100, 100))).toBe(false);
    }
    e.onEquity(equityOf('stable', T0 + 6 * MINUTE_US, 1000, 1000));
    expect(e.onEquity(equityOf('canary', T0 + 6 * MINUTE_US, 100, 100))).toBe(true);
  });

  it('restarts the step sequence at a new step, not the rollout one', () => {
    const e = new PairedEdge(MINUTE_US);
    for (let k = 0; k <= 3; k++) {
      if (k === 2) e.startStep();
      e.onEquity(equityOf('stable', T0 + k * MINUTE_US, 1000 + k, 1000));
      e.onEquity(equityOf('canary', T0 + k * MINUTE_US, 1000 + 2 * k, 1000));
    }
    expect(e.sequence('rollout').intervals).toBe(3);
    expect(e.sequence('step').intervals).toBe(2);
  });
});
