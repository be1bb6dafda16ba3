import { existsSync, readFileSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, OutputError } from '../core/errors.js';
import { renderAccountsCsv, type AccountResult } from '../report/account-result.js';
import type { AuditLineForReport } from '../report/decision-log.js';
import { renderReportHtml } from '../report/render-report-html.js';
import type { renderReportCharts } from '../report/render-report-charts.js';
import { REPORT_SCHEMA_VERSION, renderReportJson, type ReportJson } from '../report/report-json.js';
import { reportJsonProblem } from '../report/report-json-shape.js';
import { renderReportMd } from '../report/render-report-md.js';
import { readAuditLog } from '../rollout/index.js';

/** The files a run directory holds. */
export const RUN_FILES = {
  json: 'report.json',
  md: 'report.md',
  html: 'report.html',
  accounts: 'accounts.csv',
  /** Every execution report and the final marks (gzipped when large: fills.csv.gz). */
  fills: 'fills.csv',
  fillsGz: 'fills.csv.gz',
  audit: 'audit.jsonl',
  /** Wall-clock measurements of the run (decision time per event): never in report.json. */
  timing: 'timing.json',
  /** A segmented replay's summary (docs/rollout.md, "Segments"), instead of report.json. */
  segmentsJson: 'segments.json',
  segmentsMd: 'segments.md',
  segmentsHtml: 'segments.html',
  /** A segmented replay's per-segment run directories (`segments/NAME/`). */
  segmentsDir: 'segments',
  /** An A/B/n replay's summary (docs/rollout.md, "Several candidates"), instead of report.json. */
  candidatesJson: 'candidates.json',
  candidatesMd: 'candidates.md',
  candidatesHtml: 'candidates.html',
  /** An A/B/n replay's per-candidate run directories (`candidates/NAME/`). */
  candidatesDir: 'candidates',
} as const;

/** What the temporary folders of a run under way have in their names. */
const PARTIAL = '.partial-';

/** What a run directory writes last: what says it is complete. */
const WRITTEN_LAST: readonly string[] = [
  RUN_FILES.json,
  RUN_FILES.segmentsJson,
  RUN_FILES.candidatesJson,
];

/** True when `dir` holds a finished run: what a run directory writes last is there. */
export function isCompleteRunDirectory(dir: string): boolean {
  return WRITTEN_LAST.some((file) => existsSync(join(dir, file)));
}

/**
 * True for the name of a temporary folder {@link prepareRunDirectory} makes (`.NAME.partial-…`
 * beside `--out`, `.partial-…` in it): what a run stopped mid-way leaves.
 */
export function isPartialRunDirectory(name: string): boolean {
  return name.startsWith('.') && name.includes(PARTIAL);
}

/** Folders of a run's lanes: replaced as a whole. */
const LANE_DIRS: readonly string[] = [RUN_FILES.segmentsDir, RUN_FILES.candidatesDir];

/**
 * Writes a file atomically: to a temporary name in the same folder, renamed into place, so a
 * killed process leaves the old file or the new one, never half of one.
 * @throws OutputError `E_OUTPUT` naming `path` and the cause.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new OutputError(path, error);
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * A replay's `--out` directory while the run is under way: outputs go to `dir`, a fresh
 * temporary directory, and {@link commit} moves them into place at the end; {@link abandon}
 * (on failure) removes it and every folder it created, so a failed run leaves nothing behind and
 * never a mix of two runs.
 */
export interface PendingRunDirectory {
  /** Where the run writes its outputs until commit. */
  readonly dir: string;
  /** Moves the outputs into the `--out` directory; report.json last. */
  commit(): Promise<void>;
  /** Removes the temporary directory and the folders created for it. */
  abandon(): Promise<void>;
}

/**
 * Prepares `out` for a replay's outputs: checks it is a directory (or does not exist yet) and
 * creates the temporary directory the run writes into: a sibling `.NAME.partial-XXXXXX` when
 * `out` does not exist (renamed to `out` at the end), or `out/.partial-XXXXXX` when it does (its
 * files moved in at the end, replacing the previous run's: report.json removed first and put
 * back last, so the directory never holds a report.json beside another run's reports). Folders
 * are created one by one (Node's recursive mkdir spins forever under /proc).
 * @throws OutputError `E_OUTPUT` naming `out` and the cause.
 */
