import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { backoffDelayMs, resolveBackoff, type BackoffOptions } from '../core/backoff.js';
import { slackBodyOf, type WebhookEvent } from './webhook-event.js';
import {
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookSignature,
} from './webhook-signature.js';

/** One webhook endpoint. */
export interface WebhookTarget {
  readonly url: string;
  /** Shared secret of the HMAC signature; without one, requests are not signed. */
  readonly secret?: string;
  /** `json` (the event itself, default) or `slack` (a body Slack's incoming webhooks accept). */
  readonly format?: 'json' | 'slack';
}

/** Options of {@link WebhookSender}. */
export interface WebhookSenderOptions {
  /** Attempts per event before it is given up (default 8). */
  readonly maxAttempts?: number;
  /** Delays between attempts (default: equal jitter from 0.5 s to 30 s). */
  readonly backoff?: Partial<BackoffOptions>;
  /** One request's time limit, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Uniform in [0, 1), for the backoff's jitter (default: node:crypto). */
  readonly random?: () => number;
  /** Wall clock for the timestamp header, ms (default Date.now). */
  readonly now?: () => number;
  /** Called when an event is given up (a 4xx answer, or `maxAttempts` failures). */
  readonly onGiveUp?: (event: WebhookEvent, reason: string) => void;
}

/** Counters of a sender. */
export interface WebhookSenderStats {
  /** Events answered 2xx. */
  readonly delivered: number;
  /** Attempts that failed and were tried again. */
  readonly retried: number;
  /** Events given up. */
  readonly givenUp: number;
  /** Events waiting. */
  readonly queued: number;
}

/**
 * Delivers events to one endpoint in order, each once: an event id is never queued twice, a
 * network error, a timeout, a 5xx or a 429 is tried again after a backoff, any other 4xx gives it
 * up (the request itself is wrong; repeating it would not help). The body is JSON (or Slack's
 * form), signed with HMAC-SHA256 when a secret is set, and carries the event id in a header so
 * the receiver can drop a repeat. The queue is in memory: events not yet delivered when the
 * process ends are not sent.
 */
export class WebhookSender {
  readonly #target: WebhookTarget;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffOptions;
  readonly #timeoutMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #onGiveUp: ((event: WebhookEvent, reason: string) => void) | undefined;
  readonly #queue: WebhookEvent[] = [];
  readonly #seen = new Set<string>();
  #running: Promise<void> | null = null;
  #closed = false;
  #timer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;
  #stats = { delivered: 0, retried: 0, givenUp: 0 };

  constructor(target: WebhookTarget, options: WebhookSenderOptions = {}) {
    const url = new URL(target.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`a webhook URL must be http or https, got ${target.url}`);
    }
    this.#target = target;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoff = resolveBackoff(options.backoff);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#random = options.random ?? (() => randomInt(0, 2 ** 32) / 2 ** 32);
    this.#now = options.now ?? Date.now;
    this.#onGiveUp = options.onGiveUp;
  }

  get stats(): WebhookSenderStats {
    return { ...this.#stats, queued: this.#queue.length };
  }

  /** Queues `event` (ignored if its id was queued before, or after `close`). */
  send(event: WebhookEvent): void {
    if (this.#closed || this.#seen.has(event.id)) return;
    this.#seen.add(event.id);
    this.#queue.push(event);
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves once every queued event is delivered or given up. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  /**
   * Stops: waits up to `graceMs` for the queue to drain, then drops what is left (counted as
   * given up).
   */
  async close(graceMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#wake?.();
    for (const event of this.#queue.splice(0)) this.#giveUp(event, 'the sender was closed');
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const event = this.#queue[0]!;
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.#post(event);
        if (this.#closed) return;
        if (outcome.ok) {
          this.#stats.delivered++;
          break;
        }
        if (!outcome.retry || attempt >= this.#maxAttempts) {
          this.#queue.shift();
          this.#giveUp(event, outcome.reason);
          break;
        }
        this.#stats.retried++;
        await this.#sleep(backoffDelayMs(attempt, this.#backoff, this.#random));
        if (this.#closed) return;
      }
      if (this.#queue[0] === event) this.#queue.shift();
    }
  }

  #giveUp(event: WebhookEvent, reason: string): void {
    this.#stats.givenUp++;
    this.#onGiveUp?.(event, reason);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#wake = null;
        resolve();
      }, ms);
    });
  }

  #post(event: WebhookEvent): Promise<{ ok: boolean; retry: boolean; reason: string }> {
    const target = this.#target;
    const body = JSON.stringify(target.format === 'slack' ? slackBodyOf(event) : event);
    const timestamp = String(Math.floor(this.#now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'strategy-canary',
      [EVENT_ID_HEADER]: event.id,
      [TIMESTAMP_HEADER]: timestamp,
    };
    if (target.secret !== undefined)
      headers[SIGNATURE_HEADER] = webhookSignature(target.secret, timestamp, body);
    const url = new URL(target.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(url, { method: 'POST', headers, timeout: this.#timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ ok: true, retry: false, reason: '' });
          else
            resolve({
              ok: false,
              retry: status >= 500 || status === 429,
              reason: `HTTP ${status}`,
            });
        });
        res.on('error', (error) => resolve({ ok: false, retry: true, reason: error.message }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${this.#timeoutMs} ms`)));
      req.on('error', (error) => resolve({ ok: false, retry: true, reason: error.message }));
      req.end(body);
    });
  }
}
