import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { MetricsInput } from '../metrics/metrics-input.js';
import { ArmComparison } from './arm-comparison.js';
import { RunningMoments } from './running-moments.js';
import { equityOf, fillOf, orderSent, rejectOf } from './test-support/records.js';

const MS = 1000;

describe('decision batches (through ArmComparison.record)', () => {
  it('a batch becomes one observation: the mean of its fills, hand-computed', () => {
    const c = new ArmComparison();
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) c.record(orderSent('canary', t));
    expect(c.record(fillOf('canary', t, t + 10 * MS, 1.0))).toBe(false);
    expect(c.record(fillOf('canary', t, t + 20 * MS, 2.0))).toBe(false);
    expect(c.openBatches).toBe(1);
    // Third report: batch complete (event time has moved past t). Means: 4/3 bps, 20 ms.
    expect(c.record(fillOf('canary', t, t + 30 * MS, 1.0))).toBe(true);
    expect(c.counts('canary')).toMatchObject({ orders: 3, fills: 3, completedBatches: 1 });
    expect(c.openBatches).toBe(0);
  });

  it('an order rejected on submission does not split its decision into two batches', () => {
    const c = new ArmComparison();
    const t = 5_000_000;
    // The engine: order, immediate reject (same tsUs), then the decision's next orders.
    c.record(orderSent('stable', t));
    expect(c.record(rejectOf('stable', t, t, 'MIN_NOTIONAL'))).toBe(false);
    c.record(orderSent('stable', t));
    c.record(orderSent('stable', t));
    expect(c.openBatches).toBe(1);
    c.record(fillOf('stable', t, t + 5 * MS, 3));
    expect(c.record(fillOf('stable', t, t + 7 * MS, 5))).toBe(true);
    expect(c.counts('stable')).toMatchObject({
      orders: 3,
      fills: 2,
      rejects: 1,
      completedBatches: 1,
    });
  });

  it('a batch rejected in full completes when event time moves on, with no slippage observation', () => {
    const c = new ArmComparison();
    const t = 7_000_000;
    c.record(orderSent('canary', t));
    c.record(rejectOf('canary', t, t, 'MIN_NOTIONAL'));
    expect(c.counts('canary').completedBatches).toBe(0);
    // Anything later (here a stable order) closes it.
    expect(c.record(orderSent('stable', t + 1))).toBe(true);
    expect(c.counts('canary').completedBatches).toBe(1);
    // No fill, so no batch-mean observation: slippage still has n = 0.
    const slippage = c.evaluate().find((e) => e.metric === 'slippageBps')!;
    expect(slippage.n).toBe(0);
  });

  it('an equity sample at or after the decision time closes a fully reported batch', () => {
    const c = new ArmComparison({ intervalMs: 1_000 });
    const t = 9_000_000;
    c.record(orderSent('canary', t));
    c.record(rejectOf('canary', t, t, 'MIN_NOTIONAL'));
    expect(c.record(equityOf('stable', t - 1, 100, 100))).toBe(false); // before t: cannot close
    expect(c.counts('canary').completedBatches).toBe(0);
    expect(c.record(equityOf('stable', t, 100, 100))).toBe(true);
    expect(c.counts('canary').completedBatches).toBe(1);
  });

  it('orders expired at the end of data complete their batch but are not reject-rate observations', () => {
    const c = new ArmComparison();
    const t = 11_000_000;
    c.record(orderSent('canary', t));
    c.record(orderSent('canary', t));
    c.record(fillOf('canary', t, t + 3 * MS, 0.5));
    expect(c.record(rejectOf('canary', t, t + 9 * MS, 'EXPIRED'))).toBe(true);
    expect(c.counts('canary')).toMatchObject({
      rejects: 1,
      resolvedOrders: 1,
      completedBatches: 1,
    });
    const reject = c.evaluate().find((e) => e.metric === 'rejectRate')!;
    expect(reject.n).toBe(1);
  });

  it('reports of unknown batches count but do not create batches', () => {
    const c = new ArmComparison();
    expect(c.record(fillOf('stable', 1, 2_000, 1))).toBe(false);
    expect(c.counts('stable')).toMatchObject({ fills: 1, completedBatches: 0 });
    expect(c.openBatches).toBe(0);
  });

  it('engine-like streams: every decision completes exactly once, means match, memory drains (fast-check)', () => {
    const decisionArb = fc.record({
      gapUs: fc.integer({ min: 0, max: 3 }), // 0: same event time as the previous decision
      arm: fc.constantFrom<Arm>('stable', 'canary'),
      orders: fc.array(
        fc.record({
          immediate: fc.boolean(),
          delay: fc.integer({ min: 1, max: 6 }),
          fills: fc.boolean(),
          slippageBps: fc.integer({ min: -20, max: 20 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(fc.array(decisionArb, { minLength: 1, maxLength: 40 }), (decisions) => {
        // Event times: each decision at tsUs; an arm decides once per event time (the engine asks
        // each arm once per market event), so a same-arm decision at the same time moves on by 1.
        const perTime = new Map<number, Set<Arm>>();
        let ts = 1_000;
        const planned = decisions.map((d) => {
          ts += d.gapUs;
          if (perTime.get(ts)?.has(d.arm)) ts += 1;
          if (!perTime.has(ts)) perTime.set(ts, new Set());
          perTime.get(ts)!.add(d.arm);
          return { ...d, tsUs: ts };
        });
        const lastUs = ts + 10;
        // Expected batch means, computed directly.
        const expected: Record<Arm, RunningMoments> = {
          stable: new RunningMoments(),
          canary: new RunningMoments(),
        };
        const byKey = new Map<string, number[]>();
        for (const d of planned) {
          const key = `${d.arm}@${d.tsUs}`;
          const fills = byKey.get(key) ?? [];
          for (const o of d.orders)
            if (!o.immediate && o.fills && d.tsUs + o.delay <= lastUs) fills.push(o.slippageBps);
          byKey.set(key, fills);
        }
        for (const [key, fills] of byKey) {
          if (fills.length === 0) continue;
          const arm = key.split('@')[0] as Arm;
          expected[arm].push(fills.reduce((a, b) => a + b, 0) / fills.length);
        }
        // The stream, in the engine's order: at each event time, due reports, then decisions
        // (each order followed by its immediate reject, if any); an equity sample now and then.
        const stream: MetricsInput[] = [];
        const due = new Map<number, MetricsInput[]>();
        for (let now = 1_000; now <= lastUs; now++) {
          if (now % 7 === 0) stream.push(equityOf('stable', now - 1, 1, 1));
          for (const report of due.get(now) ?? []) stream.push(report);
          due.delete(now);
          for (const d of planned.filter((p) => p.tsUs === now)) {
            for (const o of d.orders) {
              stream.push(orderSent(d.arm, now));
              if (o.immediate) {
                stream.push(rejectOf(d.arm, now, now, 'MIN_NOTIONAL'));
                continue;
              }
              const at = now + o.delay;
              const report = o.fills
                ? fillOf(d.arm, now, at, o.slippageBps)
                : rejectOf(d.arm, now, at, 'PRICE_PROTECTION');
              if (at <= lastUs) due.set(at, [...(due.get(at) ?? []), report]);
              else
                due.set(lastUs + 1, [
                  ...(due.get(lastUs + 1) ?? []),
                  rejectOf(d.arm, now, lastUs, 'EXPIRED'),
                ]);
            }
          }
        }
        for (const report of due.get(lastUs + 1) ?? []) stream.push(report);
        stream.push(equityOf('stable', lastUs, 1, 1), equityOf('canary', lastUs, 1, 1));

        const c = new ArmComparison();
        for (const input of stream) c.record(input);
        expect(c.openBatches).toBe(0);
        for (const arm of ['stable', 'canary'] as const) {
          const keys = [...byKey.keys()].filter((k) => k.startsWith(`${arm}@`)).length;
          expect(c.counts(arm).completedBatches).toBe(keys);
        }
        const evidence = c.evaluate();
        const slippage = evidence.find((e) => e.metric === 'slippageBps')!;
        expect(slippage.n).toBe(expected.canary.n);
        expect(slippage.nStable).toBe(expected.stable.n);
        if (expected.canary.n > 0 && expected.stable.n > 0) {
          expect(slippage.estimate).toBeCloseTo(expected.canary.mean - expected.stable.mean, 9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
