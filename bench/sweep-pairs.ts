import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIo } from '../src/cli/cli-io.js';
import { replayCommand } from '../src/cli/commands/replay-command.js';
import { optionKinds } from '../src/cli/sweep/option-kinds.js';
import { runSweep } from '../src/cli/sweep/run-sweep.js';
import { loadSweepGrid } from '../src/cli/sweep/sweep-grid.js';
import { endIdleWorkers } from '../src/cli/sweep/worker-pool.js';
import { optionValue } from './build-under-test.js';

/**
 * A sweep grid on one worker and on every core, in turns, `--rounds` times (default 3) in one
 * process, as `npm run bench` times its sweeps: the first pair with no worker kept (as a `sweep`
 * command's fresh process), the next ones with the workers kept from the sweep before. Prints each
 * sweep's time and the ratio of each pair. For a grid the bench does not run; `--html` draws every
 * run's report.html too (`sweep --html`), as a sweep does not by default.
 *
 *   npm run build && node dist/bench/sweep-pairs.js GRID.json [--rounds N] [--html]
 */
const args = process.argv.slice(2);
const gridFile = args[0];
if (gridFile === undefined) throw new Error('usage: sweep-pairs <grid.json> [--rounds N] [--html]');
const rounds = Number(optionValue(args, '--rounds') ?? 3);
const html = args.includes('--html');
// Checked against the replay command's own options, as the sweep command checks it.
const grid = loadSweepGrid(gridFile, optionKinds(replayCommand(processIo())));
const workers = availableParallelism();
for (let round = 0; round < rounds; round++) {
  const ms: number[] = [];
  for (const count of [1, workers]) {
    if (round === 0) await endIdleWorkers();
    const out = join(mkdtempSync(join(tmpdir(), 'sweep-pairs-')), 'out');
    const started = performance.now();
    try {
      const { rows } = await runSweep(grid, { outDir: out, workers: count, html });
      if (rows.some((row) => row.exitCode !== 0)) throw new Error('a sweep run failed');
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
    ms.push(performance.now() - started);
  }
  process.stdout.write(
    `round ${round + 1}${round === 0 ? ' (cold workers)' : ''}: 1 worker ${ms[0]!.toFixed(0)} ms, ${workers} workers ${ms[1]!.toFixed(0)} ms, ${(ms[1]! / ms[0]!).toFixed(2)}x\n`,
  );
}
