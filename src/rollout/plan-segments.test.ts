import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse-plan.js';
import { PlanError } from './plan-error.js';
import { PLAN_PRESETS } from './plan-presets.js';
import { segmentPlan } from './plan.js';
import { RolloutController } from './rollout-controller.js';

const STEPS = [
  { weightPct: 10, minDurationMs: 60_000 },
  { weightPct: 100, minDurationMs: 0 },
];

describe('plan segments', () => {
  it('parses segments with their defaults and own steps, and gives each its plan', () => {
    const plan = parsePlan(
      {
        steps: STEPS,
        segments: {
          list: [
            { name: 'spot', venue: 'binance' },
            {
              name: 'usdm',
              venue: 'binance-futures',
              steps: [
                { weightPct: 5, minDurationMs: 300_000 },
                { weightPct: 100, minDurationMs: 0 },
              ],
            },
            { name: 'all' },
          ],
        },
      },
      'p.json',
    );
    expect(plan.segments?.mode).toBe('parallel');
    expect(plan.segments?.list.map((s) => [s.name, s.venue])).toEqual([
      ['spot', 'binance'],
      ['usdm', 'binance-futures'],
      ['all', null],
    ]);
    const spot = segmentPlan(plan, 'spot');
    const usdm = segmentPlan(plan, 'usdm');
    expect(spot.segments).toBeUndefined();
    expect(spot.steps).toEqual(plan.steps);
    // A segment's steps get the same defaults as the plan's (names, maxima, requirements).
    expect(usdm.steps.map((s) => [s.name, s.weightPct, s.maxDurationMs])).toEqual([
      ['5%', 5, 300_000 * 3],
      ['100%', 100, null],
    ]);
    expect(usdm.steps[0]!.requireNonInferior).toEqual(plan.steps[0]!.requireNonInferior);
    expect(() => segmentPlan(plan, 'nope')).toThrow(RangeError);
  });

  it('refuses bad names, duplicates and bad segment steps, with their paths', () => {
    let error: PlanError | null = null;
    try {
      parsePlan(
        {
          steps: STEPS,
          segments: {
            mode: 'sequence',
            list: [
              { name: 'Spot Venue' },
              { name: 'usdm' },
              { name: 'usdm' },
              { name: 'eth', steps: [{ weightPct: 50, minDurationMs: 0 }] },
            ],
          },
        },
        'p.json',
      );
    } catch (caught) {
      error = caught as PlanError;
    }
    expect(error).toBeInstanceOf(PlanError);
    expect(error!.code).toBe('E_PLAN');
    expect(error!.issues).toMatchObject([
      { path: 'segments.list.0.name' },
      { path: 'segments.list.2.name', message: 'duplicate segment name "usdm"' },
      { path: 'segments.list.3.steps.0.weightPct', message: /the last step must be 100/ },
    ]);
    expect(() => parsePlan({ steps: STEPS, segments: { list: [] } }, 'p.json')).toThrow(
      /segments\.list/,
    );
  });

  it('a single rollout refuses a plan with segments: E_PLAN saying what to do', () => {
    const plan = {
      ...PLAN_PRESETS.short,
      segments: { mode: 'parallel' as const, list: [{ name: 'spot', venue: 'binance' }] },
    };
    expect(
      () => new RolloutController({ plan, mode: 'auto', stableVersion: 'a', canaryVersion: 'b' }),
    ).toThrow(PlanError);
    expect(
      () => new RolloutController({ plan, mode: 'auto', stableVersion: 'a', canaryVersion: 'b' }),
    ).toThrow(/segments: a plan with segments runs one rollout per segment.*segmentPlan/);
    expect(
      () =>
        new RolloutController({
          plan: segmentPlan(plan, 'spot'),
          mode: 'auto',
          stableVersion: 'a',
          canaryVersion: 'b',
        }),
    ).not.toThrow();
  });
});
