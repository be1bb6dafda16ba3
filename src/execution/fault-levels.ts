import { Decimal } from '../core/money.js';
import type { FaultInjection, FaultValues } from './fault-injection.js';

/** The faults in effect on one arm while the canary's weight is in `[fromWeightBps, next level)`. */
export interface FaultLevel {
  /** Canary weight, bps, from which this level applies (0 for the first). */
  readonly fromWeightBps: number;
  /** The unconditional faults plus every conditional tier up to this threshold, summed exactly. */
  readonly faults: FaultValues;
}

const KEYS = ['latencyMs', 'latencyPct', 'slippageBps', 'rejectPct', 'feeBps'] as const;

/**
 * An arm's faults as cumulative levels by canary weight, ascending: level 0 is the unconditional
 * faults; each conditional threshold starts a level that adds its tier to the one below. Tiers
 * with the same threshold add up; a threshold of 0 adds to level 0. Sums are exact (decimal).
 * With `subsetAccount`, the levels of an account the `accounts=P%` faults hit: those faults and
 * tiers are added to everyone's.
 *
 * @example
 * faultLevels(parseInjectSpecs(['canary:fees=+1bp', 'canary:fees=+2bp,from=25%']).canary);
 * // [{ fromWeightBps: 0, faults: { ..., feeBps: 1 } }, { fromWeightBps: 2500, faults: { ..., feeBps: 3 } }]
 */
export function faultLevels(injection: FaultInjection, subsetAccount = false): FaultLevel[] {
  const byThreshold = new Map<number, FaultValues[]>();
  const layers = [
    injection,
    ...(subsetAccount && injection.subset ? [injection.subset.faults] : []),
  ];
  for (const layer of layers) {
    byThreshold.set(0, [...(byThreshold.get(0) ?? []), layer]);
    for (const tier of layer.conditional ?? []) {
      const bps = Math.round(tier.fromWeightPct * 100);
      byThreshold.set(bps, [...(byThreshold.get(bps) ?? []), tier]);
    }
  }
  const running: Record<(typeof KEYS)[number], Decimal> = {
    latencyMs: new Decimal(0),
    latencyPct: new Decimal(0),
    slippageBps: new Decimal(0),
    rejectPct: new Decimal(0),
    feeBps: new Decimal(0),
  };
  const levels: FaultLevel[] = [];
  for (const bps of [...byThreshold.keys()].sort((a, b) => a - b)) {
    for (const values of byThreshold.get(bps)!) {
      for (const key of KEYS) running[key] = running[key].plus(String(values[key]));
    }
    levels.push({
      fromWeightBps: bps,
      faults: {
        latencyMs: running.latencyMs.toNumber(),
        latencyPct: running.latencyPct.toNumber(),
        slippageBps: running.slippageBps.toNumber(),
        rejectPct: running.rejectPct.toNumber(),
        feeBps: running.feeBps.toNumber(),
      },
    });
  }
  return levels;
}
