import { buildUnderTest, optionValue } from './build-under-test.js';
import { benchFeed } from './bench-files.js';

/**
 * The bench feed's replay `--runs` times (default 5) in one process, as a program that replays
 * again and again would (the benchmark, a server, `runReplay` in a loop): each run's time and the
 * best. Parsing on a worker thread as the `replay` command does, or with `--in-thread` on the
 * engine's; `--accounts N` (default 1,000). With `--root DIR` the replay is another build's
 * (`DIR/dist`, e.g. a built `git worktree` of an older commit): run the two in turns, several
 * times, and compare. `--file CSV` replays another feed (e.g. the bench's Binance trades CSV,
 * `.bench/BTCUSDT-trades-synthetic-seed1-1000000.csv`, made by `npm run bench`). Also prints how
 * long each run's thread sat idle (`performance.eventLoopUtilization`): with a parsing worker, the
 * time the engine waited for parsed events.
 *
 *   npm run build && node dist/bench/replay-runs.js [--root DIR] [--runs N] [--accounts N] [--in-thread] [--file CSV]
 */
const args = process.argv.slice(2);
const root = optionValue(args, '--root');
const runs = Number(optionValue(args, '--runs') ?? 5);
const accounts = Number(optionValue(args, '--accounts') ?? 1000);
const parseInWorker = !args.includes('--in-thread');
const { runReplay, benchReplayConfig } = await buildUnderTest(root);

const file = optionValue(args, '--file') ?? (await benchFeed(1_000_000));
const times: number[] = [];
const idle: number[] = [];
for (let run = 0; run < runs; run++) {
  const before = performance.eventLoopUtilization();
  const started = performance.now();
  await runReplay(benchReplayConfig(file, accounts), {}, { parseInWorker });
  times.push(performance.now() - started);
  idle.push(performance.eventLoopUtilization(before).idle);
}
const list = (values: number[]): string => values.map((value) => value.toFixed(0)).join(', ');
process.stdout.write(
  `${root ?? 'this build'}: ${accounts} accounts, parsing ${parseInWorker ? 'on a worker thread' : 'on the same thread'}: best ${Math.min(...times).toFixed(0)} ms of ${list(times)}; idle ${list(idle)} ms\n`,
);
