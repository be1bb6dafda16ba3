import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { UsageError } from '../../src/core/errors.js';
import { freePort } from '../../test/free-port.js';
import { NORMALIZED_CSV_HEADER } from '../normalized-csv-format.js';
import { BinanceStreamClient } from './binance-stream-client.js';
import type { LiveFeedItem, LiveStatusItem } from './live-feed-item.js';
import type { FeedServer } from './serve-feed.js';
import { serveFeed } from './serve-feed.js';
import {
  collectItems,
  describe as describeItems,
  eventsOf,
  fileEvents,
  withoutLocalTime,
} from './test-support/collect.js';

const SPOT = 'feeds/samples/spot_btcusdt_20240808.gz';
const FAST = { initialMs: 20, maxMs: 100, factor: 2, jitter: 0, resetAfterMs: 60_000 };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A websocket server on a free loopback port that runs `onConnection` for each client. */
async function fakeServer(
  onConnection: (ws: WebSocket) => void,
  options: ServerOptions = {},
  port = 0,
): Promise<{ port: number; url: string; wss: WebSocketServer; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, ...options });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', onConnection);
  const actual = (wss.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    }));
  cleanups.push(close);
  return { port: actual, url: `ws://127.0.0.1:${actual}`, wss, close };
}

async function serve(options: Parameters<typeof serveFeed>[0]): Promise<FeedServer> {
  const server = await serveFeed(options);
  cleanups.push(() => server.close());
  return server;
}

function client(
  options: ConstructorParameters<typeof BinanceStreamClient>[0],
): BinanceStreamClient {
  const c = new BinanceStreamClient(options);
  cleanups.push(() => c.close());
  return c;
}

function normalizedFile(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sc-live-')), 'feed.csv');
  writeFileSync(path, `${NORMALIZED_CSV_HEADER}\n${lines.join('\n')}\n`);
  return path;
}

/** `n` BTCUSDT trades 1 ms apart with ids 1..n. */
function tradesFile(n: number): string {
  return normalizedFile(
    Array.from(
      { length: n },
      (_, i) =>
        `${1723161255000000 + i * 1000},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`,
    ),
  );
}

const statuses = (items: readonly LiveFeedItem[]): LiveStatusItem[] =>
  items.filter((item): item is LiveStatusItem => item.type === 'status');

