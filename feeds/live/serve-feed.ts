import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { CanaryError, UsageError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/market-event.js';
import type { FeedOptions } from '../feed-source.js';
import { mergeFeeds } from '../merge-feeds.js';
import { openFeed } from '../open-feed.js';
import type { BinanceStreamRequest } from './binance-streams.js';
import { binanceStreamName, parseBinanceStreamPath } from './binance-streams.js';
import { BinanceWireEncoder } from './binance-wire-encoder.js';

/** Options of {@link serveFeed}; only `files` is required. */
export interface ServeFeedOptions {
  /** Capture files in any format `openFeed` reads; several replay merged by event time. */
  readonly files: readonly string[];
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** Event-time pace: 1 (default) real time, 10 ten times faster, `max` as fast as the client reads. */
  readonly speed?: number | 'max';
  /** How the files are read (format, bad lines, symbol). */
  readonly feedOptions?: FeedOptions;
  /** Replay the files again from the start when they end, until the client leaves. */
  readonly loop?: boolean;
  /** Serve this many clients, refuse any more, and resolve `done` once they are all served. */
  readonly maxClients?: number;
  /** Ping each client this often, as Binance does (default 20 000 ms; 0: never). */
  readonly pingIntervalMs?: number;
  /** What happens, for a command line to print. */
  readonly onEvent?: (event: FeedServerEvent) => void;
}

/** Something that happened on a {@link FeedServer}; `client` numbers connections from 1. */
export type FeedServerEvent =
  | {
      readonly type: 'connected';
      readonly client: number;
      readonly path: string;
      readonly streams: readonly string[];
    }
  | { readonly type: 'rejected'; readonly path: string; readonly reason: string }
  | {
      readonly type: 'replayed';
      readonly client: number;
      /** 1 for the first pass over the files, 2… with `loop`. */
      readonly round: number;
      readonly events: number;
      /** Bad lines skipped in this pass (`feedOptions.onBadLine: 'skip'`; 0 otherwise). */
      readonly badLines: number;
      /** Messages sent so far to this client. */
      readonly messages: number;
      readonly elapsedMs: number;
    }
  | { readonly type: 'disconnected'; readonly client: number; readonly messages: number }
  | { readonly type: 'failed'; readonly client: number; readonly error: Error };

/** A running {@link serveFeed} server. */
export interface FeedServer {
  readonly host: string;
  /** The port listened on (the one picked when 0 was asked). */
  readonly port: number;
  /** `ws://host:port`, to which a path is added: `/stream?streams=…` or `/ws/<stream>`. */
  readonly url: string;
  /** The streams the files carry, from their first events (`btcusdt@trade`, `btcusdt@bookTicker`). */
  readonly streams: readonly string[];
  /**
   * Resolves once `maxClients` clients have been served (their replay ended, they left, or it
   * failed: see the `onEvent` events), and when the server is closed.
   */
  readonly done: Promise<void>;
  /** Closes every connection (code 1001) and stops listening. */
  close(): Promise<void>;
}

/** Above this many bytes waiting in a client's socket, sending waits for it to drain. */
const HIGH_WATER_BYTES = 256 * 1024;
const DEFAULT_PING_INTERVAL_MS = 20_000;
/** How long `close()` lets clients answer the close frame before dropping them, ms. */
const CLOSE_TIMEOUT_MS = 1000;

/**
 * Replays capture files over a local websocket in Binance's wire format, like a Binance stream
 * endpoint (or tardis-machine for its data): each client connecting on `/stream?streams=…`
 * (combined, `{"stream","data"}`) or `/ws/<stream>` (bare payloads) gets its own replay of the
 * merged files from the start, only on the streams it asked for, paced by event time. After the
 * last event the connection stays open (a quiet market) unless `loop`. Throws `FeedError` when a
 * file cannot be opened, `CanaryError` `E_LISTEN` when the port cannot be listened on.
 *
 * @example
 * const server = await serveFeed({ files: ['feeds/samples/spot_btcusdt_20240808.gz'], speed: 'max' });
 * const client = new BinanceStreamClient({ url: `${server.url}/stream?streams=btcusdt@trade` });
 */
export async function serveFeed(options: ServeFeedOptions): Promise<FeedServer> {
  const settings = checkOptions(options);
  const streams = await streamsOf(options.files, options.feedOptions ?? {});
  const wss = await listen(settings.host, settings.port);
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const hostInUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const onEvent = options.onEvent ?? ((): void => undefined);
  const aborter = new AbortController();
  let clients = 0;
  let served = 0;
  let closing: Promise<void> | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finished = (): void => {
    served++;
    if (settings.maxClients !== null && served >= settings.maxClients) resolveDone();
  };

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    if (closing !== null) return ws.close(1001, 'server closing');
    const path = request.url ?? '/';
    const wanted = parseBinanceStreamPath(path);
    let reason: string | null = null;
    if (wanted === null)
      reason = 'unknown path: use /stream?streams=<a>/<b> or /ws/<stream> (e.g. btcusdt@trade)';
    else if (settings.maxClients !== null && clients >= settings.maxClients)
      reason = `no more clients (--max-clients ${settings.maxClients})`;
    if (wanted === null || reason !== null) {
      ws.close(wanted === null ? 1008 : 1013, reason ?? '');
      onEvent({ type: 'rejected', path, reason: reason ?? '' });
      return;
    }
    const client = ++clients;
    onEvent({ type: 'connected', client, path, streams: wanted.streams });
    const replay = new Replay(ws, wanted, client, options, settings, aborter.signal, onEvent);
    void replay.run().then(finished);
  });

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      aborter.abort();
      await Promise.all(
        [...wss.clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const kill = setTimeout(() => ws.terminate(), CLOSE_TIMEOUT_MS);
              ws.once('close', () => {
                clearTimeout(kill);
                resolve();
              });
              ws.close(1001, 'server closing');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      resolveDone();
    })());

  return {
    host: settings.host,
    port,
    url: `ws://${hostInUrl}:${port}`,
    streams,
    done,
    close,
  };
}

