import { describe, expect, it } from 'vitest';
import { decisionLogRows, type AuditLineForReport } from './decision-log.js';

function line(overrides: Partial<AuditLineForReport>): AuditLineForReport {
  return {
    seq: 1,
    at: '2024-08-08T23:54:14.087891Z',
    kind: 'decision',
    action: 'hold',
    disposition: 'applied',
    trigger: 'analysis',
    fromWeightPct: 5,
    toWeightPct: 5,
    detail: null,
    reasons: [],
    ...overrides,
  };
}

describe('decisionLogRows', () => {
  it('one row per entry, in order, with its own fields, weights and main reason', () => {
    const rows = decisionLogRows([
      line({
        seq: 1,
        kind: 'start',
        action: 'start',
        trigger: 'operator',
        fromWeightPct: 0,
        toWeightPct: 0,
        detail: { code: 'START', message: 'rollout of b over a' },
      }),
      line({
        seq: 2,
        at: '2024-08-08T23:54:20.000000Z',
        reasons: [
          { code: 'WAIT_MIN_DURATION', message: 'step 0 has run 6 s' },
          { code: 'METRIC_INCONCLUSIVE', message: 'slippageBps' },
        ],
      }),
      line({
        seq: 3,
        at: '2024-08-08T23:55:00.000000Z',
        action: 'rollback',
        disposition: 'overridden',
        fromWeightPct: 5,
        toWeightPct: 0,
        detail: { code: 'OPERATOR', message: 'by hand' },
        reasons: [{ code: 'METRIC_WORSE', message: 'slippageBps worse' }],
      }),
      line({ seq: 4, kind: 'transition-complete', trigger: null, reasons: [] }),
    ]);
    expect(rows).toEqual([
      {
        seq: 1,
        at: '2024-08-08T23:54:14.087891Z',
        kind: 'start',
        action: 'start',
        disposition: 'applied',
        trigger: 'operator',
        weights: '0 %',
        reason: 'START: rollout of b over a',
      },
      {
        seq: 2,
        at: '2024-08-08T23:54:20.000000Z',
        kind: 'decision',
        action: 'hold',
        disposition: 'applied',
        trigger: 'analysis',
        weights: '5 %',
        reason: 'WAIT_MIN_DURATION: step 0 has run 6 s',
      },
      {
        seq: 3,
        at: '2024-08-08T23:55:00.000000Z',
        kind: 'decision',
        action: 'rollback',
        disposition: 'overridden',
        trigger: 'analysis',
        weights: '5 % → 0 %',
        reason: 'OPERATOR: by hand',
      },
      {
        seq: 4,
        at: '2024-08-08T23:54:14.087891Z',
        kind: 'transition-complete',
        action: 'hold',
        disposition: 'applied',
        trigger: '',
        weights: '5 %',
        reason: '',
      },
    ]);
  });
});
