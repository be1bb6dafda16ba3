import type { FaultInjection } from '../execution/index.js';
import { canonicalJson, planHash, sha256Hex, type RolloutPlan } from '../rollout/index.js';
import type { AuditedInput } from './replay-lane.js';
import type { ReplayConfig } from './replay-config.js';

/** An injection as hashed: `feeBps` and `conditional` only when set (older hashes stay valid). */
function hashedInjection(injection: FaultInjection): object {
  const { feeBps, conditional, ...rest } = injection;
  return {
    ...rest,
    ...(feeBps === 0 ? {} : { feeBps }),
    ...(conditional === undefined || conditional.length === 0 ? {} : { conditional }),
  };
}

/**
 * The configuration's hash, written on every audit line: plan, strategies and parameters, accounts,
 * routing, execution model, injections, input files and a trades-only read. A resumed or compared
 * run with another hash is another experiment.
 */
export function configHash(
  config: ReplayConfig,
  plan: RolloutPlan,
  inputs: readonly AuditedInput[],
): string {
  return sha256Hex(
    canonicalJson({
      plan: planHash(plan),
      strategies: {
        stable: { spec: config.strategies.stable.spec, params: config.strategies.stable.params },
        canary: { spec: config.strategies.canary.spec, params: config.strategies.canary.params },
      },
      accounts: sha256Hex(
        config.accounts.map((a) => `${a.id},${a.capital.toFixed()},${a.override ?? ''}`).join('\n'),
      ),
      salt: config.salt,
      seed: config.seed,
      execution: {
        feeBps: config.execution.feeBps,
        minNotional: config.execution.minNotional.toFixed(),
        protectionBandBps: config.execution.protectionBandBps,
        latency: config.execution.latency,
        // Later additions only when set, so that the hash of a run without them is unchanged.
        ...((config.execution.accountSlippageSdBps ?? 0) === 0
          ? {}
          : { accountSlippageSdBps: config.execution.accountSlippageSdBps }),
        ...((config.execution.outages ?? null) === null
          ? {}
          : { outages: config.execution.outages }),
      },
      injections: {
        stable: hashedInjection(config.injections.stable),
        canary: hashedInjection(config.injections.canary),
      },
      maxLeverage: config.maxLeverage,
      quantityDecimals: config.quantityDecimals,
      sampleIntervalMs: config.sampleIntervalMs,
      inputs,
      // Only when set, so the hashes of runs that read quotes stay what they were.
      ...(config.feed.tradesOnly === true ? { tradesOnly: true } : {}),
      ...(config.segment === undefined ? {} : { segment: config.segment }),
      ...(config.lane === undefined ? {} : { lane: config.lane }),
    }),
  );
}