interface Settings {
  readonly host: string;
  readonly port: number;
  readonly speed: number | 'max';
  readonly maxClients: number | null;
  readonly pingIntervalMs: number;
}

function checkOptions(options: ServeFeedOptions): Settings {
  if (options.files.length === 0) throw new UsageError('serveFeed: no files to serve');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`port must be a whole number in 0–65535, got ${port}`);
  const speed = options.speed ?? 1;
  if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0))
    throw new UsageError(`speed must be a number > 0 or 'max', got ${String(speed)}`);
  const maxClients = options.maxClients ?? null;
  if (maxClients !== null && !(Number.isSafeInteger(maxClients) && maxClients >= 1))
    throw new UsageError(`maxClients must be a whole number >= 1, got ${maxClients}`);
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  if (!(Number.isFinite(pingIntervalMs) && pingIntervalMs >= 0))
    throw new UsageError(`pingIntervalMs must be a number >= 0, got ${pingIntervalMs}`);
  return { host: options.host ?? '127.0.0.1', port, speed, maxClients, pingIntervalMs };
}

/** Stream names of the events in the first batch of each file; opens (hence checks) every file. */
async function streamsOf(files: readonly string[], feedOptions: FeedOptions): Promise<string[]> {
  const names = new Set<string>();
  for (const file of files) {
    const source = await openFeed(file, feedOptions);
    for await (const batch of source.batches()) {
      for (const event of batch)
        names.add(binanceStreamName(event.symbol, event.type === 'trade' ? 'trade' : 'bookTicker'));
      break;
    }
  }
  return [...names].sort(byStreamOrder);
}

/** Symbol order, then trade before bookTicker. */
function byStreamOrder(a: string, b: string): number {
  const [sa = '', ta = ''] = a.split('@');
  const [sb = '', tb = ''] = b.split('@');
  return sa === sb ? (ta === 'trade' ? -1 : tb === 'trade' ? 1 : 0) : sa < sb ? -1 : 1;
}

function listen(host: string, port: number): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host, port });
    const onError = (error: Error): void => {
      wss.close();
      reject(new CanaryError('E_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`));
    };
    wss.once('error', onError);
    wss.once('listening', () => {
      wss.off('error', onError);
      resolve(wss);
    });
  });
}

