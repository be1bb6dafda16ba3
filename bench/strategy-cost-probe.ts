import { Session } from 'node:inspector/promises';
import type { openFeedInWorker as OpenFeedInWorker } from '../feeds/index.js';
import type { MarketEvent } from '../src/core/market-event.js';
import type { getStrategyDefinition as GetStrategyDefinition } from '../strategies/index.js';
import { benchFeed } from './bench-files.js';
import { buildBase, importFromBuild, optionValue } from './build-under-test.js';

/**
 * What the bundled momentum strategies cost a call, as a replay calls them: momentum@1.0.0 then
 * momentum@2.0.0 on each event of the bench feed's first 250,000 events (parsed on a worker
 * thread, so they are the engine's packed events), five passes after five of warm-up, new
 * strategies each pass (the same ones again would see time go back and skip their signal). Prints
 * the time and the bytes allocated a call (V8's sampling heap profiler, collected objects kept).
 * With `--root DIR` the strategies and events are another build's.
 *
 *   npm run build && node dist/bench/strategy-cost-probe.js [--root DIR]
 */
const PASSES = 5;
const EVENTS = 250_000;

const base = buildBase(optionValue(process.argv.slice(2), '--root'));
const { openFeedInWorker } = await importFromBuild<{ openFeedInWorker: typeof OpenFeedInWorker }>(
  base,
  'feeds/index.js',
);
const { getStrategyDefinition } = await importFromBuild<{
  getStrategyDefinition: typeof GetStrategyDefinition;
}>(base, 'strategies/index.js');
const v1 = getStrategyDefinition('momentum@1.0.0');
const v2 = getStrategyDefinition('momentum@2.0.0');
if (v1 === undefined || v2 === undefined) throw new Error('no bundled momentum strategies');

const feed = await openFeedInWorker(await benchFeed(1_000_000));
const batches: (readonly MarketEvent[])[] = [];
let events = 0;
for await (const batch of feed.batches()) {
  batches.push(batch);
  events += batch.length;
  if (events >= EVENTS) break;
}

/** One pass: fresh strategies over every kept event; the targets they set. */
function pass(): number {
  const stable = v1!.create(v1!.parseParams(undefined));
  const canary = v2!.create(v2!.parseParams(undefined));
  let targets = 0;
  for (const batch of batches) {
    for (const event of batch) {
      if (stable.onMarketEvent(event) !== null) targets++;
      if (canary.onMarketEvent(event) !== null) targets++;
    }
  }
  return targets;
}

for (let i = 0; i < PASSES; i++) pass();
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const started = performance.now();
let targets = 0;
for (let i = 0; i < PASSES; i++) targets += pass();
const ms = performance.now() - started;
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: { selfSize: number; children: unknown[] } };
};
session.disconnect();
interface Node {
  readonly selfSize: number;
  readonly children: readonly Node[];
}
const allocated = (node: Node): number =>
  node.children.reduce((sum, child) => sum + allocated(child), node.selfSize);
const calls = 2 * events * PASSES;
process.stdout.write(
  `momentum@1.0.0 and @2.0.0 on ${events.toLocaleString('en-US')} events, ${PASSES} passes: ` +
    `${((ms * 1e6) / calls).toFixed(1)} ns and ${(allocated(profile.head as Node) / calls).toFixed(1)} bytes a call (${targets} targets)\n`,
);
process.exit(0);
