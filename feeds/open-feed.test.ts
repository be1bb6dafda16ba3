import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FeedError, UsageError } from '../src/core/errors.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { plainMarketEvent } from './buffer-events.js';
import { BATCH_SIZE } from './feed-reader.js';
import type { FeedSource } from './feed-source.js';
import { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from './normalized-csv-format.js';
import { openFeed } from './open-feed.js';
import {
  fixture,
  fixtureText,
  readAll,
  rejection,
  sample,
  tempDir,
  writeFeed,
} from './test-support/feed-test-utils.js';

const FIXTURES = [
  'binance-ws-spot.txt',
  'binance-ws-futures.jsonl',
  'binance-ws-spot-bare.jsonl',
  'BTCUSDT-trades-2024-08-08.csv',
  'BTCUSDT-trades-2025-01-02.csv',
  'ETHUSDT-aggTrades-2024-08-08.csv',
  'futures-um/BTCUSDT-trades-2024-08-08.csv',
  'futures-um/BTCUSDT-aggTrades-2024-08-08.csv',
  'tardis-trades.csv',
  'tardis-quotes.csv',
  'normalized.csv',
];

/** n normalized events, 1 ms apart, alternating trades and quotes. */
function normalizedEvents(n: number, symbol = 'BTCUSDT'): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let i = 0; i < n; i++) {
    const tsUs = 1_723_161_255_342_000 + i * 1000;
    const cents = 6_183_763 + (i % 50);
    const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    events.push(
      i % 2 === 0
        ? {
            type: 'trade',
            tsUs,
            exchangeTsUs: tsUs,
            exchange: 'binance',
            symbol,
            id: String(3_735_683_259 + i),
            side: i % 4 === 0 ? 'buy' : 'sell',
            price,
            priceNum: Number(price),
            size: '0.02000000',
            sizeNum: 0.02,
          }
        : {
            type: 'quote',
            tsUs,
            exchangeTsUs: tsUs,
            exchange: 'binance',
            symbol,
            bidPrice: price,
            bidPriceNum: Number(price),
            bidSize: '3.78826000',
            bidSizeNum: 3.78826,
            askPrice: price,
            askPriceNum: Number(price),
            askSize: '1.54698000',
            askSizeNum: 1.54698,
          },
    );
  }
  return events;
}

async function readBatches(source: FeedSource): Promise<number> {
  let events = 0;
  for await (const batch of source.batches()) events += batch.length;
  return events;
}

const normalizedText = (events: readonly MarketEvent[]): string =>
  [NORMALIZED_CSV_HEADER, ...events.map(formatNormalizedCsvLine)].join('\n') + '\n';