/** One client's replay. */
class Replay {
  readonly #ws: WebSocket;
  readonly #encoder: BinanceWireEncoder;
  readonly #client: number;
  readonly #options: ServeFeedOptions;
  readonly #settings: Settings;
  readonly #onEvent: (event: FeedServerEvent) => void;
  readonly #stop = new AbortController();
  #messages = 0;

  constructor(
    ws: WebSocket,
    request: BinanceStreamRequest,
    client: number,
    options: ServeFeedOptions,
    settings: Settings,
    serverClosing: AbortSignal,
    onEvent: (event: FeedServerEvent) => void,
  ) {
    this.#ws = ws;
    this.#encoder = new BinanceWireEncoder(request);
    this.#client = client;
    this.#options = options;
    this.#settings = settings;
    this.#onEvent = onEvent;
    const stop = (): void => this.#stop.abort();
    serverClosing.addEventListener('abort', stop, { once: true });
    ws.on('error', () => undefined); // a reset connection ends with 'close' anyway
    ws.once('close', () => {
      stop();
      serverClosing.removeEventListener('abort', stop);
      onEvent({ type: 'disconnected', client, messages: this.#messages });
    });
    if (settings.pingIntervalMs > 0) {
      const ping = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.ping();
      }, settings.pingIntervalMs);
      ws.once('close', () => clearInterval(ping));
    }
  }

  /** Resolves when the replay is over: ended, the client left, the server closed, or it failed. */
  async run(): Promise<void> {
    const signal = this.#stop.signal;
    try {
      let round = 0;
      do {
        round++;
        const started = performance.now();
        const { events, badLines } = await this.#round(signal);
        if (signal.aborted) return;
        this.#onEvent({
          type: 'replayed',
          client: this.#client,
          round,
          events,
          badLines,
          messages: this.#messages,
          elapsedMs: performance.now() - started,
        });
      } while (this.#options.loop === true);
    } catch (error) {
      if (signal.aborted) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#onEvent({ type: 'failed', client: this.#client, error: failure });
      this.#ws.close(1011, closeReason(failure.message));
    }
  }

  /** One pass over the files: the events replayed (0 when stopped early) and the bad lines skipped. */
  async #round(signal: AbortSignal): Promise<{ events: number; badLines: number }> {
    const sources = await Promise.all(
      this.#options.files.map((file) => openFeed(file, this.#options.feedOptions ?? {})),
    );
    const speed = this.#settings.speed;
    const startMs = performance.now();
    let firstUs = -1;
    let events = 0;
    const stopped = { events: 0, badLines: 0 };
    for await (const batch of mergeFeeds(sources)) {
      for (const event of batch) {
        if (signal.aborted) return stopped;
        if (speed !== 'max') {
          if (firstUs < 0) firstUs = event.tsUs;
          const waitMs = startMs + (event.tsUs - firstUs) / 1000 / speed - performance.now();
          if (waitMs >= 1 && !(await pause(waitMs, signal))) return stopped;
        }
        if (!(await this.#send(event, signal))) return stopped;
        events++;
      }
    }
    return { events, badLines: sources.reduce((sum, source) => sum + source.stats.badLines, 0) };
  }

  /** Sends the event's frames; false when the replay must stop. */
  async #send(event: MarketEvent, signal: AbortSignal): Promise<boolean> {
    const ws = this.#ws;
    for (const frame of this.#encoder.encode(event)) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      if (ws.bufferedAmount < HIGH_WATER_BYTES) {
        ws.send(frame);
      } else {
        // Backpressure: wait until this frame, hence everything before it, is handed to the OS.
        const sent = new Promise<void>((resolve) => ws.send(frame, () => resolve()));
        if (!(await until(sent, signal))) return false;
      }
      this.#messages++;
    }
    return true;
  }
}

/** Sleeps `ms`; false when stopped first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Waits for `promise`; false when stopped first. */
function until(promise: Promise<void>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const stop = (): void => resolve(false);
    signal.addEventListener('abort', stop, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', stop);
      resolve(true);
    });
  });
}

/** A close reason fits in 123 bytes. */
function closeReason(message: string): string {
  if (Buffer.byteLength(message) <= 123) return message;
  let cut = message.slice(0, 120);
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
  return `${cut}…`;
}
