/**
 * Throughput of the synthetic generator: events generated, then written as CSV and as CSV.gz.
 * Prints wall-clock time and the process's CPU time (main thread plus zlib and file threads).
 *
 *   npm run bench:generator -- [events=5000000] [dir=os.tmpdir()]
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvents } from '../feeds/synthetic/synthetic-events.js';
import { writeSyntheticFeed } from '../feeds/synthetic/write-synthetic-feed.js';

const events = Number(process.argv[2] ?? 5_000_000);
const dir = process.argv[3] ?? tmpdir();
const options = { seed: 7, events };

async function measure(label: string, task: () => Promise<string> | string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const extra = await task();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rate = Math.round(events / seconds).toLocaleString('en-US');
  console.log(
    `${label.padEnd(14)} ${seconds.toFixed(2)} s wall (${cpuSeconds.toFixed(2)} s CPU)  ${rate} events/s${extra}`,
  );
}

let lastTsUs = 0;
await measure('generate only', () => {
  for (const event of syntheticEvents(options)) lastTsUs = event.tsUs;
  return '';
});

for (const name of ['synthetic-bench.csv', 'synthetic-bench.csv.gz']) {
  const path = join(dir, name);
  await measure(`write ${name.endsWith('.gz') ? 'csv.gz' : 'csv'}`, async () => {
    const summary = await writeSyntheticFeed(path, options);
    if (summary.lastTsUs !== lastTsUs) throw new Error('written and generated runs differ');
    const minutes = (summary.lastTsUs - summary.firstTsUs) / 60e6;
    return `  ${(statSync(path).size / 1e6).toFixed(0)} MB, ${minutes.toFixed(0)} min of event time`;
  });
  rmSync(path);
}