export async function prepareRunDirectory(out: string): Promise<PendingRunDirectory> {
  const target = resolve(out);
  const created: string[] = [];
  const undo = async (temp: string | null): Promise<void> => {
    if (temp !== null) await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    for (const folder of [...created].reverse()) await rmdir(folder).catch(() => undefined); // only if still empty
  };
  try {
    const exists = await isDirectory(target);
    if (exists) {
      const temp = await mkdtemp(join(target, PARTIAL));
      return {
        dir: temp,
        commit: async () => {
          try {
            await moveRunFiles(temp, target);
          } catch (error) {
            throw new OutputError(out, error);
          }
        },
        abandon: () => undo(temp),
      };
    }
    await makeParents(dirname(target), created);
    const temp = await mkdtemp(join(dirname(target), `.${basename(target)}${PARTIAL}`));
    return {
      dir: temp,
      commit: async () => {
        try {
          await rename(temp, target);
        } catch (error) {
          // Created meanwhile: move the files in instead.
          if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'EEXIST')
            throw new OutputError(out, error);
          try {
            await moveRunFiles(temp, target);
          } catch (again) {
            throw new OutputError(out, again);
          }
        }
      },
      abandon: () => undo(temp),
    };
  } catch (error) {
    await undo(null);
    if (error instanceof OutputError) throw error;
    throw new OutputError(out, error);
  }
}

/**
 * True for a directory, false when nothing is there; throws for anything else, a symbolic link to
 * nothing included (nothing could be renamed onto it: found now, not after the run).
 */
async function isDirectory(path: string): Promise<boolean> {
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) return true;
    throw new Error('it exists and is not a directory');
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    const link = await readlink(path).catch(() => null);
    if (link !== null)
      throw new Error(`it is a symbolic link to ${link}, which does not exist`, { cause: error });
    return false;
  }
}

/**
 * Creates the directory `path` and its missing parents one level at a time: Node's recursive
 * mkdir spins forever under /proc, deaf to Ctrl-C. Rejects with the cause (ENOENT, EACCES, a
 * file in the way).
 */
export async function makeDirectory(path: string): Promise<void> {
  await makeParents(resolve(path), []);
}

