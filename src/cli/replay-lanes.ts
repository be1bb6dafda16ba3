import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import { slowCanaryWarning } from '../engine/decision-timer.js';
import type { ReplayConfig } from '../engine/replay-config.js';
import type { ReplayHooks, ReplayResult } from '../engine/run-replay.js';
import { renderLanesHtml, renderLanesMd, type LanesTable } from '../report/lanes-table.js';
import { reportDecisionOf } from '../report/report-json.js';
import type { CliIo } from './cli-io.js';
import type { FillsSink } from './fills-journal.js';
import { formatDecisionLine, formatSummary } from './format-summary.js';
import { createProgressBar } from './progress-bar.js';
import { fillsSinksOpener } from './threaded-fills-journal.js';
import { RUN_FILES, type PendingRunDirectory, writeRunOutputs } from './run-directory.js';

/** What a replay in lanes needs of `replay`'s options. */
export interface LanesReplayOptions {
  readonly out?: string;
  readonly json?: boolean;
  readonly progress: boolean;
  readonly fills: boolean;
  /** false: no report.html in the lanes' run directories (`replay --no-html`). */
  readonly html: boolean;
  /** Stops the replay (the command's Ctrl-C): see `ReplayRunOptions.signal`. */
  readonly signal?: AbortSignal;
}

/** One lane to run (a segment, a candidate): its name and its run's configuration. */
export interface LaneRun {
  readonly name: string;
  readonly config: ReplayConfig;
}

/** A lane's run with the hooks that print its decisions and journal its fills. */
export interface HookedLaneRun extends LaneRun {
  readonly hooks: ReplayHooks;
}

/** A finished lane, as the lanes' summary sees it. */
export interface LaneResult {
  readonly name: string;
  readonly result: ReplayResult;
  /** The line above its per-arm table on the terminal. */
  readonly header: string;
}

/** How one kind of lanes (segments, candidates) runs and is summarized. */
export interface LanesSpec<R> {
  /** `segments` or `candidates`: the folder of the lanes' run directories, the JSON line type. */
  readonly kind: 'segments' | 'candidates';
  readonly lanes: readonly LaneRun[];
  readonly totalBytes: number;
  /** Runs the lanes in one pass over the files. */
  run(lanes: readonly HookedLaneRun[], onProgress: (doneBytes: number) => void): Promise<R>;
  results(result: R): readonly LaneResult[];
  /** The summary: `<kind>.json`'s data, the lanes' table, and the terminal's closing lines. */
  summary(
    result: R,
    written: boolean,
  ): { readonly json: object; readonly table: LanesTable; readonly overview: string };
}

/**
 * Runs lanes of one replay (a segmented plan's segments, an A/B/n rollout's candidates) and
 * writes their outputs: each decision printed with its lane; with `--out`, `<kind>.json`,
 * `<kind>.md`, `<kind>.html` and each lane's full run directory `<kind>/NAME/` (report.json, report.md,
 * report.html unless `--no-html`, audit.jsonl, accounts.csv, fills.csv unless `--no-fills`).
 */
export async function replayInLanes<R>(
  io: CliIo,
  options: LanesReplayOptions,
  pending: PendingRunDirectory | null,
  spec: LanesSpec<R>,
): Promise<void> {
  const dirOf = (name: string): string | null =>
    pending === null ? null : join(pending.dir, spec.kind, name);
  if (pending !== null)
    for (const dir of [join(pending.dir, spec.kind), ...spec.lanes.map((l) => dirOf(l.name)!)]) {
      try {
        await mkdir(dir);
      } catch (error) {
        throw new OutputError(dir, error);
      }
    }
  const journals = new Map<string, FillsSink>();
  const openFills = fillsSinksOpener();
  const bar = createProgressBar(io, spec.totalBytes, 'replay', {
    enabled: options.progress && options.json !== true,
  });
  const label = spec.kind === 'segments' ? 'segment' : 'candidate';
  const hooked: HookedLaneRun[] = spec.lanes.map((lane) => {
    const dir = dirOf(lane.name);
    // Every lane's fills.csv formatted on one thread beside the engine (on this thread in a
    // sweep's worker): a thread per lane would be as many threads as lanes, most of them idle.
    const journal = dir === null || !options.fills ? null : openFills(dir);
    if (journal !== null) journals.set(lane.name, journal);
    const rollout = lane.config.rollout;
    return {
      name: lane.name,
      config:
        rollout === undefined
          ? lane.config
          : {
              ...lane.config,
              rollout: { ...rollout, auditPath: dir === null ? null : join(dir, RUN_FILES.audit) },
            },
      hooks: {
        ...(journal === null ? {} : { onExecution: (report) => journal.add(report) }),
        onDecision: (decision) => {
          const line = reportDecisionOf(decision);
          io.stdout.write(
            options.json === true
              ? `${JSON.stringify({ type: 'decision', [label]: lane.name, ...line })}\n`
              : `[${lane.name}] ${formatDecisionLine(line)}\n`,
          );
        },
      },
    };
  });
  const result = await spec
    .run(hooked, (done) => bar.update(done))
    .catch((error: unknown) => {
      for (const journal of journals.values()) void journal.discard();
      throw error;
    })
    .finally(() => bar.stop());

  const texts: string[] = [];
  for (const lane of spec.results(result)) {
    const timing = lane.result.decisionTime;
    const slow = slowCanaryWarning(timing.stable, timing.canary);
    if (slow !== null)
      io.stderr.write(`strategy-canary: warning: ${label} ${lane.name}: ${slow}\n`);
    const dir = dirOf(lane.name);
    if (dir !== null) {
      await journals.get(lane.name)?.finish(lane.result.marks, lane.result.lastEventTsUs);
      await writeRunOutputs(
        dir,
        lane.result.report,
        lane.result.accounts,
        {
          note: 'wall clock of the machine that ran the replay: not deterministic, so kept out of report.json',
          decisionTimePerEvent: timing,
          slowCanaryWarning: slow,
        },
        { html: options.html },
      );
    }
    texts.push(
      `── ${lane.header}\n${formatSummary(lane.result.report, [], timing, lane.result.rollout?.records ?? [])}`,
    );
  }
  const summary = spec.summary(result, pending !== null);
  const files = { json: `${spec.kind}.json`, md: `${spec.kind}.md`, html: `${spec.kind}.html` };
  if (pending !== null && options.out !== undefined) {
    await writeText(join(pending.dir, files.md), renderLanesMd(summary.table));
    await writeText(join(pending.dir, files.html), renderLanesHtml(summary.table));
    await writeText(join(pending.dir, files.json), `${JSON.stringify(summary.json, null, 2)}\n`);
    options.signal?.throwIfAborted();
    await pending.commit();
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ type: spec.kind, ...summary.json })}\n`);
    return;
  }
  io.stdout.write(texts.join('\n'));
  io.stdout.write(`\n${summary.overview}`);
  const out = options.out;
  if (out !== undefined)
    io.stdout.write(
      `\n${spec.kind}: ${join(out, files.json)}\n${files.md}: ${join(out, files.md)}\n${files.html}: ${join(out, files.html)}\n${spec.lanes
        .map((lane) => `${lane.name}: ${join(out, spec.kind, lane.name)}`)
        .join('\n')}\n`,
    );
}

async function writeText(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(path, error);
  }
}
