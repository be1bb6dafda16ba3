import { randomInt } from 'node:crypto';
import type { SchedulerLike, Subscription } from 'rxjs';
import { asyncScheduler, Observable, Subject } from 'rxjs';
import type { RawData } from 'ws';
import { WebSocket } from 'ws';
import { CanaryError, UsageError } from '../../src/core/errors.js';
import type { BackoffOptions } from '../../src/core/backoff.js';
import { backoffDelayMs, resolveBackoff } from '../../src/core/backoff.js';
import { GapDetector } from './gap-detector.js';
import { heartbeat } from './heartbeat.js';
import { LiveFeedBuffer } from './live-feed-buffer.js';
import type { LiveFeedItem, LiveStatusItem } from './live-feed-item.js';
import { LiveMessageParser } from './live-message-parser.js';

/** Options of {@link BinanceStreamClient}; only `url` is required. */
export interface BinanceStreamClientOptions {
  /** `ws://…/stream?streams=btcusdt@trade/btcusdt@bookTicker` or `ws://…/ws/btcusdt@trade`. */
  readonly url: string;
  /** Local receive time, integer µs since epoch (default: the wall clock, ms resolution). */
  readonly clock?: () => number;
  /**
   * Event time `tsUs` (default `local`): the local receive time from `clock`, or (`exchange`) the
   * message's exchange time as the file reader takes it with `time: 'exchange'`: `T`, else `E`; a
   * spot bookTicker gets the latest event time, or is skipped as `untimed` before the first timed
   * message. `exchange` makes a run over `serve-feed` match a replay of the same file.
   */
  readonly time?: 'local' | 'exchange';
  /** Uniform in [0, 1), for the backoff jitter (default: node:crypto). */
  readonly random?: () => number;
  /** Reconnect schedule; missing fields from {@link DEFAULT_BACKOFF}. */
  readonly backoff?: Partial<BackoffOptions>;
  /** A connection with no message, ping or pong for this long is dead; pings every half of it. Default 10 000 ms. */
  readonly silenceMs?: number;
  /** Most items kept waiting for the consumer; reading pauses at half of it. Default 10 000. */
  readonly bufferLimit?: number;
  /** Called with each item the full buffer drops (docs/feed-formats.md, "Live websocket feeds"). */
  readonly onDrop?: (item: LiveFeedItem) => void;
  /** Largest message accepted, bytes (default 16 MiB, as a file line). */
  readonly maxMessageBytes?: number;
  /** Timers (reconnect delays, pings, silence); default RxJS's `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Counters of a {@link BinanceStreamClient}, over all its connections. */
export interface LiveFeedStats {
  readonly messages: number;
  readonly events: number;
  readonly trades: number;
  readonly quotes: number;
  /** Messages without an event, by kind (`depthUpdate`, `other` for replies…). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly badMessages: number;
  readonly gaps: number;
  /** Items dropped because the consumer fell behind. */
  readonly dropped: number;
  /** Events whose time was clamped because it stepped back (the clock, or exchange times). */
  readonly outOfOrder: number;
  /** Connections opened. */
  readonly connections: number;
  readonly reconnects: number;
}

const DEFAULT_SILENCE_MS = 10_000;
const DEFAULT_BUFFER_LIMIT = 10_000;
const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long `close()` waits for the server's close frame before dropping the socket, ms. */
const CLOSE_TIMEOUT_MS = 1000;

type Waiter = (result: IteratorResult<LiveFeedItem>) => void;

/**
 * A Binance-compatible market-data stream (combined `/stream?streams=…` or raw `/ws/<stream>`;
 * `trade`, `aggTrade`, `bookTicker`, spot or USD-M futures) as {@link LiveFeedItem}s: the same
 * `MarketEvent`s as the file readers (`tsUs` = local receive time from `clock`, or the exchange
 * time with `time: 'exchange'`), gaps in the venue's ids, connection status, drops and bad
 * messages. Reconnects with exponential backoff and jitter, pings and detects silent connections,
 * and keeps at most `bufferLimit` items for a slow consumer. One consumer: iterate it once or
 * subscribe to {@link observe} once. Policies: docs/feed-formats.md, "Live websocket feeds".
 *
 * @example
 * const client = new BinanceStreamClient({ url: 'ws://127.0.0.1:9443/stream?streams=btcusdt@trade' });
 * for await (const item of client) if (item.type === 'event') engine.process(item.event);
 */
export class BinanceStreamClient implements AsyncIterable<LiveFeedItem> {
  readonly url: string;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #backoff: BackoffOptions;
  readonly #silenceMs: number;
  readonly #maxMessageBytes: number;
  readonly #scheduler: SchedulerLike;
  readonly #onDrop: ((item: LiveFeedItem) => void) | undefined;
  readonly #buffer: LiveFeedBuffer;
  readonly #pauseAt: number;
  readonly #resumeAt: number;
  readonly #parser: LiveMessageParser;
  readonly #gaps = new GapDetector();
  readonly #activity = new Subject<void>();

