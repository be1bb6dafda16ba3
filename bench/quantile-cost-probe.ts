import type { studentTUpperQuantile as StudentTUpperQuantile } from '../src/analysis/student-t-quantile.js';
import { buildBase, importFromBuild, optionValue } from './build-under-test.js';

/**
 * What a Student t upper quantile costs (the studentized bounds take one per look at a metric):
 * 2,000 calls over tails from 1e-5 to 1e-3 and 2 to 51 degrees of freedom, three passes after one
 * of warm-up; prints the best pass's time a call and the sum of the quantiles (the same sum for
 * two builds that compute the same floats). With `--root DIR` the function is another build's.
 *
 *   npm run build && node dist/bench/quantile-cost-probe.js [--root DIR]
 */
const root = optionValue(process.argv.slice(2), '--root');
const { studentTUpperQuantile } = await importFromBuild<{
  studentTUpperQuantile: typeof StudentTUpperQuantile;
}>(buildBase(root), 'src/analysis/student-t-quantile.js');

const calls: [number, number][] = [];
for (let i = 0; i < 2000; i++) calls.push([(1e-3 * (1 + (i % 97))) / 100, 2 + (i % 50)]);
let best = Number.POSITIVE_INFINITY;
let sum = 0;
for (let pass = 0; pass < 4; pass++) {
  const started = performance.now();
  sum = 0;
  for (const [tail, nu] of calls) sum += studentTUpperQuantile(tail, nu);
  if (pass > 0) best = Math.min(best, performance.now() - started);
}
process.stdout.write(
  `${root ?? 'this build'}: ${((best / calls.length) * 1000).toFixed(1)} µs a quantile (best of 3 passes of ${calls.length}); sum ${sum.toFixed(9)}\n`,
);