/** Creates `path` and its missing parents one level at a time; records what it created. */
async function makeParents(path: string, created: string[]): Promise<void> {
  if (await isDirectory(path)) return;
  const parent = dirname(path);
  if (parent !== path) await makeParents(parent, created);
  try {
    await mkdir(path);
    created.push(path);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}

/**
 * Moves a finished run's files from `temp` into the existing directory `target`: removes
 * target's report.json first, moves the other files in, removes run files this run did not
 * write (an old audit.jsonl), then moves report.json in, and removes `temp`.
 */
async function moveRunFiles(temp: string, target: string): Promise<void> {
  const names = await readdir(temp);
  for (const name of WRITTEN_LAST) await rm(join(target, name), { force: true });
  for (const name of names) {
    if (WRITTEN_LAST.includes(name)) continue;
    // A lanes' folder (segments/, candidates/) replaces the previous run's as a whole.
    if (LANE_DIRS.includes(name)) await rm(join(target, name), { recursive: true, force: true });
    await rename(join(temp, name), join(target, name));
  }
  for (const name of Object.values(RUN_FILES)) {
    if (!names.includes(name)) await rm(join(target, name), { recursive: true, force: true });
  }
  for (const name of WRITTEN_LAST)
    if (names.includes(name)) await rename(join(temp, name), join(target, name));
  await rm(temp, { recursive: true, force: true });
}

/** Writes report.md and report.html of a run directory from its report and audit entries. */
export async function writeRenderedReports(
  dir: string,
  report: ReportJson,
  audit: readonly AuditLineForReport[],
): Promise<{ md: string; html: string }> {
  return {
    md: await writeReportMd(dir, report, audit),
    html: await writeReportHtml(dir, report, audit),
  };
}

async function writeReportMd(
  dir: string,
  report: ReportJson,
  audit: readonly AuditLineForReport[],
): Promise<string> {
  const md = join(dir, RUN_FILES.md);
  await writeFileAtomically(md, renderReportMd(report, audit));
  return md;
}

/**
 * The charts' module (ECharts, its largest part): loaded by the first call, by a command that
 * draws charts only. A replay calls it as it starts, so that the loading fills the wait for the
 * parsing thread's first events instead of following the last one.
 */
export function loadReportCharts(): Promise<{
  readonly renderReportCharts: typeof renderReportCharts;
}> {
  return import('../report/render-report-charts.js');
}

async function writeReportHtml(
  dir: string,
  report: ReportJson,
  audit: readonly AuditLineForReport[],
): Promise<string> {
  const html = join(dir, RUN_FILES.html);
  const { renderReportCharts } = await loadReportCharts();
  await writeFileAtomically(html, renderReportHtml(report, audit, renderReportCharts(report)));
  return html;
}

/** What a run directory holds beyond report.json and accounts.csv: see {@link writeRunOutputs}. */
export interface RunOutputOptions {
  /**
   * false (`replay --no-html`): no report.html. Its charts cost about 40 ms a run in a warm
   * process (a sweep's worker), a fifth of a sweep's short replays, and about 0.1 s of a `replay`
   * (loading ECharts, then drawing cold: docs/benchmark-history.md, the twenty-third session);
   * `strategy-canary report DIR` draws them later from report.json.
   */
  readonly html?: boolean;
}

/**
 * Writes a finished replay's outputs: report.json, accounts.csv, report.md and report.html (unless
 * `options.html` is false), and timing.json when `timing` is given (wall-clock figures, kept apart
 * from the deterministic ones).
 */
export async function writeRunOutputs(
  dir: string,
  report: ReportJson,
  accounts: readonly AccountResult[],
  timing: object | null = null,
  options: RunOutputOptions = {},
): Promise<{
  json: string;
  audit: string | null;
  md: string;
  html: string | null;
  accounts: string;
}> {
  const json = join(dir, RUN_FILES.json);
  const accountsPath = join(dir, RUN_FILES.accounts);
  if (timing !== null)
    await writeFileAtomically(join(dir, RUN_FILES.timing), `${JSON.stringify(timing, null, 2)}\n`);
  await writeFileAtomically(accountsPath, renderAccountsCsv(accounts));
  const auditLines = readRunAudit(dir, report);
  const md = await writeReportMd(dir, report, auditLines);
  const html = options.html === false ? null : await writeReportHtml(dir, report, auditLines);
  // Last: a directory with a report.json has the reports that go with it.
  await writeFileAtomically(json, renderReportJson(report));
  const audit = report.rollout?.auditLog;
  return {
    json,
    audit: audit == null ? null : join(dir, audit),
    accounts: accountsPath,
    md,
    html,
  };
}

/** The paths {@link writeRunOutputs} wrote, in the run directory `dir`. */
export function runOutputPaths(
  dir: string,
  report: ReportJson,
  options: RunOutputOptions = {},
): { json: string; audit: string | null; md: string; html: string | null; accounts: string } {
  const audit = report.rollout?.auditLog;
  return {
    json: join(dir, RUN_FILES.json),
    audit: audit == null ? null : join(dir, audit),
    accounts: join(dir, RUN_FILES.accounts),
    md: join(dir, RUN_FILES.md),
    html: options.html === false ? null : join(dir, RUN_FILES.html),
  };
}

/**
 * A run directory's report.json, checked: readable, JSON, this tool's schema version, and every
 * field the reports are drawn from there, of its type (`reportJsonProblem`).
 * @throws ConfigError `E_RUN_DIR` naming the file and what is wrong.
 */
export function readRunReport(dir: string): ReportJson {
  const path = join(dir, RUN_FILES.json);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const segmented = existsSync(join(dir, RUN_FILES.segmentsJson))
      ? `; this is a segmented run: each segment's run directory is under ${join(dir, RUN_FILES.segmentsDir)}/`
      : existsSync(join(dir, RUN_FILES.candidatesJson))
        ? `; this is an A/B/n run: each candidate's run directory is under ${join(dir, RUN_FILES.candidatesDir)}/`
        : '';
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: cannot read it (${(error as Error).message}); a run directory is what replay --out wrote${segmented}`,
      { cause: error },
    );
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('E_RUN_DIR', `${path}: not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const version = (report as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: schemaVersion ${JSON.stringify(version)}, this version of the tool reads ${REPORT_SCHEMA_VERSION} (replay the run again to rebuild it)`,
    );
  }
  const problem = reportJsonProblem(report);
  if (problem !== null) {
    throw new ConfigError(
      'E_RUN_DIR',
      `${path}: ${problem}: not a whole report.json as replay --out writes it (replay the run again to rebuild it)`,
    );
  }
  return report as ReportJson;
}

/** The run's audit entries (none without a rollout); a torn last line is left out, as on resume. */
export function readRunAudit(dir: string, report: ReportJson): readonly AuditLineForReport[] {
  const name = report.rollout?.auditLog;
  if (name == null) return [];
  return readAuditLog(join(dir, name)).entries;
}
