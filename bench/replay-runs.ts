import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runReplay as RunReplay } from '../src/engine/run-replay.js';
import type { benchReplayConfig as BenchReplayConfig } from './bench-replay-config.js';
import { benchFeed } from './bench-files.js';

/**
 * The bench feed's replay `--runs` times (default 5) in one process, as a program that replays
 * again and again would (the benchmark, a server, `runReplay` in a loop): each run's time and the
 * best. Parsing on a worker thread as the `replay` command does, or with `--in-thread` on the
 * engine's; `--accounts N` (default 1,000). With `--root DIR` the replay is another build's
 * (`DIR/dist`, e.g. a built `git worktree` of an older commit): run the two in turns, several
 * times, and compare.
 *
 *   npm run build && node dist/bench/replay-runs.js [--root DIR] [--runs N] [--accounts N] [--in-thread]
 */
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const root = option('--root');
const runs = Number(option('--runs') ?? 5);
const accounts = Number(option('--accounts') ?? 1000);
const parseInWorker = !args.includes('--in-thread');
const base =
  root === undefined
    ? new URL('../', import.meta.url)
    : pathToFileURL(`${isAbsolute(root) ? root : resolve(root)}/dist/`);
const { runReplay } = (await import(new URL('src/engine/run-replay.js', base).href)) as {
  runReplay: typeof RunReplay;
};
const { benchReplayConfig } = (await import(
  new URL('bench/bench-replay-config.js', base).href
)) as { benchReplayConfig: typeof BenchReplayConfig };

const file = await benchFeed(1_000_000);
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  await runReplay(benchReplayConfig(file, accounts), {}, { parseInWorker });
  times.push(performance.now() - started);
}
process.stdout.write(
  `${root ?? 'this build'}: ${accounts} accounts, parsing ${parseInWorker ? 'on a worker thread' : 'on the same thread'}: best ${Math.min(...times).toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')}\n`,
);
