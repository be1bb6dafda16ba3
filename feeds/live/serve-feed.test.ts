import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CanaryError, FeedError } from '../../src/core/errors.js';
import { NORMALIZED_CSV_HEADER } from '../normalized-csv-format.js';
import { BinanceStreamClient } from './binance-stream-client.js';
import type { FeedServer, FeedServerEvent } from './serve-feed.js';
import { serveFeed } from './serve-feed.js';
import {
  collectItems,
  describe as describeItems,
  eventsOf,
  fileEvents,
  withoutLocalTime,
} from './test-support/collect.js';

const SPOT = 'feeds/samples/spot_btcusdt_20240808.gz';
const USDM = 'feeds/samples/usdm_btcusdt_20240808.gz';

const servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Parameters<typeof serveFeed>[0]): Promise<FeedServer> {
  const server = await serveFeed(options);
  servers.push(server);
  return server;
}

/** Raw messages a plain ws client receives until `count` arrived. */
function rawMessages(url: string, count: number, timeoutMs = 10_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: string[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`timed out with ${messages.length} messages`));
    }, timeoutMs);
    ws.on('message', (data: Buffer) => {
      messages.push(data.toString());
      if (messages.length === count) {
        clearTimeout(timer);
        ws.close();
        resolve(messages);
      }
    });
    ws.on('error', reject);
  });
}

/** Close code and reason of a connection the server closes, and the messages it sent before. */
function closeOf(url: string): Promise<{ code: number; reason: string; messages: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let messages = 0;
    ws.on('message', () => messages++);
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), messages }));
    ws.on('error', reject);
  });
}

function normalizedFile(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sc-serve-')), 'feed.csv');
  writeFileSync(path, `${NORMALIZED_CSV_HEADER}\n${lines.join('\n')}\n`);
  return path;
}