  #state: 'idle' | 'running' | 'closing' | 'closed' = 'idle';
  #ws: WebSocket | null = null;
  #attempt = 0;
  #openedAtMs: number | null = null;
  /** Why the current connection is being dropped by us (silence). */
  #dropReason: string | null = null;
  #lastError: string | null = null;
  #retry: Subscription | null = null;
  #heartbeat: Subscription | null = null;
  #paused = false;
  #finished = false;
  #consumed = false;
  #waiter: Waiter | null = null;
  #closed: Promise<void> | null = null;
  #resolveClosed: (() => void) | null = null;
  #gapCount = 0;
  #badMessages = 0;
  #connections = 0;
  #reconnects = 0;

  constructor(options: BinanceStreamClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new UsageError(`not a websocket URL: ${options.url}`);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
      throw new UsageError(`not a websocket URL (ws:// or wss://): ${options.url}`);
    this.url = options.url;
    this.#clock = options.clock ?? (() => Date.now() * 1000);
    this.#random = options.random ?? (() => randomInt(2 ** 47) / 2 ** 47);
    this.#backoff = resolveBackoff(options.backoff);
    this.#silenceMs = positive('silenceMs', options.silenceMs ?? DEFAULT_SILENCE_MS);
    const limit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new UsageError(`bufferLimit must be a whole number >= 1, got ${limit}`);
    this.#buffer = new LiveFeedBuffer(limit);
    this.#pauseAt = Math.max(1, Math.floor(limit / 2));
    this.#resumeAt = Math.floor(limit / 4);
    this.#maxMessageBytes = positive(
      'maxMessageBytes',
      options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    );
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#onDrop = options.onDrop;
    const time = options.time ?? 'local';
    if (time !== 'local' && time !== 'exchange')
      throw new UsageError(`time must be 'local' or 'exchange', got ${String(time)}`);
    this.#parser = new LiveMessageParser(options.url, time);
  }

  /** Counters so far (a snapshot). */
  get stats(): LiveFeedStats {
    const parsed = this.#parser.stats;
    return {
      messages: parsed.lines,
      events: parsed.events,
      trades: parsed.trades,
      quotes: parsed.quotes,
      skipped: { ...parsed.skipped },
      badMessages: this.#badMessages,
      gaps: this.#gapCount,
      dropped: this.#buffer.dropped,
      outOfOrder: parsed.outOfOrder,
      connections: this.#connections,
      reconnects: this.#reconnects,
    };
  }

  /** Items waiting for the consumer now (at most `bufferLimit`). */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Whether reading from the socket is paused because the consumer is behind. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Starts connecting (iterating or subscribing does it too); idempotent. */
  connect(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'running';
    this.#open();
  }

