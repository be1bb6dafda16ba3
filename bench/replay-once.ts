import { runReplay } from '../src/engine/run-replay.js';
import { benchFeed } from './bench-files.js';
import { benchReplayConfig } from './bench-replay-config.js';

/**
 * One `npm run bench` replay (the 1M-event feed, 1,000 accounts, 2 arms) and nothing else, for
 * timing a whole process from outside and pairing two builds, e.g. the ledger before and after a
 * change: `/usr/bin/time -v node OLD/dist/bench/replay-once.js` then the same on `dist/`, in
 * turns, several times (OLD a `git worktree` of the older commit, built; compare the medians).
 * Prints the fills it booked. With
 * `--parse-in-worker`, the feed is parsed on a worker thread, as the `replay` command does.
 */
const file = await benchFeed(1_000_000);
const parseInWorker = process.argv.includes('--parse-in-worker');
const { report } = await runReplay(benchReplayConfig(file, 1000), {}, { parseInWorker });
process.stdout.write(`${report.arms.stable.fills + report.arms.canary.fills} fills\n`);
