import { describe, expect, it } from 'vitest';
import { describeDecision, type HeardDecision } from './describe-decision.js';

const increase: HeardDecision = {
  at: '2024-08-08T23:54:40.000000Z',
  action: 'increase',
  fromWeightPct: 10,
  toWeightPct: 10,
  disposition: 'proposed',
  reasons: [{ code: 'ALL_NON_INFERIOR', message: 'increase to 50 %' }],
};

describe('describeDecision', () => {
  it('says when a decision was not applied: a proposal, a refusal', () => {
    expect(describeDecision(increase)).toBe(
      'decision 2024-08-08T23:54:40.000000Z  increase 10 % (proposed)  ALL_NON_INFERIOR: increase to 50 %',
    );
    expect(describeDecision({ ...increase, disposition: 'refused', reasons: [] })).toBe(
      'decision 2024-08-08T23:54:40.000000Z  increase 10 % (refused)',
    );
  });

  it('shows an applied change of weight as it moved', () => {
    expect(
      describeDecision({ ...increase, disposition: 'applied', toWeightPct: 50, reasons: [] }),
    ).toBe('decision 2024-08-08T23:54:40.000000Z  increase 10 % → 50 %');
  });
});
