import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MarketEvent } from '../../src/core/market-event.js';
import { plainMarketEvent } from '../buffer-events.js';
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
