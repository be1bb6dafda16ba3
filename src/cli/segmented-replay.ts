import { cliReplayRunOptions } from './replay-run-options.js';
import { buildSegmentsJson } from '../engine/build-segments-json.js';
import type { ReplayConfig } from '../engine/replay-config.js';
import { runSegmentedReplay } from '../engine/run-segmented-replay.js';
import { notStartedText, segmentsTable, type SegmentsJson } from '../report/segments-json.js';
import { planHash } from '../rollout/index.js';
import type { CliIo } from './cli-io.js';
import type { PendingRunDirectory } from './run-directory.js';
import { replayInLanes, type LanesReplayOptions } from './replay-lanes.js';
import type { LaneInjectSpecs } from './lane-inject-specs.js';
import { segmentReplays } from './segment-setup.js';

/**
 * `replay` of a plan with segments (docs/rollout.md, "Segments"): one rollout per segment in one
 * pass over the files; each decision printed with its segment; with `--out`, segments.json and
 * segments.md, and each segment's full run directory under `segments/NAME/`.
 */
export async function replaySegmented(
  io: CliIo,
  options: LanesReplayOptions,
  pending: PendingRunDirectory | null,
  config: ReplayConfig,
  inject: LaneInjectSpecs,
  totalBytes: number,
): Promise<void> {
  const plan = config.rollout?.plan;
  const segments = plan?.segments;
  if (plan === undefined || segments === undefined)
    throw new RangeError('a segmented replay runs a plan with segments');
  const runs = segmentReplays(config, segments, inject);
  const venueOf = new Map(runs.map((run) => [run.name, run.venue]));
  await replayInLanes(io, options, pending, {
    kind: 'segments',
    lanes: runs,
    totalBytes,
    run: (lanes, onProgress) =>
      runSegmentedReplay(
        config,
        segments.mode,
        lanes.map((lane) => ({ ...lane, venue: venueOf.get(lane.name) ?? null })),
        { onProgress },
        cliReplayRunOptions(options.signal),
      ),
    results: (result) =>
      result.segments.map((segment) => ({
        name: segment.name,
        result: segment.result,
        header: `segment ${segment.name} (${segment.venue ?? 'every venue'}): ${segment.events.toLocaleString('en-US')} events${
          segment.notStarted === null ? '' : `; not started (${notStartedText(segment.notStarted)})`
        }`,
      })),
    summary: (result, written) => {
      const json = buildSegmentsJson(
        result,
        { name: plan.name, source: plan.source, hash: planHash(plan) },
        segments.mode,
        config.files,
        written,
      );
      return { json, table: segmentsTable(json), overview: overview(json) };
    },
  });
}

/** The segments' outcomes, one line each, for the terminal. */
function overview(summary: SegmentsJson): string {
  const lines = [`segments (${summary.plan.mode}):`];
  const width = Math.max(...summary.segments.map((s) => s.name.length));
  for (const s of summary.segments) {
    const outcome =
      s.notStarted === null ? s.outcome : `not started (${notStartedText(s.notStarted)})`;
    lines.push(
      `  ${s.name.padEnd(width)}  ${outcome}, weight ${s.finalWeightPct} %, ${s.decisions} decision${s.decisions === 1 ? '' : 's'}${
        s.latestDecision === null
          ? ''
          : `; latest: ${s.latestDecision.action} at ${s.latestDecision.at}${s.latestDecision.message === null ? '' : `, ${s.latestDecision.code ?? ''} ${s.latestDecision.message}`}`
      }`,
    );
  }
  const unrouted = Object.entries(summary.inputs.unroutedEvents);
  if (unrouted.length > 0)
    lines.push(
      `  events of venues no segment trades: ${unrouted.map(([venue, n]) => `${venue} ${n.toLocaleString('en-US')}`).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}
