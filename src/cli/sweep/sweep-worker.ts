/**
 * A worker thread of `strategy-canary sweep`: runs each replay it is given in-process, as the
 * command line would, and reads back its summary (sweep-run-result.ts).
 */
import { runCli } from '../run-cli.js';
import { readSweepRunResult, type SweepJob, type SweepRunResult } from './sweep-run-result.js';
import { serveJobs } from './worker-pool.js';

serveJobs<SweepJob, SweepRunResult>(async (job) => {
  let stderr = '';
  const started = performance.now();
  const exitCode = await runCli([...job.argv, '--out', job.outDir, '--json', '--no-progress'], {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: process.cwd(),
  });
  return readSweepRunResult(job, exitCode, stderr, performance.now() - started);
});
