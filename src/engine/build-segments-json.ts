import { TOOL_NAME, TOOL_VERSION } from '../core/tool-version.js';
import { usToIso } from '../core/time.js';
import { SEGMENTS_SCHEMA_VERSION, segmentDir, type SegmentsJson } from '../report/segments-json.js';
import type { PlanSegments } from '../rollout/index.js';
import type { SegmentedReplayResult } from './run-segmented-replay.js';

/** segments.json's data from a finished segmented replay. */
export function buildSegmentsJson(
  result: SegmentedReplayResult,
  plan: { readonly name: string; readonly source: string; readonly hash: string },
  mode: PlanSegments['mode'],
  files: readonly string[],
  written: boolean,
): SegmentsJson {
  return {
    schemaVersion: SEGMENTS_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    plan: { ...plan, mode },
    inputs: { files, unroutedEvents: result.unroutedEvents },
    segments: result.segments.map((segment) => {
      const report = segment.result.report;
      const last = report.decisions[report.decisions.length - 1];
      return {
        name: segment.name,
        venue: segment.venue,
        accounts: report.inputs.accounts.count,
        events: segment.events,
        startedAt: segment.startedAtUs === null ? null : usToIso(segment.startedAtUs),
        notStarted: segment.notStarted,
        outcome: segment.notStarted === null ? report.outcome : 'not_started',
        finalWeightPct: report.rollout?.finalWeightPct ?? 0,
        decisions: report.decisions.length,
        latestDecision:
          last === undefined
            ? null
            : {
                at: last.at,
                action: last.action,
                disposition: last.disposition,
                toWeightPct: last.toWeightPct,
                code: last.reasons[0]?.code ?? null,
                message: last.reasons[0]?.message ?? null,
              },
        dir: written ? segmentDir(segment.name) : null,
      };
    }),
  };
}
