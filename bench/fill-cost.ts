import { buildUnderTest, optionValue } from './build-under-test.js';
import { benchFeed } from './bench-files.js';

/**
 * The marginal cost of a fill in one process, for pairing two builds: the bench feed's replay
 * with 1,000 accounts and with 10, both parsing on the engine's thread (as `npm run bench`'s
 * figure: with a parsing worker, the worker would pace the 10-account replay and the difference
 * would leave out the engine's work done while it waited), in turns `--rounds` times (default 4),
 * and the difference of the best of each per fill. With `--root DIR` the
 * replay is another build's (`DIR/dist`, e.g. a built `git worktree` of an older commit): run the
 * two in turns, several times, and compare. `--file` replays another feed (e.g. the bench's
 * Binance trades CSV, `.bench/BTCUSDT-trades-synthetic-seed1-1000000.csv`, made by `npm run bench`).
 *
 *   npm run build && node dist/bench/fill-cost.js [--root DIR] [--rounds N] [--file CSV]
 */
const args = process.argv.slice(2);
const root = optionValue(args, '--root');
const rounds = Number(optionValue(args, '--rounds') ?? 4);
const { runReplay, benchReplayConfig } = await buildUnderTest(root);

const file = optionValue(args, '--file') ?? (await benchFeed(1_000_000));
const best = { many: Number.POSITIVE_INFINITY, few: Number.POSITIVE_INFINITY };
const fills = { many: 0, few: 0 };
for (let round = 0; round < rounds; round++) {
  for (const [key, accounts] of [
    ['many', 1000],
    ['few', 10],
  ] as const) {
    const started = performance.now();
    const { report } = await runReplay(benchReplayConfig(file, accounts));
    best[key] = Math.min(best[key], performance.now() - started);
    fills[key] = report.arms.stable.fills + report.arms.canary.fills;
  }
}
const perFillUs = ((best.many - best.few) * 1000) / (fills.many - fills.few);
process.stdout.write(
  `${root ?? 'this build'}: 1,000 accounts ${best.many.toFixed(0)} ms, 10 accounts ${best.few.toFixed(0)} ms, a fill ${perFillUs.toFixed(2)} µs (best of ${rounds}, in turns)\n`,
);
