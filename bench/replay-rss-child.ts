import { runReplay } from '../src/engine/run-replay.js';
import { benchReplayConfig } from './bench-replay-config.js';

// Runs one replay in a fresh process and prints its peak resident set size: the parent compares
// the figures for 1M and 5M events (memory must not grow with the number of events).
const [file, accounts] = process.argv.slice(2);
if (file === undefined || accounts === undefined)
  throw new Error('usage: replay-rss-child <file> <accounts>');
const started = performance.now();
const { report } = await runReplay(benchReplayConfig(file, Number(accounts)));
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ events: report.inputs.events, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
