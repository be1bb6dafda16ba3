import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GUARDRAIL_LIMITS,
  Guardrails,
  guardrailReasonCode,
  type GuardrailView,
} from './guardrails.js';
import { fillOf, rejectOf, strategyErrorOf } from './test-support/records.js';

const view = (
  canaryEquity: number,
  canaryContributed = 1000,
  canaryGrossExposure = 0,
): GuardrailView => ({
  canaryEquity,
  canaryContributed,
  canaryGrossExposure,
});
const T = 1_723_161_254_087_891; // 2024-08-08T23:54:14.087891Z

describe('Guardrails', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_GUARDRAIL_LIMITS).toEqual({
      maxLossQuote: null,
      maxLossPct: 2,
      maxDrawdownPct: 3,
      maxGrossExposurePct: 110,
      maxRejectRate: 0.25,
      rejectWindow: 200,
      minOrdersForRejectRate: 50,
      maxStrategyErrors: 0,
    });
  });

  it('canary loss %: 6 % of contributed capital breaches a 5 % limit, 4 % does not', () => {
    const g = new Guardrails({ maxLossPct: 5, maxDrawdownPct: null });
    expect(g.check(view(960), null)).toBeNull();
    const breach = g.check(view(940), fillOf('canary', T - 5000, T, 1));
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_LOSS_PCT');
    expect(breach?.reason.estimate).toBeCloseTo(6, 12);
    expect(breach?.reason.margin).toBe(5);
    expect(breach?.reason.message).toContain('at 2024-08-08T23:54:14.087891Z');
    expect(breach?.states.find((s) => s.name === 'canaryLossPct')).toMatchObject({
      breached: true,
      unit: '%',
    });
  });

  it('canary loss in currency, when set, comes first', () => {
    const g = new Guardrails({ maxLossQuote: 10 });
    expect(g.check(view(991), null)).toBeNull();
    expect(g.check(view(989), null)?.reason.code).toBe('GUARDRAIL_CANARY_LOSS_QUOTE');
  });

  it('drawdown is measured from the P&L peak, and accounts moving in are not a gain', () => {
    const g = new Guardrails({ maxLossPct: null });
    expect(g.check(view(1100), null)).toBeNull(); // P&L +100: the peak
    // P&L −5: drawdown (100 − (−5)) / 1000 = 10.5 % > 10 %, while the loss is only 0.5 %.
    const breach = g.check(view(995), null);
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_DRAWDOWN_PCT');
    expect(breach?.reason.estimate).toBeCloseTo(10.5, 10);

    const flows = new Guardrails();
    flows.check(view(1010, 1000), null); // P&L +10
    // 9,000 of accounts move in: contributed 10,000, equity 10,010 → P&L still +10, no drawdown.
    expect(
      flows.states(view(10_010, 10_000)).find((s) => s.name === 'canaryDrawdownPct')?.value,
    ).toBe(0);
    // P&L +5 after the move: drawdown 5 / 10,000 = 0.05 %.
    expect(
      flows.states(view(10_005, 10_000)).find((s) => s.name === 'canaryDrawdownPct')?.value,
    ).toBeCloseTo(0.05, 12);
  });

  it('starts a new drawdown peak when the canary book changes from paper to real', () => {
    const g = new Guardrails({ maxLossPct: null, maxDrawdownPct: 3 });
    // The shadow step's paper book gains 100 on 1,000 of capital: the paper peak.
    expect(g.check({ ...view(1100), canaryBook: 'paper' }, null)).toBeNull();
    // The real canary starts at P&L 0 (−100 from the paper peak would be a 10 % drawdown).
    const drawdown = (v: GuardrailView) =>
      g.states(v).find((s) => s.name === 'canaryDrawdownPct')?.value;
    expect(drawdown({ ...view(1000), canaryBook: 'real' })).toBe(0);
    expect(g.check({ ...view(1000), canaryBook: 'real' }, null)).toBeNull();
    // Its own peak is what counts from then on: +20, then −20 is a 4 % drawdown.
    g.check({ ...view(1020), canaryBook: 'real' }, null);
    expect(g.check({ ...view(980), canaryBook: 'real' }, null)?.reason.code).toBe(
      'GUARDRAIL_CANARY_DRAWDOWN_PCT',
    );
  });

  it('gross exposure % of canary equity; any exposure on no equity breaches', () => {
    const g = new Guardrails({ maxGrossExposurePct: 200 });
    expect(g.check(view(1000, 1000, 2000), null)).toBeNull(); // exactly 200 %: not above
    expect(g.check(view(1000, 1000, 2500), null)?.reason.code).toBe(
      'GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT',
    );
    const broke = new Guardrails({ maxLossPct: null, maxDrawdownPct: null });
    const breach = broke.check(view(0, 1000, 10), null);
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT');
    expect(breach?.reason.estimate).toBeNull();
  });

  it('reject rate over the last N canary orders, judged from the minimum count on', () => {
    const g = new Guardrails({ maxRejectRate: 0.3, rejectWindow: 10, minOrdersForRejectRate: 5 });
    const v = view(1000);
    for (let i = 0; i < 4; i++) expect(g.check(v, rejectOf('canary', T, T + i))).toBeNull(); // 4 of 4, too few
    const breach = g.check(v, rejectOf('canary', T, T + 4, 'VENUE'));
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_REJECT_RATE');
    expect(breach?.reason.n).toBe(5);
    expect(breach?.reason.message).toMatch(/canary reject canary-\d+ \(VENUE\)/);
    expect(breach?.reason.message).toContain('over the last 5 canary orders');
    // Fills push the rejects out of the window: 10 fills later the rate is 0.
    for (let i = 0; i < 10; i++) g.check(v, fillOf('canary', T, T + 10 + i, 0));
    expect(g.states(v).find((s) => s.name === 'canaryRejectRate')?.value).toBe(0);
  });

  it('ignores stable reports and EXPIRED rejects in the reject window', () => {
    const g = new Guardrails({ maxRejectRate: 0.1, rejectWindow: 10, minOrdersForRejectRate: 1 });
    expect(g.check(view(1000), rejectOf('stable', T, T))).toBeNull();
    expect(g.check(view(1000), rejectOf('canary', T, T, 'EXPIRED'))).toBeNull();
    expect(g.states(view(1000)).find((s) => s.name === 'canaryRejectRate')?.value).toBe(0);
    expect(g.check(view(1000), rejectOf('canary', T, T))).not.toBeNull();
  });

  it('the reject window equals the rate over the last N outcomes (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.boolean(), { maxLength: 120 }),
        (window, outcomes) => {
          const g = new Guardrails({
            maxRejectRate: 1,
            rejectWindow: window,
            minOrdersForRejectRate: 1,
          });
          outcomes.forEach((rejected, i) =>
            g.check(
              view(1000),
              rejected ? rejectOf('canary', T, T + i) : fillOf('canary', T, T + i, 0),
            ),
          );
          const last = outcomes.slice(-window);
          const want = last.length === 0 ? 0 : last.filter(Boolean).length / last.length;
          expect(
            g.states(view(1000)).find((s) => s.name === 'canaryRejectRate')?.value,
          ).toBeCloseTo(want, 12);
        },
      ),
    );
  });

  it('the first canary strategy error breaches by default; stable ones do not count', () => {
    const g = new Guardrails();
    expect(g.check(view(1000), strategyErrorOf('stable', T))).toBeNull();
    const breach = g.check(view(1000), strategyErrorOf('canary', T));
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_STRATEGY_ERRORS');
    expect(breach?.reason.message).toContain(
      'canary strategy error at 2024-08-08T23:54:14.087891Z: boom',
    );
    const lenient = new Guardrails({ maxStrategyErrors: 1 });
    expect(lenient.check(view(1000), strategyErrorOf('canary', T))).toBeNull();
    expect(lenient.check(view(1000), strategyErrorOf('canary', T))).not.toBeNull();
  });

  it('reports only enabled guardrails, in a fixed order, and never breaches a disabled one', () => {
    const g = new Guardrails({ maxLossPct: null, maxStrategyErrors: null, maxLossQuote: 50 });
    expect(g.states(view(1000)).map((s) => s.name)).toEqual([
      'canaryLossQuote',
      'canaryDrawdownPct',
      'canaryGrossExposurePct',
      'canaryRejectRate',
    ]);
    expect(g.check(view(1000), strategyErrorOf('canary', T))).toBeNull();
  });

  it('has no capital-based reading while the canary has no capital', () => {
    const g = new Guardrails();
    expect(g.check(view(0, 0, 0), null)).toBeNull();
    expect(g.states(view(0, 0, 0)).every((s) => s.value === 0 && !s.breached)).toBe(true);
  });

  it('refuses bad limits', () => {
    expect(() => new Guardrails({ maxLossPct: -1 })).toThrow(RangeError);
    expect(() => new Guardrails({ maxRejectRate: Number.NaN })).toThrow(RangeError);
    expect(() => new Guardrails({ rejectWindow: 0 })).toThrow(RangeError);
    expect(() => new Guardrails({ rejectWindow: 10, minOrdersForRejectRate: 11 })).toThrow(
      RangeError,
    );
  });

  it('maps state names to reason codes', () => {
    expect(guardrailReasonCode('canaryLossPct')).toBe('GUARDRAIL_CANARY_LOSS_PCT');
    expect(guardrailReasonCode('canaryGrossExposurePct')).toBe(
      'GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT',
    );
    expect(guardrailReasonCode('operatorLimit2X')).toBe('GUARDRAIL_OPERATOR_LIMIT2_X');
  });
});
