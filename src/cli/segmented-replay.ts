import { mkdir, writeFile } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import { slowCanaryWarning } from '../engine/decision-timer.js';
import type { ReplayConfig } from '../engine/replay-config.js';
import { runSegmentedReplay, type SegmentReplay } from '../engine/run-segmented-replay.js';
import { reportDecisionOf } from '../report/report-json.js';
import { buildSegmentsJson } from '../engine/build-segments-json.js';
import {
  notStartedText,
  renderSegmentsMd,
  segmentDir,
  type SegmentsJson,
} from '../report/segments-json.js';
import { planHash } from '../rollout/index.js';
import type { CliIo } from './cli-io.js';
import { FillsJournal } from './fills-journal.js';
import { formatDecisionLine, formatSummary } from './format-summary.js';
import { createProgressBar } from './progress-bar.js';
import { RUN_FILES, type PendingRunDirectory, writeRunOutputs } from './run-directory.js';
import { segmentReplays, type SegmentInjectSpecs } from './segment-setup.js';

/** What a segmented replay's output needs of `replay`'s options. */
export interface SegmentedReplayOptions {
  readonly out?: string;
  readonly json?: boolean;
  readonly progress: boolean;
  readonly fills: boolean;
}

/**
 * `replay` of a plan with segments (docs/rollout.md, "Segments"): one rollout per segment in one
 * pass over the files; each decision printed with its segment; with `--out`, segments.json and
 * segments.md, and each segment's full run directory under `segments/NAME/`.
 */
export async function replaySegmented(
  io: CliIo,
  options: SegmentedReplayOptions,
  pending: PendingRunDirectory | null,
  config: ReplayConfig,
  inject: SegmentInjectSpecs,
  totalBytes: number,
): Promise<void> {
  const plan = config.rollout?.plan;
  const segments = plan?.segments;
  if (plan === undefined || segments === undefined)
    throw new RangeError('a segmented replay runs a plan with segments');
  const dirOf = (name: string): string | null =>
    pending === null ? null : join(pending.dir, segmentDir(name));
  if (pending !== null)
    for (const dir of [
      join(pending.dir, RUN_FILES.segmentsDir),
      ...segments.list.map((s) => dirOf(s.name)!),
    ]) {
      try {
        await mkdir(dir);
      } catch (error) {
        throw new OutputError(dir, error);
      }
    }
  const runs = segmentReplays(config, segments, inject, (name) => {
    const dir = dirOf(name);
    return dir === null ? null : join(dir, RUN_FILES.audit);
  });
  const journals = new Map<string, FillsJournal>();
  const bar = createProgressBar(io, totalBytes, 'replay', {
    enabled: options.progress && options.json !== true,
  });
  const withHooks: SegmentReplay[] = runs.map((run) => {
    const dir = dirOf(run.name);
    const journal = dir === null || !options.fills ? null : new FillsJournal(dir);
    if (journal !== null) journals.set(run.name, journal);
    return {
      ...run,
      hooks: {
        ...(journal === null ? {} : { onExecution: (report) => journal.add(report) }),
        onDecision: (decision) => {
          const line = reportDecisionOf(decision);
          io.stdout.write(
            options.json === true
              ? `${JSON.stringify({ type: 'decision', segment: run.name, ...line })}\n`
              : `[${run.name}] ${formatDecisionLine(line)}\n`,
          );
        },
      },
    };
  });
  const result = await runSegmentedReplay(
    config,
    segments.mode,
    withHooks,
    { onProgress: (done) => bar.update(done) },
    { parseInWorker: isMainThread },
  )
    .catch((error: unknown) => {
      for (const journal of journals.values()) journal.discard();
      throw error;
    })
    .finally(() => bar.stop());

  const summary: SegmentsJson = buildSegmentsJson(
    result,
    { name: plan.name, source: plan.source, hash: planHash(plan) },
    segments.mode,
    config.files,
    pending !== null,
  );
  const texts: string[] = [];
  for (const segment of result.segments) {
    const timing = segment.result.decisionTime;
    const slow = slowCanaryWarning(timing.stable, timing.canary);
    if (slow !== null)
      io.stderr.write(`strategy-canary: warning: segment ${segment.name}: ${slow}\n`);
    const dir = dirOf(segment.name);
    if (dir !== null) {
      await journals.get(segment.name)?.finish(segment.result.marks, segment.result.lastEventTsUs);
      await writeRunOutputs(dir, segment.result.report, segment.result.accounts, {
        note: 'wall clock of the machine that ran the replay: not deterministic, so kept out of report.json',
        decisionTimePerEvent: timing,
        slowCanaryWarning: slow,
      });
    }
    texts.push(
      `── segment ${segment.name} (${segment.venue ?? 'every venue'}): ${segment.events.toLocaleString('en-US')} events${
        segment.notStarted === null ? '' : `; not started (${notStartedText(segment.notStarted)})`
      }\n${formatSummary(segment.result.report, [], timing)}`,
    );
  }
  if (pending !== null && options.out !== undefined) {
    await writeText(join(pending.dir, RUN_FILES.segmentsMd), renderSegmentsMd(summary));
    await writeText(
      join(pending.dir, RUN_FILES.segmentsJson),
      `${JSON.stringify(summary, null, 2)}\n`,
    );
    await pending.commit();
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ type: 'segments', ...summary })}\n`);
    return;
  }
  io.stdout.write(texts.join('\n'));
  io.stdout.write(`\n${overview(summary)}`);
  if (options.out !== undefined)
    io.stdout.write(
      `\nsegments: ${join(options.out, RUN_FILES.segmentsJson)}\nsegments.md: ${join(options.out, RUN_FILES.segmentsMd)}\n${summary.segments
        .map((s) => `${s.name}: ${join(options.out!, s.dir ?? '')}`)
        .join('\n')}\n`,
    );
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

async function writeText(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(path, error);
  }
}
