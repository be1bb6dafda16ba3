import { readFileSync } from 'node:fs';
import { runReplay } from '../src/engine/run-replay.js';
import { benchReplayConfig } from './bench-replay-config.js';

/**
 * Runs one replay in a fresh process and prints its memory figures as JSON: the parent compares
 * 1M and 10M events (memory must not grow with the number of events).
 * - `maxRssKb`: the process's peak resident set size, its own: `VmHWM` of /proc/self/status (Linux).
 *   Not `process.resourceUsage().maxRSS`: Linux carries that over from the parent at fork and
 *   exec, so a child of a bench process that had grown to 260 MiB (its sweeps' workers) read
 *   260 MiB whatever it used;
 * - `maxLiveHeapKb` (only when started with --expose-gc): the largest heap still in use right after
 *   a full garbage collection, sampled at every tenth of the input. This is the memory the run
 *   actually holds; RSS also counts garbage not yet collected, which depends on when V8 collects.
 *
 * `--jitter-ms MS` replaces both arms' latency jitter (default 5 ms): with 0 every order of a
 * target change arrives at once, in its account's order, so the fills read the accounts' data in
 * the order it lies in memory instead of at random, a probe of what the random order costs.
 *
 *   npm run build && node dist/bench/replay-rss-child.js FILE ACCOUNTS [--jitter-ms MS]
 */
const [file, accounts] = process.argv.slice(2);
if (file === undefined || accounts === undefined) {
  throw new Error('usage: replay-rss-child <file> <accounts> [--jitter-ms MS]');
}
const jitterAt = process.argv.indexOf('--jitter-ms');
const jitterMs = jitterAt < 0 ? null : Number(process.argv[jitterAt + 1]);
const gc = (globalThis as { gc?: () => void }).gc;
let maxLiveHeap = 0;
let nextSample = 0.1;
const started = performance.now();
const config = benchReplayConfig(file, Number(accounts));
const { latency } = config.execution;
const { report } = await runReplay(
  jitterMs === null
    ? config
    : {
        ...config,
        execution: {
          ...config.execution,
          latency: {
            stable: { ...latency.stable, jitterMs },
            canary: { ...latency.canary, jitterMs },
          },
        },
      },
  {
    onProgress: (done, total) => {
      if (gc === undefined || done / total < nextSample) return;
      gc();
      maxLiveHeap = Math.max(maxLiveHeap, process.memoryUsage().heapUsed);
      nextSample += 0.1;
    },
  },
);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    events: report.inputs.events,
    fills: report.arms.stable.fills + report.arms.canary.fills,
    ms,
    maxRssKb: peakRssKb(),
    maxLiveHeapKb: gc === undefined ? null : Math.round(maxLiveHeap / 1024),
  })}\n`,
);

/** This process's own peak RSS, KiB: VmHWM where /proc has it, else getrusage's maxRSS. */
function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/mu.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]);
  } catch {
    // no /proc (macOS): getrusage's figure, with its inheritance
  }
  return process.resourceUsage().maxRSS;
}
