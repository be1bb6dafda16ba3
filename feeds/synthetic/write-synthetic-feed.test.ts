import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryError } from '../../src/core/errors.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from '../normalized-csv-format.js';
import { syntheticEvents } from './synthetic-events.js';
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

  it('gzips when the path ends with .gz, readable with zlib', async () => {
    const path = join(dir, 'feed.csv.gz');
    const summary = await writeSyntheticFeed(path, options);
    const raw = readFileSync(path);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]); // gzip magic
    const text = gunzipSync(raw).toString('utf8');
    expect(text).toBe(`${NORMALIZED_CSV_HEADER}\n${expected.join('\n')}\n`);
    expect(summary.events).toBe(5_000);
  });

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
});
