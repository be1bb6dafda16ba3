import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { sortedIndices as SortedIndices } from '../src/execution/sorted-indices.js';
import { SeededRng } from '../src/core/seeded-rng.js';
import { buildBase, importFromBuild, optionValue } from './build-under-test.js';

/**
 * What sorting a target change's orders by arrival costs (`sortedIndices`, the pending-order
 * queue's sort): batches of 1,000 and 100,000 arrivals as the venue draws them (now + 15 ms + a
 * log-normal jitter of mean 5 ms, whole µs), four passes after one of warm-up; prints the best
 * pass's time an order and a checksum of the orders (the same for two builds that sort alike).
 * With `--root DIR` the sort is another build's (before it had a file of its own, it was in
 * `src/execution/pending-orders.js`).
 *
 *   npm run build && node dist/bench/sort-cost-probe.js [--root DIR]
 */
const root = optionValue(process.argv.slice(2), '--root');
const base = buildBase(root);
const own = 'src/execution/sorted-indices.js';
const { sortedIndices } = await importFromBuild<{ sortedIndices: typeof SortedIndices }>(
  base,
  existsSync(fileURLToPath(new URL(own, base))) ? own : 'src/execution/pending-orders.js',
);

const rng = new SeededRng(1, 'sort-cost-probe');
const lines: string[] = [];
for (const size of [1000, 100_000]) {
  const batches = Array.from({ length: Math.max(4, 4_000_000 / size / 100) }, () =>
    Float64Array.from(
      { length: size },
      () =>
        1_704_067_200_000_000 + 15_000 + Math.round(Math.exp(1.4 + 0.5 * rng.nextNormal()) * 1000),
    ),
  );
  let best = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let pass = 0; pass < 5; pass++) {
    const started = performance.now();
    checksum = 0;
    for (const batch of batches) {
      const order = sortedIndices(batch);
      checksum = (checksum * 31 + order[0]! + order[size >> 1]! + order[size - 1]!) % 1_000_000_007;
    }
    if (pass > 0) best = Math.min(best, performance.now() - started);
  }
  const ns = (best * 1e6) / (batches.length * size);
  lines.push(
    `${size.toLocaleString('en-US')} orders ${ns.toFixed(1)} ns an order (checksum ${checksum})`,
  );
}
process.stdout.write(`${root ?? 'this build'}: ${lines.join(', ')}; best of 4 passes\n`);
