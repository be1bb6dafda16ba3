import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MarketEvent } from '../../src/core/market-event.js';
import { expect } from 'vitest';
import { FeedError } from '../../src/core/errors.js';
import { plainMarketEvent } from '../buffer-events.js';
import { EventArrayBatcher } from '../event-array-batcher.js';
import type { LineParser } from '../line-parser.js';
import type { FeedOptions, FeedSource } from '../feed-source.js';
import { openFeed } from '../open-feed.js';

/** Absolute path of a file in feeds/fixtures/. */
export function fixture(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', name);
}

/** Absolute path of a real capture in feeds/samples/. */
export function sample(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', name);
}

/** A fresh temporary directory for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'feeds-test-'));
}

/** Writes `content` (text, or gzipped when `gzip`) to `dir/name`; returns the path. */
export function writeFeed(
  dir: string,
  name: string,
  content: string | Buffer,
  gzip = false,
): string {
  const path = join(dir, name);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/** A fixture's text. */
export function fixtureText(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}

/**
 * Opens a feed (with `openFeed`, or `open`) and reads every event, as plain objects
 * ({@link plainMarketEvent}: a buffer event's strings decoded, so `toEqual` sees them).
 */
export async function readAll(
  path: string,
  options?: FeedOptions,
  open: (path: string, options?: FeedOptions) => Promise<FeedSource> = openFeed,
): Promise<{
  readonly source: FeedSource;
  readonly events: MarketEvent[];
  readonly batchSizes: number[];
}> {
  const source = await open(path, options);
  const events: MarketEvent[] = [];
  const batchSizes: number[] = [];
  for await (const batch of source.batches()) {
    batchSizes.push(batch.length);
    for (const event of batch) events.push(plainMarketEvent(event));
  }
  return { source, events, batchSizes };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** How often {@link compareBytesPath} saw the bytes path read a line, and leave one to the text. */
export interface BytesPathCounts {
  inPlace: number;
  leftToText: number;
}

/**
 * Feeds `lines` to two fresh parsers of one format, one through `parseLine` only and one through
 * `parseBytes` first (its text path when it leaves the line), and expects the same outcome for
 * every line: the same event (as plain objects; the bytes path's made by the reader's
 * {@link EventArrayBatcher}), null, or the same FeedError. Each line is given
 * inside a larger buffer (a byte before it, a newline after), as a reader's chunk holds it.
 */
export function compareBytesPath(
  byText: LineParser,
  byBytes: LineParser,
  lines: readonly string[],
  counts: BytesPathCounts,
): void {
  const outcome = (read: () => MarketEvent | null): unknown => {
    try {
      const event = read();
      return event === null ? null : plainMarketEvent(event);
    } catch (error) {
      return error instanceof FeedError ? `${error.code} ${error.message}` : error;
    }
  };
  lines.forEach((line, i) => {
    const bytes = Buffer.from(`,${line}\n`, 'latin1');
    const expected = outcome(() => byText.parseLine(line, i + 1));
    const actual = outcome(() => {
      const sink = new EventArrayBatcher();
      if (byBytes.parseBytes?.(bytes, 1, bytes.length - 1, i + 1, sink) !== true) {
        expect(sink.size).toBe(0); // a line left to the text path had no effect
        counts.leftToText++;
        return byBytes.parseLine(line, i + 1);
      }
      counts.inPlace++;
      const events = sink.take();
      expect(events.length).toBeLessThanOrEqual(1);
      return events[0] ?? null; // none: the line was skipped and counted
    });
    expect(actual).toEqual(expected);
  });
}