  /**
   * Stops for good: no more reconnects, the socket closed (dropped after 1 s without the server's
   * close frame). Items already waiting are still delivered, then a `closed` status ends the
   * iteration. Resolves once the socket is closed.
   */
  close(): Promise<void> {
    if (this.#closed !== null) return this.#closed;
    this.#closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));
    const ws = this.#ws;
    this.#retry?.unsubscribe();
    this.#retry = null;
    this.#stopHeartbeat();
    if (ws === null) {
      this.#finish('closed by the client');
    } else {
      this.#state = 'closing';
      ws.close(1000, 'client closed');
      const kill = this.#scheduler.schedule(() => ws.terminate(), CLOSE_TIMEOUT_MS);
      ws.once('close', () => kill.unsubscribe());
    }
    return this.#closed;
  }

  /** The items, pulled one at a time; leaving the loop closes the client. */
  [Symbol.asyncIterator](): AsyncIterator<LiveFeedItem> {
    if (this.#consumed) throw new Error('BinanceStreamClient has one consumer: iterate it once');
    this.#consumed = true;
    this.connect();
    return {
      next: () => {
        const item = this.#buffer.shift();
        if (item !== undefined) {
          if (this.#paused && this.#buffer.length <= this.#resumeAt) this.#resume();
          return Promise.resolve({ value: item, done: false });
        }
        if (this.#finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<LiveFeedItem>>((resolve) => (this.#waiter = resolve));
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * The items as an Observable that pulls them one at a time (a subscriber that handles items
   * synchronously keeps the buffer bounded); unsubscribing closes the client.
   */
  observe(): Observable<LiveFeedItem> {
    return new Observable<LiveFeedItem>((subscriber) => {
      const iterator = this[Symbol.asyncIterator]();
      let stopped = false;
      const pump = async (): Promise<void> => {
        for (;;) {
          const result = await iterator.next();
          if (stopped) return;
          if (result.done === true) return subscriber.complete();
          subscriber.next(result.value);
        }
      };
      pump().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopped = true;
        void this.close();
      };
    });
  }

  #open(): void {
    this.#emit(this.#status('connecting'));
    this.#dropReason = null;
    this.#lastError = null;
    const ws = new WebSocket(this.url, {
      maxPayload: this.#maxMessageBytes,
      handshakeTimeout: this.#silenceMs,
    });
    this.#ws = ws;
    let opened = false;
    ws.on('open', () => {
      if (ws !== this.#ws) return;
      opened = true;
      this.#openedAtMs = this.#scheduler.now();
      this.#connections++;
      this.#emit(this.#status('open'));
      if (this.#paused) ws.pause();
      else this.#startHeartbeat(ws);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws === this.#ws) this.#onMessage(data, isBinary);
    });
    ws.on('ping', () => this.#activity.next());
    ws.on('pong', () => this.#activity.next());
    ws.on('error', (error: Error) => {
      if (ws === this.#ws) this.#lastError = error.message;
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (ws !== this.#ws) return;
      this.#ws = null;
      this.#stopHeartbeat();
      const text = reason.toString();
      const why =
        this.#dropReason ??
        this.#lastError ??
        `closed by the server (code ${code}${text.length > 0 ? `: ${text}` : ''})`;
      if (this.#state === 'running') this.#scheduleReconnect(why, opened);
      else this.#finish('closed by the client');
    });
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const localUs = this.#clock();
    this.#activity.next();
    let message;
    try {
      if (isBinary) throw this.#parser.rejectBinary();
      message = this.#parser.parse(textOf(data), localUs);
    } catch (error) {
      this.#badMessages++;
      this.#emit({
        type: 'bad-message',
        code: error instanceof CanaryError ? error.code : 'E_FEED_MALFORMED_LINE',
        message: error instanceof Error ? error.message : String(error),
        total: this.#badMessages,
        atUs: localUs,
      });
      return;
    }
    if (message === null) return;
    const { event } = message;
    if (message.id !== null) {
      const gap = this.#gaps.check(
        message.sequence,
        event.symbol,
        message.id,
        message.stream,
        event.tsUs,
      );
      if (gap !== null) {
        this.#gapCount++;
        this.#emit(gap);
      }
    }
    this.#emit({ type: 'event', event });
  }

  #scheduleReconnect(reason: string, opened: boolean): void {
    const lasted =
      this.#openedAtMs !== null &&
      this.#scheduler.now() - this.#openedAtMs >= this.#backoff.resetAfterMs;
    this.#attempt = lasted ? 1 : this.#attempt + 1;
    this.#openedAtMs = null;
    this.#reconnects++;
    const delayMs = backoffDelayMs(this.#attempt, this.#backoff, this.#random);
    this.#emit({ ...this.#status('reconnecting'), reason, delayMs: Math.round(delayMs), opened });
    this.#retry = this.#scheduler.schedule(() => {
      this.#retry = null;
      if (this.#state === 'running') this.#open();
    }, delayMs);
  }

  #finish(reason: string): void {
    if (this.#finished) return;
    this.#state = 'closed';
    this.#emit({ ...this.#status('closed'), reason });
    this.#finished = true;
    this.#resolveClosed?.();
    const waiter = this.#waiter;
    if (waiter !== null && !this.#buffer.ready) {
      this.#waiter = null;
      waiter({ value: undefined, done: true });
    }
  }

  #emit(item: LiveFeedItem): void {
    if (this.#finished) return;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter({ value: item, done: false });
      return;
    }
    const dropped = this.#buffer.push(item);
    if (dropped !== null) this.#onDrop?.(dropped);
    if (!this.#paused && this.#buffer.length >= this.#pauseAt) this.#pause();
  }

  #pause(): void {
    this.#paused = true;
    this.#stopHeartbeat();
    this.#ws?.pause();
  }

  #resume(): void {
    this.#paused = false;
    const ws = this.#ws;
    if (ws === null || ws.readyState !== WebSocket.OPEN) return;
    ws.resume();
    this.#startHeartbeat(ws);
  }

  #startHeartbeat(ws: WebSocket): void {
    this.#stopHeartbeat();
    this.#heartbeat = this.#activity
      .pipe(heartbeat(this.#silenceMs, this.#scheduler))
      .subscribe((command) => {
        if (ws !== this.#ws || ws.readyState !== WebSocket.OPEN) return;
        if (command === 'ping') {
          ws.ping();
        } else {
          this.#dropReason = `no message, ping or pong for ${this.#silenceMs} ms`;
          ws.terminate();
        }
      });
  }

  #stopHeartbeat(): void {
    this.#heartbeat?.unsubscribe();
    this.#heartbeat = null;
  }

  #status(status: LiveStatusItem['status']): LiveStatusItem {
    return { type: 'status', status, attempt: this.#attempt, atUs: this.#clock() };
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new UsageError(`${name} must be a number > 0, got ${value}`);
  return value;
}
