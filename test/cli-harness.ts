import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../src/cli/cli-io.js';
import type { ReportJson } from '../src/report/report-json.js';
import { runCli } from '../src/cli/run-cli.js';

/** The repository root (tests run commands from there, as a user would). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SAMPLES = join(ROOT, 'feeds', 'samples');
export const BIN = join(ROOT, 'bin', 'strategy-canary.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * replay's warning that the canary decides much more slowly than stable, by the wall clock: under
 * a busy machine a short run can cross its threshold, so the harness leaves it out of stderr
 * (src/engine/decision-timer.test.ts checks the warning itself).
 */
const WALL_CLOCK_WARNING =
  /^strategy-canary: warning: [^\n]*the canary strategy is [^\n]*slower than stable per market event[^\n]*\n/gm;

/** `stderr` without replay's wall-clock slow-canary warning lines. */
export function withoutWallClockWarnings(stderr: string): string {
  return stderr.replace(WALL_CLOCK_WARNING, '');
}

/** Runs the CLI in this process with captured output (fast; most tests). */
export async function cli(
  args: readonly string[],
  options: { readonly tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const tty = options.tty ?? false;
  // A fake terminal has what cli-progress looks for on a real one.
  const terminal = tty ? { isTTY: true, columns: 100 } : {};
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), ...terminal },
    stderr: { write: (text: string) => (stderr += text), ...terminal },
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    cwd: ROOT,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr: withoutWallClockWarnings(stderr) };
}

/** Runs the built `bin/strategy-canary.js` in a child process, as a user's shell would. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 120_000,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: withoutWallClockWarnings(result.stderr),
  };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'sc-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A run directory's audit.jsonl, one parsed record a line (`T`: the fields a test reads). */
export function readAuditLines<T>(dir: string): T[] {
  return readFileSync(join(dir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

/** A run directory's report.json. */
export function readReport(dir: string): ReportJson {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson;
}
