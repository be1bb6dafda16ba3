import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRunReport } from '../run-directory.js';

/** One replay of a sweep, as a worker receives it. */
export interface SweepJob {
  readonly index: number;
  readonly argv: readonly string[];
  /** The run's report directory (`replay --out`). */
  readonly outDir: string;
}

/** What one replay of a sweep gave: its exit status and the figures of its summary row. */
export interface SweepRunResult {
  readonly index: number;
  /**
   * The replay's exit status: 0 done, 2 bad input (see `error`), 1 a bug; null when it was not
   * run (the sweep was stopped first: `sweep --resume` runs it).
   */
  readonly exitCode: number | null;
  /** The replay's error line when it failed, else null. */
  readonly error: string | null;
  /**
   * Wall clock of the replay, ms (not deterministic: kept out of the reports); null when not run,
   * or run by an earlier session of a resumed sweep that wrote no timings.
   */
  readonly wallMs: number | null;
  readonly outcome: string | null;
  readonly finalWeightPct: number | null;
  /** The last applied decision that moved or ended the rollout (a halt included): `action code metric`. */
  readonly endedBy: string | null;
  /** Event-time minutes from the first event to that decision (or to the last event). */
  readonly minutes: number | null;
  readonly decisions: number | null;
  readonly stablePnl: string | null;
  readonly canaryPnl: string | null;
  readonly canaryFills: number | null;
  /**
   * The replay's warnings (its stderr's `strategy-canary: warning: …` lines, without that prefix):
   * printed by the sweep, kept out of the summaries (some are wall-clock, like the slow-canary one).
   */
  readonly warnings: readonly string[];
}

/**
 * The row of a run whose worker thread died under it (a strategy module ending the thread, a
 * crash): failed, exit 1, with what the thread said.
 */
export function diedRunResult(job: SweepJob, error: Error): SweepRunResult {
  return {
    ...emptyResult(job.index, 1, null),
    error: `strategy-canary: the run's thread died (${error.message}): a strategy module ended it (process.exit), or it crashed [E_SWEEP_RUN]`,
  };
}

/** The row of a run the sweep did not get to (stopped first): no figures. */
export function notRunResult(job: SweepJob): SweepRunResult {
  return emptyResult(job.index, null, null);
}

function emptyResult(
  index: number,
  exitCode: number | null,
  wallMs: number | null,
): SweepRunResult {
  return {
    index,
    exitCode,
    error: null,
    wallMs,
    outcome: null,
    finalWeightPct: null,
    endedBy: null,
    minutes: null,
    decisions: null,
    stablePnl: null,
    canaryPnl: null,
    canaryFills: null,
    warnings: [],
  };
}

/**
 * Reads a finished replay's report.json into its summary row (failed runs: the error only).
 * @throws ConfigError `E_RUN_DIR` when report.json does not read as a whole report.
 */
export function readSweepRunResult(
  job: SweepJob,
  exitCode: number,
  stderr: string,
  wallMs: number | null,
): SweepRunResult {
  const failed = { ...emptyResult(job.index, exitCode, wallMs), warnings: warningsOf(stderr) };
  if (exitCode !== 0) {
    const lines = stderr.trim().split('\n');
    return {
      ...failed,
      // The error line, not a warning before it.
      error:
        lines.find((l) => l.startsWith('strategy-canary:') && !l.startsWith(WARNING_PREFIX)) ??
        lines[0] ??
        '',
    };
  }
  // A segmented plan's or an A/B/n run has one report per lane and no report.json: a sweep row
  // is one rollout, so such a run counts as failed, with where its reports are.
  for (const [summary, lanes, what] of [
    ['segments.json', 'segments', 'this plan rolls out per segment'],
    ['candidates.json', 'candidates', 'this run rolls out several candidates'],
  ] as const)
    if (existsSync(join(job.outDir, summary)))
      return {
        ...failed,
        exitCode: 2,
        error: `strategy-canary: a sweep summarizes one rollout per run, and ${what}: its ${lanes}' reports are in ${join(job.outDir, lanes)} (or replay it alone) [E_SWEEP_RUN]`,
      };
  const report = readRunReport(job.outDir);
  // The decision that ended the rollout or last moved it; a halt is a hold at a step's maximum.
  const decisive = report.decisions.filter(
    (d) =>
      d.disposition === 'applied' &&
      (d.action !== 'hold' || d.reasons[0]?.code.startsWith('MAX_DURATION') === true),
  );
  const last = decisive[decisive.length - 1];
  const firstUs = Date.parse(report.inputs.firstEventAt ?? '');
  const endUs = Date.parse(last?.at ?? report.inputs.lastEventAt ?? '');
  const reason = last?.reasons[0];
  return {
    ...failed,
    outcome: report.outcome,
    finalWeightPct: report.rollout?.finalWeightPct ?? null,
    endedBy:
      last === undefined
        ? null
        : [last.action, reason?.code, reason?.metric].filter((x) => x != null).join(' '),
    minutes: Number.isFinite(endUs - firstUs) ? (endUs - firstUs) / 60_000 : null,
    decisions: report.decisions.length,
    stablePnl: report.arms.stable.pnl,
    canaryPnl: report.arms.canary.pnl,
    canaryFills: report.arms.canary.fills,
  };
}

const WARNING_PREFIX = 'strategy-canary: warning: ';

/** The warning lines of a replay's stderr, without their prefix. */
function warningsOf(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith(WARNING_PREFIX))
    .map((line) => line.slice(WARNING_PREFIX.length));
}
