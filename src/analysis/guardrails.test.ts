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
const MINUTE = 60_000_000; // decision batches a minute apart

describe('Guardrails', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_GUARDRAIL_LIMITS).toEqual({
      maxLossQuote: null,
      maxLossPct: 2,
      maxDrawdownPct: 3,
      maxGrossExposurePct: 110,
      maxRejectRate: 0.5,
      rejectWindowBatches: 5,
      minBatchesForRejectRate: 3,
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

  it('reject rate over the last K canary decision batches, judged from the minimum batch count on', () => {
    const g = new Guardrails({
      maxRejectRate: 0.3,
      rejectWindowBatches: 4,
      minBatchesForRejectRate: 3,
    });
    const v = view(1000);
    // Two batches fully rejected: 100 %, but too few batches to judge (a venue outage alone).
    for (const batch of [0, 1])
      for (let i = 0; i < 5; i++)
        expect(g.check(v, rejectOf('canary', T + batch * MINUTE, T + 10 + i))).toBeNull();
    const breach = g.check(v, rejectOf('canary', T + 2 * MINUTE, T + 20, 'VENUE'));
    expect(breach?.reason.code).toBe('GUARDRAIL_CANARY_REJECT_RATE');
    expect(breach?.reason.n).toBe(11);
    expect(breach?.reason.message).toMatch(/canary reject canary-\d+ \(VENUE\)/);
    expect(breach?.reason.message).toContain(
      "over the canary's last 3 decision batches (11 orders)",
    );
    // Batches of fills push the rejects out of the window.
    for (let b = 3; b < 7; b++)
      for (let i = 0; i < 5; i++) g.check(v, fillOf('canary', T + b * MINUTE, T + 30 + i, 0));
    expect(g.states(v).find((s) => s.name === 'canaryRejectRate')?.value).toBe(0);
  });

  it('one emptied batch among several is not a breach at the default limit', () => {
    const g = new Guardrails();
    const v = view(1000);
    for (let b = 0; b < 5; b++)
      for (let i = 0; i < 20; i++) {
        const report =
          b === 2
            ? rejectOf('canary', T + b * MINUTE, T + 100 + i, 'VENUE')
            : fillOf('canary', T + b * MINUTE, T + 100 + i, 0);
        expect(g.check(v, report)).toBeNull();
      }
    expect(g.states(v).find((s) => s.name === 'canaryRejectRate')?.value).toBeCloseTo(0.2, 12);
  });

  it('counts decisions within 10 s as one batch: one outage over a quick succession is one batch', () => {
    const g = new Guardrails();
    const v = view(1000);
    // A stop and two re-entries within 4 s, all inside one venue outage: one batch, not three.
    for (const offset of [0, 2_000_000, 4_000_000])
      for (let i = 0; i < 10; i++)
        expect(g.check(v, rejectOf('canary', T + offset, T + offset + 10 + i, 'VENUE'))).toBeNull();
    for (const b of [1, 2])
      for (let i = 0; i < 20; i++)
        expect(g.check(v, fillOf('canary', T + b * MINUTE, T + 1, 0))).toBeNull();
    // Each batch counts once: (1 + 0 + 0) / 3.
    expect(g.states(v).find((s) => s.name === 'canaryRejectRate')?.value).toBeCloseTo(1 / 3, 12);
  });

  it('ignores stable reports and EXPIRED rejects in the reject window', () => {
    const g = new Guardrails({
      maxRejectRate: 0.1,
      rejectWindowBatches: 10,
      minBatchesForRejectRate: 1,
    });
    expect(g.check(view(1000), rejectOf('stable', T, T))).toBeNull();
    expect(g.check(view(1000), rejectOf('canary', T, T, 'EXPIRED'))).toBeNull();
    expect(g.states(view(1000)).find((s) => s.name === 'canaryRejectRate')?.value).toBe(0);
    expect(g.check(view(1000), rejectOf('canary', T, T))).not.toBeNull();
  });

  it('the reject window is the mean of the last K batches’ reject fractions (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), { maxLength: 30 }),
        (window, batches) => {
          const g = new Guardrails({
            maxRejectRate: 1,
            rejectWindowBatches: window,
            minBatchesForRejectRate: 1,
          });
          batches.forEach((outcomes, b) =>
            outcomes.forEach((rejected, i) =>
              g.check(
                view(1000),
                rejected
                  ? rejectOf('canary', T + b * MINUTE, T + b + i)
                  : fillOf('canary', T + b * MINUTE, T + b + i, 0),
              ),
            ),
          );
          const last = batches.slice(-window);
          const want =
            last.length === 0
              ? 0
              : last.reduce((sum, b) => sum + b.filter(Boolean).length / b.length, 0) / last.length;
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
    expect(() => new Guardrails({ rejectWindowBatches: 0 })).toThrow(RangeError);
    expect(() => new Guardrails({ rejectWindowBatches: 3, minBatchesForRejectRate: 4 })).toThrow(
      RangeError,
    );
    expect(() => new Guardrails({ maxRejectRate: 2 })).toThrow(
      /maxRejectRate: must be a fraction from 0 to 1/,
    );
    expect(() => new Guardrails({ maxStrategyErrors: 0.5 })).toThrow(
      /maxStrategyErrors: must be a whole number/,
    );
    expect(new Guardrails({ maxRejectRate: 1, maxStrategyErrors: 2 }).limits).toMatchObject({
      maxRejectRate: 1,
      maxStrategyErrors: 2,
    });
  });

  it('maps state names to reason codes', () => {
    expect(guardrailReasonCode('canaryLossPct')).toBe('GUARDRAIL_CANARY_LOSS_PCT');
    expect(guardrailReasonCode('canaryGrossExposurePct')).toBe(
      'GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT',
    );
    expect(guardrailReasonCode('operatorLimit2X')).toBe('GUARDRAIL_OPERATOR_LIMIT2_X');
  });
});
