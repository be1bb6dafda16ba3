import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './server-message.js';

const STATE = {
  status: 'step',
  halted: false,
  stepIndex: 1,
  weightPct: 5,
  resumedFrom: 'new',
} as const;

const DECISION = {
  seq: 3,
  at: '2024-08-08T23:55:00.000Z',
  action: 'rollback',
  fromWeightPct: 5,
  toWeightPct: 0,
  stepIndex: 1,
  disposition: 'applied',
  reasons: [
    {
      code: 'METRIC_WORSE',
      metric: 'slippageBps',
      message: 'slippage worse',
      estimate: 5,
      ci: [4.1, null],
      n: 70,
      nStable: 918,
      margin: 2,
      test: 'paired-bucket-normal-mixture',
      alpha: 0.025,
      verdict: 'worse',
      scope: 'step',
    },
  ],
  guardrails: [{ name: 'canaryLossPct', value: 0.1, limit: 2, unit: '%', breached: false }],
};

const parse = (frame: unknown) => parseServerFrame(JSON.stringify(frame));

describe('parseServerFrame', () => {
  it('reads every kind of frame the server sends', () => {
    const frames = [
      {
        type: 'welcome',
        role: 'operator',
        rollout: { id: 'r-1', versions: { stable: 'bot@1.0.0', canary: 'bot@2.0.0' } },
        recentDecisions: [DECISION],
      },
      { type: 'state', seq: 0, state: STATE },
      { type: 'decision', seq: 4, decision: DECISION },
      {
        type: 'assignment',
        seq: 5,
        assignment: {
          accountId: 'a1',
          from: 'stable',
          to: 'canary',
          atTsUs: 1,
          positions: 'flatten',
        },
      },
      {
        type: 'metrics',
        seq: 6,
        snapshot: { tsUs: 1, final: false, arms: { stable: { fills: 1 }, canary: { fills: 0 } } },
      },
      {
        type: 'result',
        requestId: null,
        command: 'halt',
        ok: true,
        applied: false,
        refusal: { code: 'ALREADY_HALTED', message: 'halted already' },
        changed: false,
        state: STATE,
      },
      {
        type: 'ack',
        reportId: 'r-1',
        accepted: false,
        rejection: { code: 'WRONG_ARM', message: 'no' },
        repeated: true,
      },
      { type: 'error', code: 'RATE_LIMITED', message: 'slow down', reportId: 'r-2' },
    ];
    for (const frame of frames) expect(parse(frame)).toEqual({ ok: true, frame });
  });

  it('refuses what is not a frame of this protocol, saying where', () => {
    const cases: [unknown, string][] = [
      [{ type: 'hello' }, 'unknown type "hello"'],
      [[1, 2], 'not a JSON object'],
      [{ type: 'state', seq: 0, state: { ...STATE, weightPct: 101 } }, 'state.weightPct'],
      [{ type: 'state', seq: -1, state: STATE }, 'seq'],
      [{ type: 'state', seq: 0, state: STATE, extra: 1 }, 'state'],
      [{ type: 'ack', reportId: 'r', accepted: 'yes' }, 'accepted'],
      [{ type: 'ack', reportId: 'x'.repeat(257), accepted: true }, 'reportId'],
      [
        { type: 'ack', reportId: 'r', accepted: false, rejection: { code: 'NOPE', message: '' } },
        'rejection.code',
      ],
      [{ type: 'error', code: 'TEAPOT', message: 'x' }, 'code'],
      [{ type: 'welcome', role: 'agent', rollout: { id: 'r', versions: {} } }, 'role'],
      [{ type: 'decision', seq: 1, decision: { ...DECISION, action: 'pause' } }, 'decision.action'],
      [
        { type: 'decision', seq: 1, decision: { ...DECISION, reasons: [{ code: 'X' }] } },
        'decision.reasons.0',
      ],
    ];
    for (const [frame, where] of cases) {
      const parsed = parse(frame);
      expect(parsed.ok, JSON.stringify(frame)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(where);
    }
    expect(parseServerFrame('{not json')).toEqual({ ok: false, error: 'not JSON' });
  });
});
