import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BinanceStreamClient, NORMALIZED_CSV_HEADER } from '../../../feeds/index.js';
import type { LiveFeedItem } from '../../../feeds/index.js';
import { BIN, cli, ROOT, SAMPLES, tempDir } from '../../../test/cli-harness.js';
import { freePort } from '../../../test/free-port.js';

const SPOT = join(SAMPLES, 'spot_btcusdt_20240808.gz');
const SPOT_EVENTS = 37_797; // trades and bookTickers of the sample (the file readers' count)
const FAST = { initialMs: 20, maxMs: 100, factor: 2, jitter: 0, resetAfterMs: 60_000 };

/** Reads a client until it has `count` events; closes it. */
async function readEvents(url: string, count: number, timeoutMs = 30_000): Promise<LiveFeedItem[]> {
  const client = new BinanceStreamClient({ url, backoff: FAST });
  const items: LiveFeedItem[] = [];
  const timer = setTimeout(() => void client.close(), timeoutMs);
  let events = 0;
  try {
    for await (const item of client) {
      items.push(item);
      if (item.type === 'event' && ++events === count) break;
    }
  } finally {
    clearTimeout(timer);
    await client.close();
  }
  return items;
}

describe('serve-feed', () => {
  it('serves the sample to --max-clients 1 client, prints the URLs and a line when done', async () => {
    const port = await freePort();
    const base = `ws://127.0.0.1:${port}`;
    const url = `${base}/stream?streams=btcusdt@trade/btcusdt@bookTicker`;
    // The client retries until the command listens.
    const [result, items] = await Promise.all([
      cli(['serve-feed', SPOT, '--port', String(port), '--speed', 'max', '--max-clients', '1']),
      readEvents(url, SPOT_EVENTS),
    ]);
    expect(items.filter((item) => item.type === 'event')).toHaveLength(SPOT_EVENTS);
    expect(items.filter((item) => item.type === 'gap' || item.type === 'bad-message')).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `serving ${SPOT} at as fast as clients read on ${base}`,
      `  combined: ${url}`,
      `  raw:      ${base}/ws/btcusdt@trade`,
      'exits once 1 client has been served (or Ctrl-C).',
    ]);
    expect(lines).toContain('client 1 connected: /stream?streams=btcusdt@trade/btcusdt@bookTicker');
    expect(
      lines.some((l) =>
        /^client 1: replay done, 37,797 events as 37,797 messages in \d+\.\d s$/.test(l),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toBe('stopped: 1 client served');
  }, 60_000);

  it('exits 2 with a code for bad options, a missing file and a port in use', async () => {
    const speed = await cli(['serve-feed', SPOT, '--speed', '0']);
    expect(speed.code).toBe(2);
    expect(speed.stderr).toMatch(/--speed: 0 is outside .*\[E_USAGE\]/);
    const missing = await cli(['serve-feed', 'nope.gz']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.gz.*\[E_FEED_NOT_FOUND\]/);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const busy = await cli(['serve-feed', SPOT, '--port', String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(
        `strategy-canary: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port} [E_LISTEN]\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('stops cleanly on Ctrl-C (SIGINT) in a real process', async () => {
    const file = join(tempDir(), 'trades.csv');
    writeFileSync(
      file,
      `${NORMALIZED_CSV_HEADER}\n${Array.from(
        { length: 10 },
        (_, i) =>
          `${1723161255000000 + i * 1000},binance,BTCUSDT,trade,buy,61837.63,0.02,,,,,${i + 1}`,
      ).join('\n')}\n`,
    );
    const child = spawn(process.execPath, [BIN, 'serve-feed', file, '--speed', 'max'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /combined: (\S+)/.exec(stdout);
          if (match !== null) resolve(match[1]!);
        });
        void exited.then(() => reject(new Error(`exited early: ${stdout}${stderr}`)));
      });
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/stream\?streams=btcusdt@trade$/);
      const items = await readEvents(url, 10);
      expect(items.filter((item) => item.type === 'event')).toHaveLength(10);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
    }
    expect(stderr).toBe('');
    expect(stdout).toContain('client 1: replay done, 10 events as 10 messages');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('stopped: 1 client served');
  }, 60_000);
});