describe('openFeed', () => {
  it.each(FIXTURES)(
    'reads %s gzipped exactly as plain, by magic bytes not by extension',
    async (name) => {
      const plain = await readAll(fixture(name));
      expect(plain.events.length).toBeGreaterThan(0);
      const dir = tempDir();
      const base = name.split('/').pop() as string;
      const gz = await readAll(writeFeed(dir, `${base}.gz`, fixtureText(name), true));
      const gzNoExtension = await readAll(writeFeed(dir, base, fixtureText(name), true));
      const plainNamedGz = await readAll(
        writeFeed(join(dir), `plain-${base}.gz`, fixtureText(name)),
        {
          symbol: 'BTCUSDT',
        },
      );
      for (const other of [gz, gzNoExtension]) {
        expect(other.source.format).toBe(plain.source.format);
        expect(other.events).toEqual(plain.events);
        expect(other.source.stats.lines).toBe(plain.source.stats.lines);
      }
      expect(plainNamedGz.events.length).toBe(plain.events.length);
    },
  );

  it('hashes and counts the raw bytes: sha256 of the file as stored, bytesRead up to sizeBytes', async () => {
    const dir = tempDir();
    const path = writeFeed(dir, 'feed.csv.gz', normalizedText(normalizedEvents(50)), true);
    const { source } = await readAll(path);
    const bytes = readFileSync(path);
    expect(source.sizeBytes).toBe(statSync(path).size);
    expect(source.stats.bytesRead).toBe(bytes.length);
    expect(source.stats.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(source.stats).toMatchObject({ lines: 51, events: 50, trades: 25, quotes: 25 });
  });

  it('splits lines across chunk boundaries (multi-MB file, plain and gzipped, non-ASCII text)', async () => {
    const events = normalizedEvents(30_000, 'BTC€USDT'); // ~2.4 MB: several 1 MB read chunks
    const dir = tempDir();
    for (const gzip of [false, true]) {
      const path = writeFeed(dir, gzip ? 'big.csv.gz' : 'big.csv', normalizedText(events), gzip);
      const source = await openFeed(path);
      const read: MarketEvent[] = [];
      const sizes: number[] = [];
      for await (const batch of source.batches()) {
        sizes.push(batch.length);
        read.push(...batch);
      }
      expect(read).toEqual(events);
      // full batches except the last
      expect(sizes.slice(0, -1).every((size) => size === BATCH_SIZE)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(30_000);
      expect(source.stats.firstTsUs).toBe(events[0]?.tsUs);
      expect(source.stats.lastTsUs).toBe(events.at(-1)?.tsUs);
    }
  });

  it('reads concatenated gzip members as one text', async () => {
    const [first, second] = normalizedText(normalizedEvents(2)).split(/(?<=\n)(?=[^\n]*\n$)/);
    const dir = tempDir();
    const path = writeFeed(
      dir,
      'multi.gz',
      Buffer.concat([gzipSync(first as string), gzipSync(second as string)]),
    );
    expect((await readAll(path)).events).toEqual(normalizedEvents(2));
  });

  it('accepts CRLF line ends, a byte-order mark and a missing final newline', async () => {
    const events = normalizedEvents(3);
    const dir = tempDir();
    const text = '\uFEFF' + normalizedText(events).trimEnd().split('\n').join('\r\n');
    const { events: read, source } = await readAll(writeFeed(dir, 'crlf.csv', text));
    expect(read).toEqual(events);
    expect(source.stats.lines).toBe(4);
  });

  it('under onBadLine fail, hands out every event before the bad line, then throws', async () => {
    const dir = tempDir();
    const events = normalizedEvents(BATCH_SIZE + 10);
    const bad = '1723161256000000,binance,BTCUSDT,trade,buy,abc,1,,,,,';
    const path = writeFeed(dir, 'bad.csv', `${normalizedText(events)}${bad}\n`);
    const read: MarketEvent[] = [];
    const source = await openFeed(path);
    const error = await (async () => {
      for await (const batch of source.batches()) read.push(...batch.map(plainMarketEvent));
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ code: 'E_FEED_BAD_FIELD' });
    expect(read).toEqual(events);
  });

  it('can be iterated once', async () => {
    const source = await openFeed(fixture('normalized.csv'));
    for await (const _ of source.batches()) break;
    expect(() => source.batches()).toThrow(/once/);
  });

  it('closes cleanly when the consumer stops early', async () => {
    const dir = tempDir();
    const path = writeFeed(dir, 'big.csv.gz', normalizedText(normalizedEvents(20_000)), true);
    const source = await openFeed(path);
    let batches = 0;
    for await (const _ of source.batches()) if (++batches === 1) break;
    expect(batches).toBe(1);
    expect(source.stats.events).toBeLessThan(20_000);
  });

  describe('out-of-order policy', () => {
    const times = [1_000_000, 2_000_000, 1_500_000, 2_500_000, 1_500_000, 2_600_000];
    const text = (): string =>
      normalizedText(
        times.map((t, i) => ({
          ...(normalizedEvents(1)[0] as MarketEvent),
          tsUs: 1_723_161_250_000_000 + t,
          id: String(i),
        })),
      );

    it('clamps a step back within maxBackstepMs to the latest time, keeping the original in exchangeTsUs', async () => {
      const dir = tempDir();
      const { events, source } = await readAll(writeFeed(dir, 'ooo.csv', text()), {
        maxBackstepMs: 1000,
      });
      const base = 1_723_161_250_000_000;
      expect(events.map((e) => [e.tsUs - base, (e.exchangeTsUs as number) - base])).toEqual([
        [1_000_000, 1_000_000],
        [2_000_000, 2_000_000],
        [2_000_000, 1_500_000], // 500 ms back: clamped
        [2_500_000, 2_500_000],
        [2_500_000, 1_500_000], // exactly 1000 ms back: still clamped
        [2_600_000, 2_600_000],
      ]);
      expect(source.stats.outOfOrder).toBe(2);
    });

    it('treats a larger step back as a bad line', async () => {
      const dir = tempDir();
      const path = writeFeed(dir, 'ooo.csv', text());
      const error = await rejection(readAll(path, { maxBackstepMs: 999 }));
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).code).toBe('E_FEED_OUT_OF_ORDER');
      expect(error.message).toBe(
        `${path}:6: ts_us: time 1723161251500000 µs is 1000 ms before the latest event time 1723161252500000 µs (tolerance 999 ms)`,
      );
      const skipped = await readAll(path, { maxBackstepMs: 999, onBadLine: 'skip' });
      expect(skipped.events.map((e) => (e.type === 'trade' ? e.id : null))).toEqual([
        '0',
        '1',
        '2',
        '3',
        '5',
      ]);
      expect(skipped.source.stats).toMatchObject({ badLines: 1, outOfOrder: 1 });
    });

    it('with maxBackstepMs 0, any step back fails', async () => {
      const dir = tempDir();
      const error = await rejection(
        readAll(writeFeed(dir, 'ooo.csv', text()), { maxBackstepMs: 0 }),
      );
      expect((error as FeedError).line).toBe(4);
    });
  });

  describe('bad files', () => {
    const codeOf = async (promise: Promise<unknown>): Promise<[string, string]> => {
      const error = await rejection(promise);
      expect(error).toBeInstanceOf(FeedError);
      return [(error as FeedError).code, error.message];
    };

    it('a missing file: E_FEED_NOT_FOUND', async () => {
      const path = join(tempDir(), 'nope.csv');
      expect(await codeOf(openFeed(path))).toEqual([
        'E_FEED_NOT_FOUND',
        `${path}: -: no such file`,
      ]);
    });

    it('a file removed after openFeed: E_FEED_NOT_FOUND from the iteration, not an unhandled rejection', async () => {
      const dir = tempDir();
      const path = writeFeed(dir, 'gone.csv.gz', fixtureText('normalized.csv'), true);
      const source = await openFeed(path);
      rmSync(path);
      expect(await codeOf(readBatches(source))).toEqual([
        'E_FEED_NOT_FOUND',
        `${path}: -: no such file`,
      ]);
    });

    it('a directory: E_FEED_READ', async () => {
      const dir = tempDir();
      expect((await codeOf(openFeed(dir)))[0]).toBe('E_FEED_READ');
    });

    it('an empty file, blank lines only, or an empty gzip: E_FEED_EMPTY', async () => {
      const dir = tempDir();
      for (const [name, content, gzip] of [
        ['empty.csv', '', false],
        ['blank.csv', '\n\r\n  \n', false],
        ['empty.gz', '', true],
      ] as const)
        expect((await codeOf(openFeed(writeFeed(dir, name, content, gzip))))[0]).toBe(
          'E_FEED_EMPTY',
        );
    });

    it('a zip archive: E_FEED_UNKNOWN_FORMAT, telling to unzip', async () => {
      const dir = tempDir();
      const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]);
      const [code, message] = await codeOf(
        openFeed(writeFeed(dir, 'BTCUSDT-trades-2024-08-08.zip', zip)),
      );
      expect(code).toBe('E_FEED_UNKNOWN_FORMAT');
      expect(message).toContain('unzip it first');
    });

    it('unrecognised content: E_FEED_UNKNOWN_FORMAT with a --format hint', async () => {
      const dir = tempDir();
      const [code, message] = await codeOf(
        openFeed(writeFeed(dir, 'x.csv', 'open_time,open,high\n1,2,3\n')),
      );
      expect(code).toBe('E_FEED_UNKNOWN_FORMAT');
      expect(message).toContain('"open_time,open,high"');
      expect(message).toContain('--format');
    });

    it('options.format overrides detection', async () => {
      const [code, message] = await codeOf(
        readAll(fixture('normalized.csv'), { format: 'binance-ws' }),
      );
      expect(code).toBe('E_FEED_MALFORMED_LINE');
      expect(message).toContain('normalized.csv:1: -: expected "<local receive time ns> <JSON>"');
    });

    it('rejects invalid options as usage errors', async () => {
      await expect(
        openFeed(fixture('normalized.csv'), { maxBackstepMs: -1 }),
      ).rejects.toBeInstanceOf(UsageError);
      await expect(
        openFeed(fixture('normalized.csv'), { maxBackstepMs: Number.NaN }),
      ).rejects.toBeInstanceOf(UsageError);
    });

    describe('a truncated gzip', () => {
      const events = normalizedEvents(5000);
      const setup = (): string => {
        const dir = tempDir();
        const gz = gzipSync(Buffer.from(normalizedText(events)));
        const path = join(dir, 'cut.csv.gz');
        writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
        return path;
      };

      it('fails with E_FEED_TRUNCATED_GZIP by default', async () => {
        const [code, message] = await codeOf(readAll(setup()));
        expect(code).toBe('E_FEED_TRUNCATED_GZIP');
        expect(message).toMatch(
          /cut\.csv\.gz: -: truncated gzip: the compressed data ends early after line \d+/,
        );
      });

      it('under skip: keeps what was read, counts one bad line, stops', async () => {
        const path = setup();
        const { events: read, source } = await readAll(path, { onBadLine: 'skip' });
        expect(read.length).toBeGreaterThan(100);
        expect(read.length).toBeLessThan(events.length);
        expect(read).toEqual(events.slice(0, read.length));
        expect(source.stats.badLines).toBe(1);
        expect(source.stats.sha256).toBe(
          createHash('sha256').update(readFileSync(path)).digest('hex'),
        );
      });
    });

    describe('a corrupt copy of a bundled sample', () => {
      const intact = readFileSync(sample('spot_btcusdt_20240808.gz'));
      const newlines = (bytes: Buffer): number => bytes.toString('latin1').split('\n').length - 1;

      it('with bytes after its gzip data: names its last line; skip keeps every event', async () => {
        const dir = tempDir();
        const path = writeFeed(dir, 'trailing.gz', Buffer.concat([intact, Buffer.from('junk')]));
        const lines = newlines(gunzipSync(intact)); // 41,249
        const [code, message] = await codeOf(readAll(path));
        expect(code).toBe('E_FEED_READ');
        expect(message).toContain(`corrupt gzip data after line ${lines}: what follows the end`);
        const skipped = await readAll(path, { onBadLine: 'skip' });
        const expected = await readAll(sample('spot_btcusdt_20240808.gz'));
        expect(skipped.events.length).toBe(37_797);
        expect(skipped.events).toEqual(expected.events);
        expect(skipped.source.stats.badLines).toBe(1);
      });

      it('with a damaged block inside: names the last line before it; skip keeps the lines before it', async () => {
        // Stored (level 0) blocks: each is a byte, LEN and its complement NLEN, then LEN bytes of
        // text, so the text before a block whose NLEN is wrong is exactly what can be decoded.
        const text = gunzipSync(intact).subarray(0, 2_000_000);
        const gz = gzipSync(text, { level: 0 });
        let block = 10; // after gzip's header
        let before = 0;
        for (let k = 0; k < 30; k++) {
          const length = gz.readUInt16LE(block + 1);
          before += length;
          block += 5 + length;
        }
        gz[block + 3] = gz[block + 3]! ^ 0xff; // NLEN of the 31st block
        const dir = tempDir();
        const path = writeFeed(dir, 'damaged.gz', gz);
        const prefix = text.subarray(0, text.subarray(0, before).lastIndexOf(10) + 1);
        const [code, message] = await codeOf(readAll(path));
        expect(code).toBe('E_FEED_READ');
        expect(message).toBe(
          `${path}: -: corrupt gzip data after line ${newlines(prefix)}: invalid stored block lengths`,
        );
        const skipped = await readAll(path, { onBadLine: 'skip' });
        const expected = await readAll(writeFeed(dir, 'prefix.txt', prefix));
        expect(skipped.events.length).toBeGreaterThan(1000);
        expect(skipped.events).toEqual(expected.events);
        expect(skipped.source.stats.badLines).toBe(1);
      });
    });

    it('a line longer than 16 MiB is a bad line', async () => {
      const dir = tempDir();
      const good = normalizedEvents(2).map(formatNormalizedCsvLine);
      const path = writeFeed(
        dir,
        'long.csv',
        `${NORMALIZED_CSV_HEADER}\n${good[0]}\n${'x'.repeat(17 * 1024 * 1024)}\n${good[1]}\n`,
      );
      const error = await rejection(readAll(path));
      expect(error.message).toBe(`${path}:3: -: line longer than 16777216 bytes`);
      const skipped = await readAll(path, { onBadLine: 'skip' });
      expect(skipped.events).toHaveLength(2);
      expect(skipped.source.stats).toMatchObject({ badLines: 1, lines: 4 });
    });
  });
});
