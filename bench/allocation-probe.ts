import { Session } from 'node:inspector/promises';
import { benchFeed } from './bench-files.js';
import { buildUnderTest, optionValue } from './build-under-test.js';

/**
 * Where a replay allocates: the bench replay (1M events, 1,000 accounts, parsing on this thread)
 * under V8's sampling heap profiler with collected objects kept in the profile, so the figures
 * are everything allocated over the run, not what is still alive at its end. Prints the total
 * and the functions that allocated most (self, sampled every 16 KiB; inlined callees count
 * towards their caller). With `--parse-in-worker` the feed is parsed on a worker thread, as the
 * `replay` command does, and the figures are the engine thread's alone. With `--root DIR` the
 * replay is another build's (`DIR/dist`, a built `git worktree`).
 *
 *   npm run build && node dist/bench/allocation-probe.js [accounts] [--parse-in-worker] [--root DIR]
 */

interface ProfileNode {
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

const args = process.argv.slice(2);
const parseInWorker = args.includes('--parse-in-worker');
const root = optionValue(args, '--root');
const accounts = Number(
  args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--root') ?? 1000,
);
const { runReplay, benchReplayConfig } = await buildUnderTest(root);
const file = await benchFeed(1_000_000);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 16_384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await runReplay(benchReplayConfig(file, accounts), {}, { parseInWorker });
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: ProfileNode };
};
session.disconnect();

const bySite = new Map<string, number>();
let total = 0;
const visit = (node: ProfileNode): void => {
  const { functionName, url, lineNumber } = node.callFrame;
  const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  total += node.selfSize;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  for (const child of node.children) visit(child);
};
visit(profile.head);
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1).padStart(7);
process.stdout.write(
  `allocated over the replay (${accounts} accounts${parseInWorker ? ', engine thread' : ''}): ${mb(total)} MiB\n`,
);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  process.stdout.write(`${mb(bytes)} MiB  ${site}\n`);
}
