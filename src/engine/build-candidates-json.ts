import { TOOL_NAME, TOOL_VERSION } from '../core/tool-version.js';
import { usToIso } from '../core/time.js';
import {
  CANDIDATES_SCHEMA_VERSION,
  candidateEvidenceOf,
  type CandidatesJson,
} from '../report/candidates-json.js';
import { laneWidth } from '../router/index.js';
import type { CandidatesReplayResult } from './run-candidates-replay.js';
import type { ArmStrategyConfig } from './replay-config.js';

/** candidates.json's data from a finished A/B/n replay. */
export function buildCandidatesJson(
  result: CandidatesReplayResult,
  plan: { readonly name: string; readonly source: string; readonly hash: string },
  stable: ArmStrategyConfig,
  files: readonly string[],
  written: boolean,
): CandidatesJson {
  const n = result.candidates.length;
  const width = laneWidth(n);
  const strategyOf = (s: ArmStrategyConfig) => ({
    id: s.spec,
    version: `${s.definition.name}@${s.definition.version}`,
  });
  const statuses = result.candidates.map((c) => c.status);
  const outcome =
    result.winner !== null
      ? 'promoted'
      : statuses.every((status) => status === 'rolled_back')
        ? 'rolled_back'
        : statuses.every((status) => status === 'rolled_back' || status === 'halted')
          ? 'halted'
          : 'in_progress';
  return {
    schemaVersion: CANDIDATES_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    plan: { ...plan, primaryMetric: result.primaryMetric, alphaDividedBy: n },
    inputs: { files },
    stable: strategyOf(stable),
    outcome,
    winner: result.winner,
    decidedAt: result.decidedAtUs === null ? null : usToIso(result.decidedAtUs),
    candidates: result.candidates.map((candidate, index) => {
      const report = candidate.result.report;
      return {
        name: candidate.name,
        strategy: {
          id: report.inputs.strategies.canary.id,
          version: report.inputs.strategies.canary.version,
        },
        lane: {
          index,
          buckets: [index * width, index === n - 1 ? 10_000 : (index + 1) * width] as const,
        },
        accounts: report.inputs.accounts.count,
        status: candidate.status,
        rank: candidate.rank,
        finalWeightPct: report.rollout?.finalWeightPct ?? 0,
        decisions: report.decisions.length,
        evidence: candidateEvidenceOf(candidate.evidence),
        dir: written ? `candidates/${candidate.name}` : null,
      };
    }),
  };
}
