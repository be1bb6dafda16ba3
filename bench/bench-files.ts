import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticFeed } from '../feeds/synthetic/index.js';

/** Where benchmark inputs are cached between runs (git-ignored). */
export const BENCH_DIR = join(process.cwd(), '.bench');

/**
 * A generated normalized-CSV feed of exactly `events` events (seed 1), created on first use and
 * reused afterwards: generation is deterministic, so a cached file is the same file.
 */
export async function benchFeed(events: number): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `synthetic-seed1-${events}.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${events.toLocaleString('en-US')} events into ${path}…\n`);
    await writeSyntheticFeed(path, { seed: 1, events });
  }
  return path;
}

/**
 * A generated Binance spot trades CSV of exactly `events` trades (seed 1,
 * `generate-feed --format binance-csv-trades`): the kind of file issue 12's headline target names
 * ("a 1M-line Binance trades CSV"). Named as Binance names its files, so the reader finds the
 * symbol. Created on first use and reused afterwards.
 */
export async function benchTradesFeed(events: number): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `BTCUSDT-trades-synthetic-seed1-${events}.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${events.toLocaleString('en-US')} trades into ${path}…\n`);
    await writeSyntheticFeed(path, { seed: 1, events, format: 'binance-csv-trades' });
  }
  return path;
}
