import type { openFeed as OpenFeed, openFeedInWorker as OpenFeedInWorker } from '../feeds/index.js';
import { benchFeed } from './bench-files.js';
import { buildBase, importFromBuild, optionValue } from './build-under-test.js';

/**
 * Reads the bench's 1M-event feed to its end and keeps nothing, once: on this thread
 * (`openFeed`), or with `--worker` through a parsing worker (`openFeedInWorker`, as `replay`
 * reads). For timing the whole process from outside and pairing two builds (`--root DIR`, a
 * built `git worktree` of another commit), e.g. the parsing paths before and after a change:
 * run the two in turns, several times, and compare the medians.
 *
 *   npm run build && node dist/bench/feed-drain.js [--root DIR] [--worker]
 */
const args = process.argv.slice(2);
const base = buildBase(optionValue(args, '--root'));
const feeds = await importFromBuild<{
  openFeed: typeof OpenFeed;
  openFeedInWorker: typeof OpenFeedInWorker;
}>(base, 'feeds/index.js');
const file = await benchFeed(1_000_000);
const feed = args.includes('--worker')
  ? await feeds.openFeedInWorker(file)
  : await feeds.openFeed(file);
let events = 0;
for await (const batch of feed.batches()) events += batch.length;
process.stdout.write(`${events} events\n`);
// The parsing thread is kept for a next read; nothing else will come.
process.exit(0);
