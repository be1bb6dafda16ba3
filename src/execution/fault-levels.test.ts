import { describe, expect, it } from 'vitest';
import { NO_FAULT_INJECTION, parseInjectSpecs } from './fault-injection.js';
import { faultLevels } from './fault-levels.js';

describe('faultLevels', () => {
  it('is one level of the unconditional faults when nothing is conditional', () => {
    const injection = parseInjectSpecs(['canary:latency=+20ms,fees=+2bp']).canary;
    expect(faultLevels(injection)).toEqual([
      { fromWeightBps: 0, faults: { ...NO_FAULT_INJECTION, latencyMs: 20, feeBps: 2 } },
    ]);
  });

  it('adds every tier reached to the levels below it, exactly', () => {
    const injection = parseInjectSpecs([
      'canary:slippage=+0.1bp,rejects=+0.1%',
      'canary:slippage=+0.2bp,from=10%',
      'canary:rejects=+0.2%,fees=+1bp,from=50%',
    ]).canary;
    expect(faultLevels(injection)).toEqual([
      { fromWeightBps: 0, faults: { ...NO_FAULT_INJECTION, slippageBps: 0.1, rejectPct: 0.1 } },
      {
        fromWeightBps: 1000,
        faults: { ...NO_FAULT_INJECTION, slippageBps: 0.3, rejectPct: 0.1 },
      },
      {
        fromWeightBps: 5000,
        faults: { ...NO_FAULT_INJECTION, slippageBps: 0.3, rejectPct: 0.3, feeBps: 1 },
      },
    ]);
  });

  it('merges programmatic tiers with the same threshold, and a threshold of 0 into level 0', () => {
    const levels = faultLevels({
      ...NO_FAULT_INJECTION,
      conditional: [
        { ...NO_FAULT_INJECTION, latencyMs: 5, fromWeightPct: 25 },
        { ...NO_FAULT_INJECTION, latencyMs: 1, fromWeightPct: 0 },
        { ...NO_FAULT_INJECTION, latencyMs: 2, fromWeightPct: 25 },
      ],
    });
    expect(levels.map((l) => [l.fromWeightBps, l.faults.latencyMs])).toEqual([
      [0, 1],
      [2500, 8],
    ]);
  });
});
