import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import {
  formatFaultInjection,
  INJECT_SPEC_FORM,
  NO_FAULT_INJECTION,
  parseInjectSpecs,
} from './fault-injection.js';

function specError(specs: readonly string[]): ConfigError {
  try {
    parseInjectSpecs(specs);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(specs)}`);
}

describe('parseInjectSpecs', () => {
  it('reads the documented CLI form', () => {
    const parsed = parseInjectSpecs(['canary:latency=+20ms,slippage=+2bp,rejects=+1%']);
    expect(parsed.canary).toEqual({
      latencyMs: 20,
      latencyPct: 0,
      slippageBps: 2,
      rejectPct: 1,
      feeBps: 0,
    });
    expect(parsed.stable).toEqual(NO_FAULT_INJECTION);
  });

  it('gives no fault for no spec', () => {
    expect(parseInjectSpecs([])).toEqual({
      stable: NO_FAULT_INJECTION,
      canary: NO_FAULT_INJECTION,
    });
  });

  it('accepts s and ms, bp and bps, no sign, spaces and any case', () => {
    expect(parseInjectSpecs(['stable:latency=0.5s']).stable.latencyMs).toBe(500);
    expect(parseInjectSpecs(['stable:latency=1.25ms']).stable.latencyMs).toBe(1.25);
    expect(parseInjectSpecs(['canary:slippage=3bps']).canary.slippageBps).toBe(3);
    expect(parseInjectSpecs(['canary:slippage=.5bp']).canary.slippageBps).toBe(0.5);
    expect(parseInjectSpecs([' Canary : Rejects = +2.5% , LATENCY=+7MS ']).canary).toEqual({
      latencyMs: 7,
      latencyPct: 0,
      slippageBps: 0,
      rejectPct: 2.5,
      feeBps: 0,
    });
  });

  it('adds specs up per arm, across flags, `;` and repeated keys, exactly', () => {
    const parsed = parseInjectSpecs([
      'canary:latency=+20ms;stable:slippage=+1bp',
      'canary:latency=+0.1s,rejects=+0.1%',
      'canary:rejects=+0.2%;canary:latency=-5ms,latency=+1ms',
    ]);
    expect(parsed.canary).toEqual({
      latencyMs: 116,
      latencyPct: 0,
      slippageBps: 0,
      rejectPct: 0.3,
      feeBps: 0,
    });
    expect(parsed.stable).toEqual({
      latencyMs: 0,
      latencyPct: 0,
      slippageBps: 1,
      rejectPct: 0,
      feeBps: 0,
    });
  });

  it('allows negative latency and slippage (checked for meaning by the broker and the range)', () => {
    expect(parseInjectSpecs(['stable:latency=-3ms,slippage=-2bp']).stable).toEqual({
      latencyMs: -3,
      latencyPct: 0,
      slippageBps: -2,
      rejectPct: 0,
      feeBps: 0,
    });
  });

  const bad: readonly (readonly [string, string])[] = [
    ['latency=+20ms', 'missing "ARM:" prefix'],
    ['prod:latency=+20ms', 'unknown arm "prod"'],
    ['canary:', 'no key=value after the arm'],
    ['canary:latency', '"latency" is not key=value'],
    ['canary:speed=+2ms', 'unknown key "speed"'],
    ['canary:fees=+2', 'fees needs the unit bp or bps'],
    ['canary:fees=+2%', 'fees needs the unit bp or bps'],
    ['canary:fees=+0.0000001bp', 'fees has at most 6 decimals (bp)'],
    ['canary:slippage=+0.12345678912345bp', 'slippage has at most 6 decimals (bp)'],
    ['canary:slippage=+3bp,from=25', 'from needs the unit %'],
    ['canary:slippage=+3bp,from=-5%', 'from must be a canary weight between 0% and 100%'],
    ['canary:slippage=+3bp,from=100.5%', 'from must be a canary weight between 0% and 100%'],
    ['canary:slippage=+3bp,from=12.345%', 'from must have at most 2 decimals'],
    ['canary:slippage=+3bp,from=25%,from=50%', 'from is given twice'],
    ['canary:from=25%', 'from needs at least one fault to apply'],
    ['canary:latency=+20', 'latency needs the unit ms, s or %'],
    ['canary:latency=+20bp', 'latency needs the unit ms, s or %'],
    ['canary:slippage=+2ms', 'slippage needs the unit bp or bps'],
    ['canary:rejects=1', 'rejects needs the unit %'],
    ['canary:rejects=-1%', 'rejects cannot be negative'],
    ['canary:latency=fast', 'latency value "fast" is not a signed number with a unit'],
    ['canary:latency=+-2ms', 'is not a signed number with a unit'],
    ['canary:latency=1e3ms', 'is not a signed number with a unit'],
    ['canary:latency=+2ms,,rejects=+1%', 'empty item between commas'],
  ];

  it.each(bad)(
    'rejects %s with E_INJECT_SPEC, quoting it and the expected form',
    (spec, problem) => {
      const error = specError([spec]);
      expect(error.code).toBe('E_INJECT_SPEC');
      expect(error.message).toContain(`"${spec}"`);
      expect(error.message).toContain(problem);
      expect(error.message).toContain(INJECT_SPEC_FORM);
    },
  );

  it('quotes only the bad part of a `;` list', () => {
    const error = specError(['canary:latency=+2ms;stable:rejects=5']);
    expect(error.message).toContain('"stable:rejects=5"');
    expect(error.message).not.toContain('canary:latency');
  });

  it('rejects empty specs', () => {
    expect(specError(['']).message).toContain('empty spec');
    expect(specError(['canary:latency=+1ms;']).message).toContain('empty spec');
  });

  it('rejects totals out of range: rejects over 100 %, slippage reaching ±10000 bp', () => {
    expect(specError(['canary:rejects=+60%', 'canary:rejects=+40.5%']).message).toContain(
      'canary rejects add up to 100.5%',
    );
    expect(parseInjectSpecs(['canary:rejects=+100%']).canary.rejectPct).toBe(100);
    expect(specError(['stable:slippage=-10000bp']).message).toContain('-10000bp');
    expect(specError(['stable:slippage=+9999bp,slippage=+1bp']).code).toBe('E_INJECT_SPEC');
  });

  it('reads back what formatFaultInjection writes', () => {
    const value = (max: number, min: number) =>
      fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);
    fc.assert(
      fc.property(
        fc.constantFrom('stable' as const, 'canary' as const),
        value(1000, -1000),
        value(9000, -9000),
        value(100, 0),
        value(500, 0),
        value(100, -10),
        (arm, latencyMs, slippageBps, rejectPct, latencyPct, feeBps) => {
          const injection = { latencyMs, latencyPct, slippageBps, rejectPct, feeBps };
          const spec = formatFaultInjection(arm, injection);
          expect(parseInjectSpecs([spec])[arm]).toEqual({
            latencyMs: latencyMs + 0, // -0 reads back as 0
            latencyPct: latencyPct + 0,
            slippageBps: slippageBps + 0,
            rejectPct: rejectPct + 0,
            feeBps: feeBps + 0,
          });
        },
      ),
    );
    expect(
      formatFaultInjection('canary', {
        latencyMs: 20,
        latencyPct: 0,
        slippageBps: -2,
        rejectPct: 1,
        feeBps: 0,
      }),
    ).toBe('canary:latency=+20ms,slippage=-2bp,rejects=+1%');
    expect(
      formatFaultInjection('canary', {
        latencyMs: 0,
        latencyPct: 50,
        slippageBps: 0,
        rejectPct: 0,
        feeBps: 0,
      }),
    ).toBe('canary:latency=+50%,latency=+0ms,slippage=+0bp,rejects=+0%');
  });

  it('reads a relative latency in % of the drawn latency, adding up, never negative', () => {
    const parsed = parseInjectSpecs(['canary:latency=+50%', 'canary:latency=+10%,latency=+5ms']);
    expect(parsed.canary).toMatchObject({ latencyPct: 60, latencyMs: 5 });
    expect(() => parseInjectSpecs(['canary:latency=-10%'])).toThrow(
      /relative latency cannot be negative/,
    );
  });

  it('reads fees in bp or bps, adding up exactly, negative allowed (the broker checks the total fee)', () => {
    expect(parseInjectSpecs(['canary:fees=+2bp']).canary).toEqual({
      ...NO_FAULT_INJECTION,
      feeBps: 2,
    });
    const parsed = parseInjectSpecs(['canary:fees=+0.1bp,fees=0.2bps', 'canary:fees=-0.05bp']);
    expect(parsed.canary.feeBps).toBe(0.25);
    expect(parseInjectSpecs(['stable:fees=-3bp']).stable.feeBps).toBe(-3);
    expect(formatFaultInjection('canary', parseInjectSpecs(['canary:fees=+2bp']).canary)).toBe(
      'canary:latency=+0ms,slippage=+0bp,rejects=+0%,fees=+2bp',
    );
  });
});

describe('parseInjectSpecs: weight-conditional faults (from=P%)', () => {
  it('keeps specs with a threshold apart, summed per threshold, ascending', () => {
    const parsed = parseInjectSpecs([
      'canary:slippage=+3bp,from=25%',
      'canary:rejects=+1%;canary:from=50%,latency=+10ms',
      'canary:fees=+1bp,from=25%',
      'canary:slippage=+1bp,from=0%', // 0 % is unconditional
    ]);
    expect(parsed.canary).toEqual({
      ...NO_FAULT_INJECTION,
      slippageBps: 1,
      rejectPct: 1,
      conditional: [
        { ...NO_FAULT_INJECTION, slippageBps: 3, feeBps: 1, fromWeightPct: 25 },
        { ...NO_FAULT_INJECTION, latencyMs: 10, fromWeightPct: 50 },
      ],
    });
    expect(parsed.stable).toEqual(NO_FAULT_INJECTION);
    expect(parsed.stable.conditional).toBeUndefined();
  });

  it('accepts 0.01 % steps and drops tiers that add up to nothing', () => {
    expect(parseInjectSpecs(['canary:rejects=+1%,from=12.34%']).canary.conditional).toEqual([
      { ...NO_FAULT_INJECTION, rejectPct: 1, fromWeightPct: 12.34 },
    ]);
    expect(
      parseInjectSpecs(['canary:slippage=+1bp,from=10%', 'canary:slippage=-1bp,from=10%']).canary,
    ).toEqual(NO_FAULT_INJECTION);
  });

  it('checks the ranges on what applies at each weight', () => {
    expect(specError(['canary:rejects=+60%', 'canary:rejects=+41%,from=50%']).message).toContain(
      'canary rejects add up to 101% at a canary weight of 50% or more, more than 100%',
    );
    expect(
      specError(['stable:slippage=+5000bp,from=10%', 'stable:slippage=+5000bp,from=20%']).message,
    ).toContain('stable slippage adds up to 10000bp at a canary weight of 20% or more');
    // Each level is in range although the tier alone would not be.
    expect(
      parseInjectSpecs(['canary:slippage=-6000bp', 'canary:slippage=+9000bp,from=50%']).canary
        .conditional,
    ).toHaveLength(1);
  });

  it('reads back what formatFaultInjection writes, conditional tiers included', () => {
    const value = (max: number, min: number) =>
      fc.integer({ min: min * 100, max: max * 100 }).map((n) => n / 100);
    const faults = fc.record({
      latencyMs: value(100, -10),
      latencyPct: value(100, 0),
      slippageBps: value(1000, -1000),
      rejectPct: value(10, 0),
      feeBps: value(10, -5),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('stable' as const, 'canary' as const),
        faults,
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 3 }),
        fc.array(faults, { minLength: 3, maxLength: 3 }),
        (arm, base, thresholds, tiers) => {
          const conditional = [...thresholds]
            .sort((a, b) => a - b)
            .map((bps, i) => ({ ...tiers[i]!, fromWeightPct: bps / 100 }))
            .filter((tier) =>
              (['latencyMs', 'latencyPct', 'slippageBps', 'rejectPct', 'feeBps'] as const).some(
                (key) => tier[key] !== 0,
              ),
            );
          const injection = conditional.length === 0 ? base : { ...base, conditional };
          const spec = formatFaultInjection(arm, injection);
          const normal = (x: object): unknown => JSON.parse(JSON.stringify(x)); // -0 as 0
          expect(normal(parseInjectSpecs([spec])[arm])).toEqual(normal(injection));
        },
      ),
    );
    expect(
      formatFaultInjection(
        'canary',
        parseInjectSpecs(['canary:fees=+2bp', 'canary:slippage=+3bp,rejects=+1%,from=25%']).canary,
      ),
    ).toBe(
      'canary:latency=+0ms,slippage=+0bp,rejects=+0%,fees=+2bp;canary:slippage=+3bp,rejects=+1%,from=25%',
    );
  });
});

describe('parseInjectSpecs: faults on a share of the accounts (accounts=P%)', () => {
  it('keeps the share apart from the faults every account gets, with its own tiers', () => {
    const parsed = parseInjectSpecs([
      'canary:fees=+1bp',
      'canary:slippage=+10bp,accounts=20%',
      'canary:rejects=+5%,accounts=20%,from=25%',
    ]).canary;
    expect(parsed.feeBps).toBe(1);
    expect(parsed.slippageBps).toBe(0);
    expect(parsed.subset).toEqual({
      accountsPct: 20,
      faults: {
        latencyMs: 0,
        latencyPct: 0,
        slippageBps: 10,
        rejectPct: 0,
        feeBps: 0,
        conditional: [
          {
            latencyMs: 0,
            latencyPct: 0,
            slippageBps: 0,
            rejectPct: 5,
            feeBps: 0,
            fromWeightPct: 25,
          },
        ],
      },
    });
    // 100 % is every account: no share at all.
    expect(parseInjectSpecs(['canary:slippage=+1bp,accounts=100%']).canary).toEqual(
      parseInjectSpecs(['canary:slippage=+1bp']).canary,
    );
  });

  it.each([
    ['canary:slippage=+1bp,accounts=0%', 'accounts must be more than 0%'],
    ['canary:slippage=+1bp,accounts=120%', 'accounts must be a share of the accounts between'],
    ['canary:slippage=+1bp,accounts=20', 'accounts needs the unit %'],
    ['canary:slippage=+1bp,accounts=12.345%', 'at most 2 decimals'],
    ['canary:slippage=+1bp,accounts=20%,accounts=20%', 'accounts is given twice'],
    ['canary:accounts=20%', 'accounts needs at least one fault to apply'],
    [
      'canary:slippage=+1bp,accounts=20%;canary:rejects=+1%,accounts=30%',
      'one share of the accounts per arm',
    ],
    [
      'canary:rejects=+60%;canary:rejects=+50%,accounts=20%',
      'rejects add up to 110% on accounts=20%',
    ],
  ])('refuses %s', (spec, message) => {
    expect(() => parseInjectSpecs([spec])).toThrow(message);
  });

  it('reads back what formatFaultInjection writes for a share', () => {
    for (const specs of [
      ['canary:slippage=+10bp,accounts=20%'],
      ['stable:latency=+5ms', 'stable:rejects=+2%,accounts=12.5%,from=10%'],
      ['canary:fees=+2bp,from=50%', 'canary:latency=+50%,fees=+1bp,accounts=5%'],
    ]) {
      const parsed = parseInjectSpecs(specs);
      for (const arm of ['stable', 'canary'] as const) {
        const spec = formatFaultInjection(arm, parsed[arm]);
        expect(parseInjectSpecs([spec])[arm]).toEqual(parsed[arm]);
      }
    }
    expect(
      formatFaultInjection(
        'canary',
        parseInjectSpecs(['canary:slippage=+10bp,accounts=20%']).canary,
      ),
    ).toBe('canary:latency=+0ms,slippage=+0bp,rejects=+0%;canary:slippage=+10bp,accounts=20%');
  });
});
