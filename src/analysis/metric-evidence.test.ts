import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricEvidence, verdictOf } from './metric-evidence.js';

describe('verdictOf', () => {
  it('lower-is-better, margin 1: the brief’s rules, edges included', () => {
    const cases: ReadonlyArray<readonly [number, number, string]> = [
      [1.5, 3, 'worse'], // L > m
      [1, 3, 'inconclusive'], // L = m: not shown worse by more than m
      [-2, -0.5, 'better'], // U < 0
      [-1, 0.5, 'non_inferior'], // U < m
      [0.2, 0.9, 'non_inferior'], // worse than 0 but within the margin
      [-1, 1, 'inconclusive'], // U = m
      [-Infinity, Infinity, 'inconclusive'],
    ];
    for (const [lower, upper, verdict] of cases) {
      expect(verdictOf('lower-is-better', lower, upper, 1), `[${lower}, ${upper}]`).toBe(verdict);
    }
  });

  it('higher-is-better, margin 1: the mirror rules', () => {
    const cases: ReadonlyArray<readonly [number, number, string]> = [
      [-3, -1.5, 'worse'], // U < −m
      [0.5, 2, 'better'], // L > 0
      [-0.5, 2, 'non_inferior'], // L > −m
      [-1, 2, 'inconclusive'], // L = −m
      [-0.9, -0.2, 'non_inferior'],
      [-2, -1, 'inconclusive'], // U = −m
      [-Infinity, Infinity, 'inconclusive'],
    ];
    for (const [lower, upper, verdict] of cases) {
      expect(verdictOf('higher-is-better', lower, upper, 1), `[${lower}, ${upper}]`).toBe(verdict);
    }
  });

  it('is the mirror image for higher-is-better, and consistent with the bounds (fast-check)', () => {
    const bound = fc.double({ min: -100, max: 100, noNaN: true });
    fc.assert(
      fc.property(bound, bound, fc.double({ min: 0.001, max: 50, noNaN: true }), (a, b, m) => {
        const [lower, upper] = a <= b ? [a, b] : [b, a];
        const v = verdictOf('lower-is-better', lower, upper, m);
        expect(verdictOf('higher-is-better', -upper, -lower, m)).toBe(v);
        expect(v === 'worse').toBe(lower > m);
        expect(v === 'better').toBe(upper < 0);
        expect(v === 'better' || v === 'non_inferior').toBe(upper < m);
      }),
    );
  });
});

describe('metricEvidence', () => {
  const base = {
    metric: 'latencyMs' as const,
    n: 50,
    nStable: 400,
    unitOfObservation: 'batches',
    policy: { margin: 5, alpha: 0.0125 },
    test: 'normal-mixture-cs/two-sample/batch-means',
    minObservations: 10,
  };

  it('fills every field and says it in the message', () => {
    const e = metricEvidence({ ...base, interval: { estimate: 12.5, lower: 7.25, upper: 17.75 } });
    expect(e).toEqual({
      code: 'METRIC_WORSE',
      metric: 'latencyMs',
      message:
        'latencyMs canary − stable 12.5 ms, 98.75% CS [7.25, 17.75], n 50/400 batches, margin 5: worse',
      estimate: 12.5,
      ci: [7.25, 17.75],
      n: 50,
      nStable: 400,
      margin: 5,
      test: 'normal-mixture-cs/two-sample/batch-means',
      alpha: 0.0125,
      verdict: 'worse',
    });
  });

  it('forces inconclusive below minObservations on either arm, even with a damning interval', () => {
    const interval = { estimate: 100, lower: 90, upper: 110 };
    const few = metricEvidence({ ...base, n: 9, interval });
    expect(few.verdict).toBe('inconclusive');
    expect(few.code).toBe('METRIC_TOO_FEW');
    expect(few.message).toContain('fewer than 10 per arm');
    expect(metricEvidence({ ...base, nStable: 9, interval }).code).toBe('METRIC_TOO_FEW');
    expect(metricEvidence({ ...base, n: 10, nStable: 10, interval }).code).toBe('METRIC_WORSE');
  });

  it('turns unbounded intervals and missing estimates into null (JSON-safe)', () => {
    const e = metricEvidence({
      ...base,
      n: 0,
      interval: { estimate: 0, lower: -Infinity, upper: Infinity },
    });
    expect(e.ci).toBeNull();
    expect(e.estimate).toBeNull();
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
