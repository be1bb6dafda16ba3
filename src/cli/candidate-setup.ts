import { ConfigError } from '../core/errors.js';
import type { ArmStrategyConfig, ReplayConfig } from '../engine/replay-config.js';
import { candidateName } from '../engine/candidate-name.js';
import type { CandidateReplay } from '../engine/run-candidates-replay.js';
import { parseInjectSpecs } from '../execution/index.js';
import { candidateLanePlan } from '../rollout/index.js';
import { bucketOf, laneOfBucket } from '../router/index.js';
import type { LaneInjectSpecs } from './lane-inject-specs.js';

/** The names of `count` candidates: `c1`, `c2`, … (their directories and `--inject` prefixes). */
export function candidateNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => candidateName(i));
}

/**
 * Each candidate's lane run of an A/B/n replay (docs/rollout.md, "Several candidates"): the
 * accounts of its lane of the router (`laneOfBucket` under the run's salt), the candidate as the
 * canary strategy, its faults (the common `--inject` parts plus its own `cK/…`), and the plan with
 * its error rates divided by the number of candidates, promotions held for the choice.
 * @throws ConfigError `E_USAGE` when a lane has no account (too few accounts for the candidates)
 */
export function candidateReplays(
  config: ReplayConfig,
  candidates: readonly ArmStrategyConfig[],
  inject: LaneInjectSpecs,
): CandidateReplay[] {
  const rollout = config.rollout;
  if (rollout === undefined) throw new RangeError('an A/B/n replay runs a plan');
  const n = candidates.length;
  const names = candidateNames(n);
  const laneOf = new Map(
    config.accounts.map((account) => [
      account.id,
      laneOfBucket(bucketOf(config.salt, account.id), n),
    ]),
  );
  const plan = candidateLanePlan(rollout.plan, n);
  return candidates.map((candidate, index) => {
    const accounts = config.accounts.filter((account) => laneOf.get(account.id) === index);
    if (accounts.length === 0)
      throw new ConfigError(
        'E_USAGE',
        `candidate ${names[index]} (${candidate.spec}) has no account in its lane: ${config.accounts.length} accounts are too few for ${n} candidates`,
      );
    return {
      name: names[index]!,
      config: {
        ...config,
        accounts,
        lane: { index, candidates: n },
        strategies: { stable: config.strategies.stable, canary: candidate },
        injections: parseInjectSpecs([
          ...inject.common,
          ...(inject.byLane.get(names[index]!) ?? []),
        ]),
        rollout: { ...rollout, plan, holdPromotion: true, auditPath: null },
      },
    };
  });
}