describe('serveFeed → BinanceStreamClient round trip', () => {
  it.each([
    ['spot', SPOT],
    ['USD-M futures', USDM],
  ])(
    'gives the file reader’s events for the %s sample at speed max (local time aside)',
    async (_, file) => {
      const expected = await fileEvents([file]);
      const server = await serve({ files: [file], speed: 'max' });
      expect(server.streams).toEqual(['btcusdt@trade', 'btcusdt@bookTicker']);
      const client = new BinanceStreamClient({
        url: `${server.url}/stream?streams=${server.streams.join('/')}`,
      });
      const items = await collectItems(client, (_, events) => events >= expected.length, 60_000);
      const events = eventsOf(items);
      expect(events.map(withoutLocalTime)).toEqual(expected.map(withoutLocalTime));
      const gaps = items.filter((item) => item.type === 'gap');
      expect(gaps, describeItems(items)).toEqual([]); // the samples' trade ids have no holes
      expect(items.filter((item) => item.type === 'bad-message')).toEqual([]);
      expect(client.stats.events).toBe(expected.length);
      // Local receive times never go back.
      for (let i = 1; i < events.length; i++)
        expect(events[i]!.tsUs).toBeGreaterThanOrEqual(events[i - 1]!.tsUs);
    },
  );

  it('sends only the streams asked for, bare on /ws/<stream>', async () => {
    const expected = (await fileEvents([SPOT])).filter((event) => event.type === 'trade');
    const server = await serve({ files: [SPOT], speed: 'max' });
    const messages = await rawMessages(`${server.url}/ws/btcusdt@trade`, 50);
    expect(messages[0]).toMatch(/^\{"e":"trade","E":\d+,"s":"BTCUSDT","t":\d+,"p":"/);
    const first = JSON.parse(messages[0]!) as Record<string, unknown>;
    const trade = expected[0]!;
    expect(first).toEqual({
      e: 'trade',
      E: trade.exchangeTsUs! / 1000,
      s: 'BTCUSDT',
      t: Number(trade.id),
      p: trade.price,
      q: trade.size,
      T: trade.exchangeTsUs! / 1000,
      m: trade.side === 'sell',
      M: true,
    });
    expect(messages.every((m) => m.startsWith('{"e":"trade"'))).toBe(true);
  });

  it('wraps combined streams and writes aggTrades and USD-M bookTickers in Binance’s shapes', async () => {
    const server = await serve({ files: [USDM], speed: 'max' });
    const messages = await rawMessages(
      `${server.url}/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker`,
      200,
    );
    const parsed = messages.map((m) => JSON.parse(m) as { stream: string; data: object });
    expect(new Set(parsed.map((m) => m.stream))).toEqual(
      new Set(['btcusdt@aggTrade', 'btcusdt@bookTicker']),
    );
    const book = parsed.find((m) => m.stream === 'btcusdt@bookTicker')!.data;
    expect(Object.keys(book)).toEqual(['e', 'u', 's', 'b', 'B', 'a', 'A', 'T', 'E']);
    const agg = parsed.find((m) => m.stream === 'btcusdt@aggTrade')!.data;
    expect(Object.keys(agg)).toEqual(['e', 'E', 'a', 's', 'p', 'q', 'f', 'l', 'T', 'm']);
  });

  it('numbers trades without ids and bookTicker updates per symbol', async () => {
    const file = normalizedFile([
      '1723161255000000,binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,',
      '1723161255001000,binance,BTCUSDT,quote,,,,61837.63,3.5,61837.64,1.5,',
      '1723161255002000,binance,ETHUSDT,trade,sell,2600.10,1.5,,,,,x-7',
      '1723161255003000,binance,BTCUSDT,trade,sell,61837.62,0.01,,,,,',
      '1723161255004000,binance,BTCUSDT,quote,,,,61837.62,3.5,61837.64,1.5,',
    ]);
    const server = await serve({ files: [file], speed: 'max' });
    expect(server.streams).toEqual(['btcusdt@trade', 'btcusdt@bookTicker', 'ethusdt@trade']);
    const messages = await rawMessages(
      `${server.url}/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@trade`,
      5,
    );
    const data = messages.map((m) => (JSON.parse(m) as { data: Record<string, unknown> }).data);
    expect(data.map((d) => d['t'] ?? d['u'])).toEqual([1, 1, 1, 2, 2]);
    expect(data[2]).toMatchObject({ s: 'ETHUSDT', m: true, p: '2600.10', q: '1.5' });
  });
});

describe('serveFeed pacing and clients', () => {
  it('paces by event time: 100 s of events at speed 1000 take at least 100 ms', async () => {
    // 11 trades 10 s apart in event time: due 0, 10, ..., 100 ms into the replay at speed 1000.
    const lines = Array.from(
      { length: 11 },
      (_, i) =>
        `${1723161255000000 + i * 10_000_000},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`,
    );
    const server = await serve({ files: [normalizedFile(lines)], speed: 1000 });
    // Before the connection exists, so before the server's replay (and its clock) starts.
    const requestedAt = performance.now();
    const arrivals = await new Promise<number[]>((resolve, reject) => {
      const ws = new WebSocket(`${server.url}/ws/btcusdt@trade`);
      const at: number[] = [];
      // Unpaced (or paced at speed 1: 100 s) it would not finish in time; a busy machine would.
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`not paced at speed 1000: ${at.length} of 11 messages in 30 s`));
      }, 30_000);
      ws.on('message', () => {
        at.push(performance.now() - requestedAt);
        if (at.length === lines.length) {
          clearTimeout(timer);
          ws.close();
          resolve(at);
        }
      });
      ws.on('error', reject);
    });
    // Event i is never sent before 10·i ms into the replay (the server sends up to 1 ms early).
    // A stalled event loop only delays messages, so no upper bound on their timing is asserted.
    arrivals.forEach((ms, i) => expect(ms, `message ${i}`).toBeGreaterThanOrEqual(i * 10 - 1));
  });

  it('serves maxClients clients, refuses more, and is done once they are served', async () => {
    const events: FeedServerEvent[] = [];
    const file = normalizedFile(['1723161255000000,binance,BTCUSDT,trade,buy,1.5,2,,,,,1']);
    const server = await serve({
      files: [file],
      speed: 'max',
      maxClients: 1,
      onEvent: (event) => events.push(event),
    });
    expect(await rawMessages(`${server.url}/ws/btcusdt@trade`, 1)).toHaveLength(1);
    await server.done;
    expect(await closeOf(`${server.url}/ws/btcusdt@trade`)).toEqual({
      code: 1013,
      reason: 'no more clients (--max-clients 1)',
      messages: 0,
    });
    expect(events.map((e) => e.type)).toContain('replayed');
    expect(events.filter((e) => e.type === 'rejected')).toHaveLength(1);
  });

  it('closes a connection on an unknown path with 1008', async () => {
    const server = await serve({ files: [SPOT], speed: 'max' });
    const { code, reason } = await closeOf(`${server.url}/depth`);
    expect(code).toBe(1008);
    expect(reason).toMatch(/^unknown path/);
  });

  it('fails up front for a missing file and a port in use', async () => {
    await expect(serveFeed({ files: ['nope.gz'] })).rejects.toBeInstanceOf(FeedError);
    const first = await serve({ files: [SPOT], speed: 'max' });
    const error = await serveFeed({ files: [SPOT], port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CanaryError);
    expect(error).toMatchObject({ code: 'E_LISTEN' });
    expect((error as Error).message).toContain(`127.0.0.1:${first.port}`);
  });

  it('closes a client’s connection with 1011 when the file has a bad line', async () => {
    // Past the first read chunk (1 MiB), which serveFeed reads up front to find the streams.
    const good = Array.from(
      { length: 40_000 },
      (_, i) => `${1723161255000000 + i},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`,
    );
    const file = normalizedFile([...good, '1723161256000000,binance,BTCUSDT,trade,buy,abc,1,,,,,']);
    const events: FeedServerEvent[] = [];
    const server = await serve({ files: [file], speed: 'max', onEvent: (e) => events.push(e) });
    const { code, reason, messages } = await closeOf(`${server.url}/ws/btcusdt@trade`);
    expect(code).toBe(1011);
    expect(messages).toBe(good.length); // every line before the bad one, none lost with it

    expect(reason).toMatch(/feed\.csv:40002|…$/); // a close reason holds 123 bytes at most
    const failed = events.find((e) => e.type === 'failed');
    expect(failed).toMatchObject({ error: { code: 'E_FEED_BAD_FIELD' } });
    expect(failed?.type === 'failed' && failed.error.message).toMatch(
      /feed\.csv:40002: price: not a positive number \("abc"\)$/,
    );
  });
  it('with onBadLine skip, replays the good lines and counts the bad ones in its replayed event', async () => {
    const good = (i: number): string =>
      `${1723161255000000 + i},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`;
    const file = normalizedFile([
      good(0),
      '1723161255000001,binance,BTCUSDT,trade,buy,abc,1,,,,,',
      good(2),
    ]);
    const events: FeedServerEvent[] = [];
    const server = await serve({
      files: [file],
      speed: 'max',
      maxClients: 1,
      feedOptions: { onBadLine: 'skip' },
      onEvent: (e) => events.push(e),
    });
    expect(await rawMessages(`${server.url}/ws/btcusdt@trade`, 2)).toHaveLength(2);
    await server.done;
    expect(events.find((e) => e.type === 'replayed')).toMatchObject({ events: 2, badLines: 1 });
  });
});
