import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryError } from '../../src/core/errors.js';
import type { MarketEvent, TradeEvent } from '../../src/core/market-event.js';
import { Decimal } from '../../src/core/money.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from '../normalized-csv-format.js';
import { readAll } from '../test-support/feed-test-utils.js';
import { formatBinanceCsvTradesLine } from './binance-csv-trades-line.js';
import { syntheticEvents } from './synthetic-events.js';
import type { SyntheticFeedFileOptions } from './synthetic-feed-format.js';
import { writeSyntheticFeed } from './write-synthetic-feed.js';

const dir = mkdtempSync(join(tmpdir(), 'synthetic-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = NORMALIZED_CSV_HEADER.split(',');
const TRADE_FIELDS = ['side', 'price', 'size', 'id'];
const QUOTE_FIELDS = ['bid_price', 'bid_size', 'ask_price', 'ask_size'];

/** Checks a data line against the header's columns; returns a problem or null. */
function columnProblem(line: string): string | null {
  const cells = line.split(',');
  if (cells.length !== COLUMNS.length) return `${cells.length} columns: ${line}`;
  const row = new Map(COLUMNS.map((name, i) => [name, cells[i] as string]));
  if (!/^\d+$/.test(row.get('ts_us') ?? '')) return `ts_us: ${line}`;
  if (row.get('exchange') !== 'synthetic' || row.get('symbol') !== 'BTCUSDT')
    return `venue: ${line}`;
  const [filled, empty] =
    row.get('type') === 'trade'
      ? [TRADE_FIELDS, QUOTE_FIELDS]
      : row.get('type') === 'quote'
        ? [QUOTE_FIELDS, TRADE_FIELDS]
        : [[], []];
  if (filled.length === 0) return `type: ${line}`;
  if (filled.some((name) => row.get(name) === ''))
    return `missing ${row.get('type')} field: ${line}`;
  if (empty.some((name) => row.get(name) !== '')) return `stray field: ${line}`;
  return null;
}

describe('writeSyntheticFeed', () => {
  const options = { seed: 21, events: 5_000 };
  const expected = Array.from(syntheticEvents(options), formatNormalizedCsvLine);

  it('writes the header, then one normalized CSV line per event', async () => {
    const path = join(dir, 'feed.csv');
    const progress: number[] = [];
    const summary = await writeSyntheticFeed(path, options, (n) => progress.push(n));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toBe(NORMALIZED_CSV_HEADER);
    expect(lines.at(-1)).toBe(''); // the file ends with a newline
    const data = lines.slice(1, -1);
    expect(data).toEqual(expected);
    expect(data.map(columnProblem).filter((p) => p !== null)).toEqual([]);
    expect(summary).toEqual({
      events: 5_000,
      firstTsUs: Number(expected[0]!.split(',')[0]),
      lastTsUs: Number(expected.at(-1)!.split(',')[0]),
    });
    expect(progress.at(-1)).toBe(5_000);
    expect(progress.length).toBeGreaterThan(1); // 5,000 lines span several chunks
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it.each(['feed.csv.gz', 'FEED.CSV.GZ', 'feed.csv.Gz'])(
    'gzips when the path ends with .gz in any case (%s), readable with zlib',
    async (name) => {
      const path = join(dir, name);
      const summary = await writeSyntheticFeed(path, options);
      const raw = readFileSync(path);
      expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]); // gzip magic
      const text = gunzipSync(raw).toString('utf8');
      expect(text).toBe(`${NORMALIZED_CSV_HEADER}\n${expected.join('\n')}\n`);
      expect(summary.events).toBe(5_000);
    },
  );

  it('writes other instruments byte for byte as formatNormalizedCsvLine does', async () => {
    const other = {
      seed: 8,
      events: 2_000,
      exchange: 'sim-venue',
      symbol: 'ETHUSDT',
      tickSize: '0.1',
      startPrice: '2500.0',
      startTsUs: 999_990, // crosses the first second: '999990' then '1000123'…
    };
    const path = join(dir, 'eth.csv');
    await writeSyntheticFeed(path, other);
    const text = readFileSync(path, 'utf8');
    const lines = Array.from(syntheticEvents(other), formatNormalizedCsvLine);
    expect(text).toBe(`${NORMALIZED_CSV_HEADER}\n${lines.join('\n')}\n`);
    expect(lines.some((l) => l.includes(',sim-venue,ETHUSDT,trade,'))).toBe(true);
  });

  it('writes a time-bounded run', async () => {
    const path = join(dir, 'minute.csv');
    const summary = await writeSyntheticFeed(path, { seed: 4, minutes: 1 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(summary.events + 1);
    expect(summary.firstTsUs).toBe(1_704_067_200_000_000);
    expect(summary.lastTsUs).toBeLessThan(1_704_067_200_000_000 + 60_000_000);
    expect(summary.events).toBeGreaterThan(1_000); // about 100 events/s
  });

  it('writes the file whole or not at all: stopped by its signal, it leaves the file there as it was', async () => {
    const own = join(dir, 'stopped');
    mkdirSync(own);
    const path = join(own, 'feed.csv.gz');
    writeFileSync(path, 'the file before');
    const stop = new AbortController();
    const reason = new Error('stopped');
    let progressCalls = 0;
    await expect(
      writeSyntheticFeed(
        path,
        { seed: 2, events: 200_000 },
        () => {
          if (++progressCalls === 3) stop.abort(reason);
        },
        stop.signal,
      ),
    ).rejects.toBe(reason);
    expect(progressCalls).toBeLessThan(50); // some 1,700 events a call: it stopped well before the end
    expect(readdirSync(own)).toEqual(['feed.csv.gz']);
    expect(readFileSync(path, 'utf8')).toBe('the file before');
    // Not stopped: the new file replaces the old one, and no temporary file is left.
    const { events } = await writeSyntheticFeed(path, { seed: 2, events: 2_000 });
    expect(events).toBe(2_000);
    expect(readdirSync(own)).toEqual(['feed.csv.gz']);
    expect(gunzipSync(readFileSync(path)).toString('utf8').split('\n')[0]).toBe(
      NORMALIZED_CSV_HEADER,
    );
  });

  it('rejects an unwritable path with E_OUTPUT and bad options with E_USAGE', async () => {
    const missing = join(dir, 'no-such-folder', 'feed.csv');
    await expect(writeSyntheticFeed(missing, options)).rejects.toSatisfy(
      (e) => e instanceof CanaryError && e.code === 'E_OUTPUT' && e.message.includes(missing),
    );
    await expect(writeSyntheticFeed(join(dir, 'bad.csv'), { seed: 1 })).rejects.toSatisfy(
      (e) => e instanceof CanaryError && e.code === 'E_USAGE',
    );
    expect(() => readFileSync(join(dir, 'bad.csv'))).toThrow(); // checked before creating the file
  });

  it('writes only the trades with tradesOnly: the trade lines of the full file, the same every time', async () => {
    const full = join(dir, 'full.csv');
    const [a, b] = [join(dir, 'trades-a.csv.gz'), join(dir, 'trades-b.csv.gz')];
    await writeSyntheticFeed(full, { seed: 3, minutes: 1 });
    const summary = await writeSyntheticFeed(a, { seed: 3, minutes: 1, tradesOnly: true });
    await writeSyntheticFeed(b, { seed: 3, minutes: 1, tradesOnly: true });
    expect(readFileSync(a)).toEqual(readFileSync(b));
    const lines = gunzipSync(readFileSync(a)).toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(NORMALIZED_CSV_HEADER);
    expect(lines.slice(1).every((line) => line.includes(',trade,'))).toBe(true);
    const fullLines = readFileSync(full, 'utf8').trimEnd().split('\n');
    expect(lines.slice(1)).toEqual(fullLines.filter((line) => line.includes(',trade,')));
    expect(summary.events).toBe(lines.length - 1);
  });

  describe('format binance-csv-trades', () => {
    /** Writes both formats of one seed; returns the paths and what openFeed reads back. */
    async function writeBoth(name: string, options: SyntheticFeedFileOptions) {
      const binance = join(dir, `BTCUSDT-trades-${name}.csv.gz`);
      const normalized = join(dir, `${name}.csv`);
      const summary = await writeSyntheticFeed(binance, {
        ...options,
        format: 'binance-csv-trades',
      });
      await writeSyntheticFeed(normalized, options);
      const fromBinance = await readAll(binance);
      const fromNormalized = await readAll(normalized);
      return { binance, summary, fromBinance, fromNormalized };
    }

    const essentials = (e: MarketEvent) =>
      e.type === 'trade'
        ? [e.tsUs, e.exchangeTsUs, e.symbol, e.id, e.side, e.price, e.priceNum, e.size, e.sizeNum]
        : [];

    it('reads back through openFeed to the trades of the normalized file of the same seed', async () => {
      const { binance, summary, fromBinance, fromNormalized } = await writeBoth('s12', {
        seed: 12,
        minutes: 2,
      });
      expect(fromBinance.source.format).toBe('binance-csv-trades');
      expect(fromBinance.source.stats).toMatchObject({
        lines: summary.events,
        events: summary.events,
        trades: summary.events,
        badLines: 0,
        outOfOrder: 0,
        skipped: {},
      });
      const trades = fromNormalized.events.filter((e) => e.type === 'trade');
      expect(fromBinance.events).toHaveLength(trades.length);
      expect(fromBinance.events.map(essentials)).toEqual(trades.map(essentials));
      // Only the venue differs: the reader calls a spot file (with is_best_match) `binance`.
      expect(new Set(fromBinance.events.map((e) => e.exchange))).toEqual(new Set(['binance']));

      // No header; each line as formatBinanceCsvTradesLine writes it; quote_qty = price × qty.
      const lines = gunzipSync(readFileSync(binance)).toString('latin1').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toEqual(
        Array.from(syntheticEvents({ seed: 12, minutes: 2, tradesOnly: true }), (e) =>
          formatBinanceCsvTradesLine(e as TradeEvent),
        ),
      );
      for (const line of lines.slice(0, 200)) {
        const [, price, qty, quoteQty, time] = line.split(',');
        expect(new Decimal(quoteQty!).equals(new Decimal(price!).times(qty!))).toBe(true);
        expect(Number(time)).toBeGreaterThanOrEqual(1e14); // µs, as Binance's 2025+ files
      }
    });

    it('is deterministic: the same options give the same bytes', async () => {
      const options = { seed: 4, events: 3_000, format: 'binance-csv-trades' } as const;
      const [a, b] = [join(dir, 'BTCUSDT-trades-a.csv'), join(dir, 'BTCUSDT-trades-b.csv')];
      expect((await writeSyntheticFeed(a, options)).events).toBe(3_000); // trades
      await writeSyntheticFeed(b, options);
      expect(readFileSync(a)).toEqual(readFileSync(b));
      const other = join(dir, 'BTCUSDT-trades-c.csv');
      await writeSyntheticFeed(other, { ...options, seed: 5 });
      expect(readFileSync(other)).not.toEqual(readFileSync(a));
    });

    it('round-trips a wide-tick instrument, every price on its tick grid', async () => {
      const options = { seed: 2, minutes: 3, startPrice: '0.50000', tickSize: '0.00005' };
      const { fromBinance, fromNormalized } = await writeBoth('wide', options);
      const trades = fromNormalized.events.filter((e) => e.type === 'trade');
      expect(fromBinance.events.map(essentials)).toEqual(trades.map(essentials));
      expect(trades.length).toBeGreaterThan(1_000);
      // Every price has the tick's 5 decimals, is a multiple of 0.00005 and positive.
      const offGrid = fromBinance.events.filter(
        (e) => e.type === 'trade' && (!/^\d+\.\d{4}[05]$/.test(e.price) || !(e.priceNum > 0)),
      );
      expect(offGrid).toEqual([]);
      expect(
        new Set(fromBinance.events.map((e) => (e.type === 'trade' ? e.price : ''))).size,
      ).toBeGreaterThan(3);
    });

    it('refuses, before creating the file, a name that tells another symbol', async () => {
      const path = join(dir, 'ETHUSDT-trades-2024-01-01.csv');
      await expect(
        writeSyntheticFeed(path, { seed: 1, events: 5, format: 'binance-csv-trades' }),
      ).rejects.toSatisfy((e) => e instanceof CanaryError && e.code === 'E_USAGE');
      expect(() => readFileSync(path)).toThrow();
    });
  });
});
