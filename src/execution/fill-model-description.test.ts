import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { DEFAULT_EXECUTION_CONFIG, type ExecutionConfig } from './execution-config.js';
import { NO_INJECTIONS, parseInjectSpecs } from './fault-injection.js';
import { describeFillModel } from './fill-model-description.js';
import { SimulatedBroker } from './simulated-broker.js';

describe('describeFillModel', () => {
  const config: ExecutionConfig = {
    latency: {
      stable: { baseMs: 15, jitterMs: 5 },
      canary: { baseMs: 12, jitterMs: 4, jitterSigma: 0.8 },
    },
    feeBps: 7.5,
    minNotional: new Decimal('5.00'),
    protectionBandBps: 40,
  };
  const injections = parseInjectSpecs(['canary:latency=+20ms,slippage=+2bp,rejects=+1%']);

  it('gives the parameters and the injections per arm', () => {
    const d = describeFillModel(config, injections);
    expect(d.parameters).toMatchObject({ feeBps: 7.5, minNotional: '5', protectionBandBps: 40 });
    expect(d.parameters.latency.stable).toEqual({
      baseMs: 15,
      jitterMs: 5,
      jitterSigma: 0.5,
      jitterDistribution: 'lognormal',
      injectedMs: 0,
      injectedPct: 0,
      meanArrivalMs: 20,
    });
    expect(d.parameters.latency.canary.meanArrivalMs).toBe(36); // 12 + 4 + 20
    const scaled = describeFillModel(
      config,
      parseInjectSpecs(['canary:latency=+50%,latency=+1ms']),
    );
    expect(scaled.parameters.latency.canary.meanArrivalMs).toBe(25); // (12 + 4) × 1.5 + 1
    expect(d.parameters.latency.canary.jitterSigma).toBe(0.8);
    expect(d.injections.canary).toEqual({
      latencyMs: 20,
      latencyPct: 0,
      slippageBps: 2,
      rejectPct: 1,
      feeBps: 0,
      spec: 'canary:latency=+20ms,slippage=+2bp,rejects=+1%',
    });
    expect(d.injections.stable.spec).toBe('stable:latency=+0ms,slippage=+0bp,rejects=+0%');
  });

  it('states the assumptions with their numbers and the reject order', () => {
    const text = describeFillModel(config, injections).assumptions.join('\n');
    for (const fact of [
      'filled in full',
      'buy at the ask and a sell at the bid',
      'No market impact and no queue position',
      'canary 12 ms + jitter of mean 4 ms + 20 ms injected',
      '7.5 bps',
      'mid of the last quote',
      'positive = worse for us',
      '< 5;',
      'worse than 40 bps',
    ])
      expect(text).toContain(fact);
    // The venue's fee is rounded to 10⁻⁸ and a slipped price to the tick (docs/fill-model.md).
    expect(text).toContain('rounded half-even to 10⁻⁸');
    expect(text).toContain("rounded half-even to the symbol's tick");
    expect(text).not.toMatch(/not rounded|worsened by exactly/u);
    expect(describeFillModel(config, injections).rejectChecks.map((c) => c.split(' ')[0])).toEqual([
      'MIN_NOTIONAL',
      'INJECTED',
      'PRICE_PROTECTION',
      'INSUFFICIENT_BUYING_POWER',
      'EXPIRED',
    ]);
  });

  it('is plain JSON, the same from the broker', () => {
    const d = describeFillModel(DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    const broker = new SimulatedBroker({ config: DEFAULT_EXECUTION_CONFIG, seed: 1 });
    expect(broker.describeFillModel()).toEqual(d);
    expect(d.parameters.minNotional).toBe('5');
    expect(d.parameters.feeBps).toBe(10);
    expect(d.parameters.accountSlippageSdBps).toBe(0);
    expect(d.parameters.outages).toBeNull();
    expect(d.assumptions).toContain('No venue outages.');
    expect(d.assumptions).toContain('No weight-conditional faults.');
  });

  it('records fees, weight-conditional faults, account offsets and outages, re-readable', () => {
    const planted = parseInjectSpecs([
      'canary:fees=+2bp',
      'canary:slippage=+3bp,from=25%',
      'stable:rejects=+1%,from=50%',
    ]);
    const d = describeFillModel(
      { ...config, accountSlippageSdBps: 0.8, outages: { perHour: 36, durationMs: 1000 } },
      planted,
    );
    expect(d.parameters.accountSlippageSdBps).toBe(0.8);
    expect(d.parameters.outages).toEqual({ perHour: 36, durationMs: 1000 });
    expect(d.injections.canary).toMatchObject({
      feeBps: 2,
      conditional: [{ slippageBps: 3, fromWeightPct: 25 }],
    });
    expect(d.injections.canary.spec).toBe(
      'canary:latency=+0ms,slippage=+0bp,rejects=+0%,fees=+2bp;canary:slippage=+3bp,from=25%',
    );
    for (const arm of ['stable', 'canary'] as const) {
      const { spec, ...injection } = d.injections[arm];
      expect(parseInjectSpecs([spec])[arm]).toEqual(injection);
    }
    const text = d.assumptions.join('\n');
    for (const fact of [
      'injected fee bps added to the fee rate',
      'stable from a canary weight of 50%; canary from a canary weight of 25%',
      'Normal(0, 0.8 bps)',
      'windows of 1000 ms',
      '36 per hour of event time',
      'VENUE (inside a venue outage), INJECTED',
    ])
      expect(text).toContain(fact);
    expect(d.rejectChecks[1]).toBe('VENUE (arrival)');
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
