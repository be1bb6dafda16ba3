import { runReplay } from '../src/engine/run-replay.js';
import { benchReplayConfig } from './bench-replay-config.js';

/**
 * Runs one replay in a fresh process and prints its memory figures as JSON: the parent compares
 * 1M and 10M events (memory must not grow with the number of events).
 * - `maxRssKb`: the process's peak resident set size;
 * - `maxLiveHeapKb` (only when started with --expose-gc): the largest heap still in use right after
 *   a full garbage collection, sampled at every tenth of the input. This is the memory the run
 *   actually holds; RSS also counts garbage not yet collected, which depends on when V8 collects.
 */
const [file, accounts] = process.argv.slice(2);
if (file === undefined || accounts === undefined) {
  throw new Error('usage: replay-rss-child <file> <accounts>');
}
const gc = (globalThis as { gc?: () => void }).gc;
let maxLiveHeap = 0;
let nextSample = 0.1;
const started = performance.now();
const { report } = await runReplay(benchReplayConfig(file, Number(accounts)), {
  onProgress: (done, total) => {
    if (gc === undefined || done / total < nextSample) return;
    gc();
    maxLiveHeap = Math.max(maxLiveHeap, process.memoryUsage().heapUsed);
    nextSample += 0.1;
  },
});
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    events: report.inputs.events,
    fills: report.arms.stable.fills + report.arms.canary.fills,
    ms,
    maxRssKb: process.resourceUsage().maxRSS,
    maxLiveHeapKb: gc === undefined ? null : Math.round(maxLiveHeap / 1024),
  })}\n`,
);
