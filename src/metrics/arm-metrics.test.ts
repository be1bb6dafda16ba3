import { firstValueFrom, from, map, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { FillReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { armMetrics } from './arm-metrics.js';
import { MAX_BOUNDARIES_PER_GAP } from './interval-boundaries.js';
import type { MetricsInput } from './metrics-input.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';

const order = (tsUs: number, arm: Arm = 'stable'): MetricsInput => ({ type: 'order', tsUs, arm });

function fill(tsUs: number, arm: Arm, slippageBps: number): FillReport {
  return {
    type: 'fill',
    orderId: `${arm}-${tsUs}`,
    accountId: 'a1',
    arm,
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: new Decimal('1'),
    decisionTsUs: tsUs - 2000,
    tsUs,
    price: new Decimal('100'),
    fee: new Decimal('0'),
    latencyMs: 2,
    slippageBps,
  };
}

/** What the marble tests compare: time stamp, final flag and each arm's order and fill counts. */
interface Brief {
  readonly tsUs: number;
  readonly final: boolean;
  readonly stable: string;
  readonly canary: string;
}
const brief = (s: MetricsSnapshot): Brief => ({
  tsUs: s.tsUs,
  final: s.final,
  stable: `${s.arms.stable.orders}o${s.arms.stable.fills}f`,
  canary: `${s.arms.canary.orders}o${s.arms.canary.fills}f`,
});
const snap = (tsUs: number, stable: string, canary: string, final = false): Brief => ({
  tsUs,
  final,
  stable,
  canary,
});

function marbles(run: (helpers: ReturnType<typeof helpersOf>) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run((h) => run(helpersOf(h)));
}
function helpersOf(h: Parameters<Parameters<TestScheduler['run']>[0]>[0]) {
  return {
    ...h,
    briefs: (source: Observable<MetricsInput>, intervalMs = 1) =>
      source.pipe(armMetrics({ intervalMs }), map(brief)),
  };
}

describe('armMetrics (marbles, 1 ms interval = 1000 µs)', () => {
  it('emits a snapshot stamped at the boundary when event time crosses it, then a final one', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>('a-b-c-|', {
        a: order(100),
        b: order(900, 'canary'),
        c: fill(1500, 'stable', 1),
      });
      expectObservable(briefs(source)).toBe('----x-(y|)', {
        x: snap(1000, '1o0f', '1o0f'),
        y: snap(1500, '1o1f', '1o0f', true),
      });
    });
  });

  it('counts an input exactly on a boundary in the interval that ends there', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>('a-b-c|', {
        a: order(500),
        b: order(1000),
        c: order(1001),
      });
      expectObservable(briefs(source)).toBe('----x(y|)', {
        x: snap(1000, '2o0f', '0o0f'),
        y: snap(1001, '3o0f', '0o0f', true),
      });
    });
  });

  it('emits one snapshot per boundary when several are crossed at once', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>('a-b------|', { a: order(100), b: order(3500, 'canary') });
      expectObservable(briefs(source)).toBe('--(xyz)--(f|)', {
        x: snap(1000, '1o0f', '0o0f'),
        y: snap(2000, '1o0f', '0o0f'),
        z: snap(3000, '1o0f', '0o0f'),
        f: snap(3500, '1o0f', '1o0f', true),
      });
    });
  });

  it('emits only the first and last boundary of a gap longer than MAX_BOUNDARIES_PER_GAP', () => {
    const farUs = (MAX_BOUNDARIES_PER_GAP + 5) * 1000 + 500;
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>('a-b-----|', { a: order(100), b: order(farUs, 'canary') });
      expectObservable(briefs(source)).toBe('--(xy)--(f|)', {
        x: snap(1000, '1o0f', '0o0f'),
        y: snap(farUs - 500, '1o0f', '0o0f'),
        f: snap(farUs, '1o0f', '1o0f', true),
      });
    });
  });

  it('flushes a final snapshot on completion', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>('a|', { a: order(42, 'canary') });
      expectObservable(briefs(source)).toBe('-(f|)', { f: snap(42, '0o0f', '1o0f', true) });
    });
  });

  it('emits nothing without input', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      expectObservable(briefs(cold<MetricsInput>('---|'))).toBe('---|');
    });
  });

  it('passes errors on, without a final snapshot', () => {
    marbles(({ cold, expectObservable, briefs }) => {
      const source = cold<MetricsInput>(
        'a-b-#',
        { a: order(100), b: order(1500) },
        new Error('feed broke'),
      );
      expectObservable(briefs(source)).toBe(
        '--x-#',
        { x: snap(1000, '1o0f', '0o0f') },
        new Error('feed broke'),
      );
    });
  });

  it('turns a bad input into an error and unsubscribes from the source', () => {
    marbles(({ cold, expectObservable, expectSubscriptions, briefs }) => {
      const bad = { type: 'order', tsUs: 10, arm: 'blue' } as unknown as MetricsInput;
      const source = cold<MetricsInput>('a-b-c|', { a: order(1), b: bad, c: order(20) });
      expectObservable(briefs(source)).toBe(
        '--#',
        undefined,
        new RangeError('armMetrics: unknown arm "blue"'),
      );
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('runs on event time: the same inputs at any pace give the same snapshots', () => {
    const inputs: MetricsInput[] = [
      order(0),
      fill(2500, 'canary', -1),
      order(61_000),
      order(61_001, 'canary'),
    ];
    const collect = (): Promise<MetricsSnapshot[]> =>
      firstValueFrom(from(inputs).pipe(armMetrics({ intervalMs: 30 }), toArray()));
    const slow: MetricsSnapshot[] = [];
    marbles(({ cold }) => {
      const paced = cold<MetricsInput>('a 1m b 10s c 300m d |', {
        a: inputs[0]!,
        b: inputs[1]!,
        c: inputs[2]!,
        d: inputs[3]!,
      });
      paced.pipe(armMetrics({ intervalMs: 30 })).subscribe((s) => slow.push(s));
    });
    expect(slow).toHaveLength(4);
    return collect().then((fast) => {
      expect(fast.map((s) => s.tsUs)).toEqual([0, 30_000, 60_000, 61_001]);
      expect(slow).toEqual(fast);
    });
  });
});

describe('armMetrics (snapshot contents)', () => {
  it('carries per-arm statistics and equity figures, cumulative since the start', async () => {
    const inputs: MetricsInput[] = [
      { type: 'equity', tsUs: 0, arm: 'stable', equity: 1000, capital: 1000 },
      { type: 'equity', tsUs: 0, arm: 'canary', equity: 500, capital: 500 },
      order(10),
      fill(20, 'stable', 4),
      order(30, 'canary'),
      {
        type: 'reject',
        orderId: 'canary-1',
        accountId: 'c1',
        arm: 'canary',
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: new Decimal('1'),
        decisionTsUs: 30,
        tsUs: 40,
        reason: 'PRICE_PROTECTION',
        message: 'moved',
      },
      { type: 'strategy-error', tsUs: 50, arm: 'canary', message: 'NaN exposure' },
      { type: 'equity', tsUs: 1000, arm: 'stable', equity: 1010, capital: 1000 },
      { type: 'equity', tsUs: 1000, arm: 'canary', equity: 490, capital: 500 },
      order(1500),
    ];
    const snapshots = await firstValueFrom(
      from(inputs).pipe(armMetrics({ intervalMs: 1 }), toArray()),
    );
    // first input at 0 starts the interval (−1000, 0]; boundaries 0 and 1000 are crossed, then final
    expect(snapshots.map((s) => [s.tsUs, s.final])).toEqual([
      [0, false],
      [1000, false],
      [1500, true],
    ]);
    const at1000 = snapshots[1]!.arms;
    expect(at1000.stable).toMatchObject({
      orders: 1,
      fills: 1,
      rejects: 0,
      strategyErrors: 0,
      latencyMs: { mean: 2, max: 2 },
      slippageBps: { mean: 4 },
      equity: 1010,
      capital: 1000,
      equitySamples: 2,
    });
    expect(at1000.stable.returnPct).toBeCloseTo(1, 10);
    expect(at1000.canary).toMatchObject({
      orders: 1,
      fills: 0,
      rejects: 1,
      rejectsByReason: { PRICE_PROTECTION: 1, INJECTED: 0 },
      strategyErrors: 1,
      latencyMs: { p50: null, mean: null },
      equity: 490,
    });
    expect(at1000.canary.returnPct).toBeCloseTo(-2, 10);
    expect(at1000.canary.maxDrawdownPct).toBeCloseTo(2, 10);
    expect(snapshots[2]!.arms.stable.orders).toBe(2);
  });

  it('rejects a non-positive interval when piped', () => {
    expect(() => armMetrics({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => armMetrics({ intervalMs: Number.NaN })).toThrow(RangeError);
  });
});
