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
    scope: 'step' as const,
    n: 50,
    nStable: 400,
    unitOfObservation: 'fills',
    unitOfCluster: 'buckets',
    policy: { margin: 5, rollbackAlpha: 0.005, nonInferiorityAlpha: 0.025 },
    test: 'paired-buckets/mean/normal-mixture-cs',
    required: true,
  };
  const bounds = (estimate: number, lower: number, upper: number, clusters = 12) => ({
    estimate,
    lower,
    upper,
    clusters,
    varianceModel: 'within' as const,
    variance: 1,
  });

  it('fills every field and says it in the message, each bound with its own α', () => {
    const e = metricEvidence({ ...base, bounds: bounds(12.5, 7.25, 17.75) });
    expect(e).toEqual({
      code: 'METRIC_WORSE',
      metric: 'latencyMs',
      message:
        'latencyMs (step) canary − stable 12.5 ms, bounds [7.25 @99.5%, 17.75 @97.5%], 50/400 fills in 12 buckets, margin 5: worse',
      estimate: 12.5,
      ci: [7.25, 17.75],
      n: 50,
      nStable: 400,
      margin: 5,
      test: 'paired-buckets/mean/normal-mixture-cs',
      alpha: 0.005,
      verdict: 'worse',
      scope: 'step',
      unit: 'ms',
      alphaNonInferiority: 0.025,
      clusters: 12,
      required: true,
    });
  });

  it('puts the rollback α on the bound that shows harm: the upper one for a higher-is-better metric', () => {
    const e = metricEvidence({
      ...base,
      metric: 'edgeBps',
      policy: { ...base.policy, margin: 2 },
      unitOfObservation: 'intervals',
      unitOfCluster: 'intervals',
      bounds: bounds(-1, -1.5, -0.5),
    });
    expect(e.message).toContain('bounds [-1.5 @97.5%, -0.5 @99.5%]');
    expect(e.verdict).toBe('non_inferior');
    expect(e.unit).toBe('bps of traded notional');
  });

  it('flags a dry-run metric and says it never acts; other metrics carry no flag', () => {
    const dry = metricEvidence({
      ...base,
      policy: { ...base.policy, dryRun: true },
      bounds: bounds(12.5, 7.25, 17.75),
    });
    expect(dry.dryRun).toBe(true);
    expect(dry.verdict).toBe('worse');
    expect(dry.message).toMatch(/margin 5: worse \(dry run: never acts\)$/u);
    expect('dryRun' in metricEvidence({ ...base, bounds: bounds(12.5, 7.25, 17.75) })).toBe(false);
  });

  it('says METRIC_TOO_FEW below two clusters', () => {
    const few = metricEvidence({ ...base, bounds: bounds(100, -Infinity, Infinity, 1) });
    expect(few.verdict).toBe('inconclusive');
    expect(few.code).toBe('METRIC_TOO_FEW');
    expect(few.message).toContain('fewer than 2 buckets');
  });

  it('turns unbounded bounds and missing estimates into null (JSON-safe)', () => {
    const e = metricEvidence({ ...base, n: 0, bounds: bounds(Number.NaN, -Infinity, Infinity, 0) });
    expect(e.ci).toBeNull();
    expect(e.estimate).toBeNull();
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