const trade = (t: number): string =>
  `{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":${t},"p":"61837.63","q":"0.02","T":1723161255342,"m":true,"M":true}}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waiting for a condition: generous, so a busy machine only makes the test slower. */
const POLL = { timeout: 30_000, interval: 10 };

describe('BinanceStreamClient', () => {
  it('yields events with the injected clock’s time, gaps and bad messages, and answers pings', async () => {
    let pongs = 0;
    const server = await fakeServer((ws) => {
      ws.on('pong', () => pongs++);
      ws.ping();
      for (const t of [1, 2, 5]) ws.send(trade(t));
      ws.send('not json');
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(trade(6));
    });
    let now = 1_000_000;
    const c = client({
      url: `${server.url}/stream?streams=btcusdt@trade`,
      clock: () => (now += 10),
    });
    const items = await collectItems(c, (_, events) => events === 4);
    const kinds = items.map((item) => (item.type === 'status' ? item.status : item.type));
    expect(kinds).toEqual([
      'connecting',
      'open',
      'event',
      'event',
      'gap',
      'event',
      'bad-message',
      'bad-message',
      'event',
    ]);
    expect(items[4]).toMatchObject({
      type: 'gap',
      kind: 'trade-id',
      symbol: 'BTCUSDT',
      stream: 'btcusdt@trade',
      expected: 3,
      received: 5,
    });
    expect(items[6]).toMatchObject({
      code: 'E_FEED_MALFORMED_LINE',
      message: `${server.url}/stream?streams=btcusdt@trade:4: -: not valid JSON`,
      total: 1,
    });
    expect(items[7]).toMatchObject({ total: 2 });
    const events = eventsOf(items);
    expect(events.map((e) => (e.type === 'trade' ? e.id : null))).toEqual(['1', '2', '5', '6']);
    // Each message read the clock once, after the two status items did.
    expect(events.map((e) => e.tsUs)).toEqual([1_000_030, 1_000_040, 1_000_050, 1_000_080]);
    await expect.poll(() => pongs, POLL).toBe(1); // the pong reaches the server when it does
    expect(c.stats).toMatchObject({
      messages: 6,
      events: 4,
      badMessages: 2,
      gaps: 1,
      connections: 1,
    });
  });

  it('pings, and drops and reconnects a connection silent for silenceMs', async () => {
    let connections = 0;
    let pings = 0;
    // autoPong off: the server neither sends nor answers pings, like a dead link.
    const server = await fakeServer(
      (ws) => {
        connections++;
        ws.on('ping', () => pings++);
      },
      { autoPong: false },
    );
    const c = client({
      url: `${server.url}/ws/btcusdt@trade`,
      silenceMs: 200,
      backoff: FAST,
    });
    const items = await collectItems(
      c,
      (item) => item.type === 'status' && item.status === 'open' && item.attempt === 2,
    );
    const seen = statuses(items);
    expect(seen.map((s) => `${s.status}${s.attempt}`)).toEqual([
      'connecting0',
      'open0',
      'reconnecting1',
      'connecting1',
      'open1',
      'reconnecting2',
      'connecting2',
      'open2',
    ]);
    expect(seen[2]).toMatchObject({ reason: 'no message, ping or pong for 200 ms', delayMs: 20 });
    // Never dropped early (a busy machine only makes it later, so there is no upper bound: the
    // server never closes, so reaching attempt 2 at all shows the silence was what dropped it).
    const silentForMs = (seen[2]!.atUs - seen[1]!.atUs) / 1000;
    expect(silentForMs).toBeGreaterThanOrEqual(180);
    expect(connections).toBe(3);
    // Pings every silenceMs / 2 (the third connection, still open, keeps pinging until dropped).
    await expect.poll(() => pings, POLL).toBeGreaterThanOrEqual(2);
  });

  it('keeps a quiet connection that answers its pings', async () => {
    let pings = 0;
    // Sends nothing, answers pings (ws's default).
    const server = await fakeServer((ws) => ws.on('ping', () => pings++));
    // silenceMs leaves a stalled event loop half a second to read each pong in time.
    const c = client({ url: `${server.url}/ws/btcusdt@trade`, silenceMs: 1000, backoff: FAST });
    c.connect();
    // Pings every 500 ms: wait for 5 (quiet for over 2 × silenceMs), however long that takes.
    await expect.poll(() => pings, POLL).toBeGreaterThanOrEqual(5);
    expect(c.buffered).toBe(2); // connecting, open: nothing else
    expect(c.stats).toMatchObject({ connections: 1, reconnects: 0 });
  });

  it('backs off exponentially between failed attempts (injected random)', async () => {
    const port = await freePort();
    const c = client({
      url: `ws://127.0.0.1:${port}/ws/btcusdt@trade`,
      backoff: { initialMs: 10, maxMs: 60, factor: 2, jitter: 0.5 },
      random: () => 0.5,
    });
    const items = await collectItems(
      c,
      (item) => item.type === 'status' && item.status === 'reconnecting' && item.attempt === 5,
    );
    const reconnecting = statuses(items).filter((s) => s.status === 'reconnecting');
    // cap 10, 20, 40, 60, 60 ms; equal jitter with random 0.5 takes a quarter off
    expect(reconnecting.map((s) => [s.attempt, s.delayMs])).toEqual([
      [1, 8],
      [2, 15],
      [3, 30],
      [4, 45],
      [5, 45],
    ]);
    expect(reconnecting[0]!.reason).toMatch(/ECONNREFUSED/);
    // None of those attempts ever connected: nothing was lost.
    expect(reconnecting.map((s) => s.opened)).toEqual([false, false, false, false, false]);
    expect(c.stats.connections).toBe(0);
  });

  it('reconnects when the server restarts on the same port and reports the replay’s restart as a gap', async () => {
    const file = tradesFile(20);
    const first = await serve({ files: [file], speed: 'max' });
    const c = client({ url: `${first.url}/ws/btcusdt@trade`, backoff: FAST });
    const items: LiveFeedItem[] = [];
    let restarted = false;
    for await (const item of c) {
      items.push(item);
      if (!restarted && eventsOf(items).length === 20) {
        restarted = true;
        await first.close();
        await serve({ files: [file], speed: 'max', port: first.port });
      }
      if (eventsOf(items).length === 40) break;
    }
    const kinds = statuses(items).map((s) => s.status);
    expect(kinds.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
    expect(kinds.at(-1)).toBe('open');
    expect(statuses(items).find((s) => s.status === 'reconnecting')).toMatchObject({
      reason: 'closed by the server (code 1001: server closing)',
      opened: true,
    });
    const gaps = items.filter((item) => item.type === 'gap');
    expect(gaps).toEqual([
      expect.objectContaining({ kind: 'trade-id', expected: 21, received: 1 }),
    ]);
    expect(c.stats.connections).toBe(2);
  }, 30_000);

  it('bounds the buffer for a slow consumer: pauses reading, drops the oldest events, counts them', async () => {
    const expected = await fileEvents([SPOT]);
    const server = await serve({ files: [SPOT], speed: 'max' });
    let dropCalls = 0;
    const c = client({
      url: `${server.url}/stream?streams=${server.streams.join('/')}`,
      bufferLimit: 10,
      onDrop: () => dropCalls++,
    });
    c.connect();
    let maxBuffered = 0;
    // The consumer does not read until the client has paused reading the socket.
    await expect
      .poll(() => {
        maxBuffered = Math.max(maxBuffered, c.buffered);
        return c.paused;
      }, POLL)
      .toBe(true);
    let dropNotices = 0;
    let droppedEvents = 0;
    const items = await collectItems(
      c,
      (item, events) => {
        maxBuffered = Math.max(maxBuffered, c.buffered);
        if (item.type === 'dropped') {
          dropNotices += item.count;
          droppedEvents = item.total;
        }
        return events + droppedEvents >= expected.length;
      },
      60_000,
    );
    expect(maxBuffered).toBeLessThanOrEqual(10);
    expect(c.stats.dropped).toBeGreaterThan(0);
    const events = eventsOf(items);
    expect(
      items.filter(
        (item) => item.type !== 'event' && item.type !== 'dropped' && item.type !== 'status',
      ),
      describeItems(items),
    ).toEqual([]);
    expect(dropNotices).toBe(c.stats.dropped);
    expect(dropCalls).toBe(c.stats.dropped);
    expect(events.length + c.stats.dropped).toBe(expected.length);
    // What was delivered is the file's events in order, some left out.
    let j = 0;
    for (const event of events) {
      const want = withoutLocalTime(event);
      while (j < expected.length && !sameEvent(want, withoutLocalTime(expected[j]!))) j++;
      expect(j).toBeLessThan(expected.length);
      j++;
    }
  }, 90_000);

  it('close() stops reconnecting and ends the iteration with a closed status', async () => {
    const port = await freePort();
    // A reconnect delay far beyond the test's timeout: had close() waited for it, the test would
    // time out (no measure of how fast close() is, which a busy machine would break).
    const c = client({
      url: `ws://127.0.0.1:${port}/ws/btcusdt@trade`,
      backoff: { ...FAST, initialMs: 3_600_000, maxMs: 3_600_000 },
    });
    const items: LiveFeedItem[] = [];
    const reading = (async () => {
      for await (const item of c) items.push(item);
    })();
    while (!items.some((item) => item.type === 'status' && item.status === 'reconnecting'))
      await sleep(10);
    await c.close();
    await reading;
    expect(statuses(items).map((s) => s.status)).toEqual(['connecting', 'reconnecting', 'closed']);
  });

  it('closes an open connection with code 1000', async () => {
    let closeCode = 0;
    const server = await fakeServer((ws) => {
      ws.on('close', (code) => (closeCode = code));
      ws.send(trade(1));
    });
    const c = client({ url: `${server.url}/ws/btcusdt@trade` });
    const items = await collectItems(c, (_, events) => events === 1);
    expect(items.at(-1)).toMatchObject({ type: 'event' });
    await expect.poll(() => closeCode, POLL).toBe(1000);
  });

  it('is an Observable too: unsubscribing closes the client', async () => {
    const server = await serve({ files: [tradesFile(5)], speed: 'max' });
    const c = client({ url: `${server.url}/ws/btcusdt@trade` });
    const items = await firstValueFrom(c.observe().pipe(take(7), toArray()));
    expect(items.map((item) => item.type)).toEqual([
      'status',
      'status',
      'event',
      'event',
      'event',
      'event',
      'event',
    ]);
    await c.close();
    expect(c.stats.connections).toBe(1);
  });

  it('refuses a URL that is not ws:// or wss://', () => {
    expect(() => new BinanceStreamClient({ url: 'http://127.0.0.1/ws/x' })).toThrow(UsageError);
    expect(() => new BinanceStreamClient({ url: 'nonsense' })).toThrow(UsageError);
    expect(() => new BinanceStreamClient({ url: 'ws://x/ws/a', bufferLimit: 0 })).toThrow(
      UsageError,
    );
  });
});

function sameEvent(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
