/**
 * Dev script: how often each bundled strategy (defaults) changes its target on the sample
 * captures, and why. Not part of the build.
 *
 *   npx tsx strategies/test-support/count-targets.ts [feeds/samples/*.gz ...]
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listStrategies } from '../registry.js';
import { strategyId } from '../strategy-id.js';
import { readBinanceCapture } from './binance-capture.js';

const samplesDir = join(import.meta.dirname, '../../feeds/samples');
const argv = process.argv.slice(2);
const files =
  argv.length > 0
    ? argv
    : readdirSync(samplesDir)
        .filter((name) => name.endsWith('.gz'))
        .map((name) => join(samplesDir, name));

for (const file of files) {
  const exchange = basename(file).startsWith('usdm') ? 'binance-futures' : 'binance';
  const events = readBinanceCapture(file, exchange);
  const minutes = (events.at(-1)!.tsUs - events[0]!.tsUs) / 60e6;
  console.log(`${basename(file)}: ${events.length} events, ${minutes.toFixed(1)} min`);
  for (const definition of listStrategies()) {
    const strategy = definition.create(definition.parseParams(undefined));
    const reasons = new Map<string, number>();
    let changes = 0;
    for (const event of events) {
      const target = strategy.onMarketEvent(event);
      if (target === null) continue;
      changes++;
      reasons.set(target.reason, (reasons.get(target.reason) ?? 0) + 1);
    }
    const detail = [...reasons].map(([reason, n]) => `${reason} ${n}`).join(', ');
    console.log(
      `  ${strategyId(definition).padEnd(22)} ${String(changes).padStart(3)}  (${detail})`,
    );
  }
}
