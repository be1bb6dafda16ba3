/**
 * Feed reader throughput, for the numbers in docs/feed-formats.md (not a test: nothing asserted).
 *
 *   npm run bench:feeds -- [events=1000000]
 *
 * 1. normalized: lines made with formatNormalizedCsvLine, parsed in memory (parser only);
 * 2. normalized: the same lines as a file, plain and gzipped, through openFeed (whole pipeline);
 * 3. binance-ws: the real captures' lines parsed in memory, and the files through openFeed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { MarketEvent } from '../../src/core/market-event.js';
import { BinanceWsParser } from '../binance-ws-parser.js';
import { FeedContext } from '../feed-context.js';
import { emptyFeedStats } from '../feed-source.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from '../normalized-csv-format.js';
import { NormalizedCsvParser } from '../normalized-csv-parser.js';
import { openFeed } from '../open-feed.js';
import type { LineParser } from '../line-parser.js';
import { sample } from './feed-test-utils.js';

const count = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;

/** A synthetic tape: one trade for two quotes, BTCUSDT-like prices, 250 µs apart. */
function syntheticLines(n: number): string[] {
  const lines: string[] = [];
  let cents = 6_183_763;
  for (let i = 0; i < n; i++) {
    cents += ((i * 7919) % 11) - 5;
    const tsUs = 1_723_161_255_342_000 + i * 250;
    const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const ask = `${Math.floor((cents + 1) / 100)}.${String((cents + 1) % 100).padStart(2, '0')}`;
    const event: MarketEvent =
      i % 3 === 0
        ? {
            type: 'trade',
            tsUs,
            exchangeTsUs: tsUs,
            exchange: 'binance',
            symbol: 'BTCUSDT',
            id: String(3_735_683_259 + i),
            side: i % 2 === 0 ? 'buy' : 'sell',
            price,
            priceNum: 0,
            size: `0.${String((i % 997) + 1).padStart(5, '0')}`,
            sizeNum: 0,
          }
        : {
            type: 'quote',
            tsUs,
            exchangeTsUs: tsUs,
            exchange: 'binance',
            symbol: 'BTCUSDT',
            bidPrice: price,
            bidPriceNum: 0,
            bidSize: '3.78826',
            bidSizeNum: 0,
            askPrice: ask,
            askPriceNum: 0,
            askSize: '1.54698',
            askSizeNum: 0,
          };
    // Flat strings, as the reader decodes them from a Buffer.
    lines.push(Buffer.from(formatNormalizedCsvLine(event)).toString('latin1'));
  }
  return lines;
}

function parseRate(lines: readonly string[], make: (ctx: FeedContext) => LineParser): number {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const parser = make(new FeedContext('bench', emptyFeedStats(), 1_000_000));
    let events = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++)
      if (parser.parseLine(lines[i] as string, i + 1) !== null) events++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (events === 0) throw new Error('no events parsed');
    best = Math.max(best, lines.length / seconds);
  }
  return best;
}

async function fileRate(path: string): Promise<{ lines: number; events: number }> {
  let best = { lines: 0, events: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const feed = await openFeed(path);
    const start = process.hrtime.bigint();
    for await (const batch of feed.batches())
      if (batch.length === 0) throw new Error('empty batch');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (feed.stats.lines / seconds > best.lines)
      best = { lines: feed.stats.lines / seconds, events: feed.stats.events / seconds };
  }
  return best;
}

const m = (rate: number): string => `${(rate / 1e6).toFixed(2)} M/s`;

const lines = syntheticLines(count);
console.log(
  `normalized, parser only (${count} lines): ${m(parseRate(lines, (ctx) => new NormalizedCsvParser(ctx)))} lines`,
);
const dir = mkdtempSync(join(tmpdir(), 'feed-throughput-'));
try {
  const text = `${NORMALIZED_CSV_HEADER}\n${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'feed.csv'), text);
  writeFileSync(join(dir, 'feed.csv.gz'), gzipSync(text));
  for (const name of ['feed.csv', 'feed.csv.gz']) {
    const rate = await fileRate(join(dir, name));
    console.log(`normalized, openFeed ${name}: ${m(rate.lines)} lines, ${m(rate.events)} events`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

for (const name of ['usdm_btcusdt_20240808.gz', 'spot_btcusdt_20240809.gz']) {
  // One flat string per line, as the reader decodes them.
  const text = gunzipSync(readFileSync(sample(name)));
  const wsLines: string[] = [];
  for (
    let start = 0, end = text.indexOf(10);
    end >= 0;
    start = end + 1, end = text.indexOf(10, start)
  )
    if (end > start) wsLines.push(text.toString('latin1', start, end));
  console.log(
    `binance-ws ${name}, parser only: ${m(parseRate(wsLines, (ctx) => new BinanceWsParser(ctx)))} lines`,
  );
  const rate = await fileRate(sample(name));
  console.log(`binance-ws ${name}, openFeed: ${m(rate.lines)} lines, ${m(rate.events)} events`);
}
