import { cliReplayRunOptions } from './replay-run-options.js';
import { buildCandidatesJson } from '../engine/build-candidates-json.js';
import type { ArmStrategyConfig, ReplayConfig } from '../engine/replay-config.js';
import { runCandidatesReplay } from '../engine/run-candidates-replay.js';
import { candidatesTable } from '../report/candidates-json.js';
import { candidatesOverview } from './candidates-overview.js';
import { candidateChoiceLine } from './candidate-choice-line.js';
import { planHash, primaryMetricOf } from '../rollout/index.js';
import { candidateReplays } from './candidate-setup.js';
import type { CliIo } from './cli-io.js';
import type { PendingRunDirectory } from './run-directory.js';
import { replayInLanes, type LanesReplayOptions } from './replay-lanes.js';
import type { LaneInjectSpecs } from './lane-inject-specs.js';

/**
 * `replay --candidate A --candidate B …`: an A/B/n rollout (docs/rollout.md, "Several
 * candidates"), each candidate in its own lane of the router; each decision printed with its
 * candidate, and the choice of a candidate when it is made; with `--out`, candidates.json and
 * candidates.md, and each candidate's full run directory under `candidates/cK/`.
 */
export async function replayCandidates(
  io: CliIo,
  options: LanesReplayOptions,
  pending: PendingRunDirectory | null,
  config: ReplayConfig,
  candidates: readonly ArmStrategyConfig[],
  inject: LaneInjectSpecs,
  totalBytes: number,
): Promise<void> {
  const plan = config.rollout?.plan;
  if (plan === undefined) throw new RangeError('an A/B/n replay runs a plan');
  const primaryMetric = primaryMetricOf(plan);
  await replayInLanes(io, options, pending, {
    kind: 'candidates',
    lanes: candidateReplays(config, candidates, inject),
    totalBytes,
    run: (lanes, onProgress) =>
      runCandidatesReplay(
        config,
        primaryMetric,
        lanes,
        {
          onProgress,
          onChoice: (choice) => io.stdout.write(candidateChoiceLine(choice, options.json === true)),
        },
        cliReplayRunOptions(options.signal),
      ),
    results: (result) =>
      result.candidates.map((candidate) => ({
        name: candidate.name,
        result: candidate.result,
        header: `candidate ${candidate.name} (${candidate.result.report.inputs.strategies.canary.id}): ${candidate.status}${
          candidate.rank === null ? '' : `, rank ${candidate.rank}`
        }`,
      })),
    summary: (result, written) => {
      const json = buildCandidatesJson(
        result,
        { name: plan.name, source: plan.source, hash: planHash(plan) },
        config.strategies.stable,
        config.files,
        written,
      );
      return { json, table: candidatesTable(json), overview: candidatesOverview(json) };
    },
  });
}
