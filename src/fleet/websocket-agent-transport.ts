import { randomInt } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { backoffDelayMs, resolveBackoff, type BackoffOptions } from '../core/backoff.js';
import { parseServerFrame } from '../protocol/index.js';
import type { AgentMessage, AgentTransport, AgentTransportEvents } from './agent-transport.js';

/** Options of {@link WebSocketAgentTransport}. */
export interface WebSocketAgentTransportOptions {
  /** The server's websocket endpoint, `ws://host:port/ws`. */
  readonly url: string;
  /** The server's agent token. */
  readonly token: string;
  /** The agent's stable id, sent in its hello. */
  readonly agentId: string;
  /** Reconnect schedule (default: equal jitter from 0.5 s to 30 s, as the feed client). */
  readonly backoff?: Partial<BackoffOptions>;
  /** Uniform in [0, 1), for the backoff's jitter (default: node:crypto). */
  readonly random?: () => number;
}

const CLOSE_TIMEOUT_MS = 1000;

/**
 * An agent's websocket to `serve` (docs/server.md): a `hello` with the agent token on each
 * connection, frames parsed as the protocol's, reconnection with backoff, and a refused hello
 * (close code 1008, but for a hello timeout) taken as final. A session is up from the first
 * `state` frame of a connection (the server's answer to a good hello).
 */
export class WebSocketAgentTransport implements AgentTransport {
  readonly #options: WebSocketAgentTransportOptions;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  #events: AgentTransportEvents | null = null;
  #ws: WebSocket | null = null;
  #up = false;
  /** After `restart`: the connection is closing, and what it still delivers is ignored. */
  #draining = false;
  #closed = false;
  #attempt = 0;
  #openedAtMs = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;

  constructor(options: WebSocketAgentTransportOptions) {
    this.#options = options;
    this.#backoff = resolveBackoff(options.backoff);
    this.#random = options.random ?? (() => randomInt(0, 2 ** 32) / 2 ** 32);
  }

  start(events: AgentTransportEvents): void {
    this.#events = events;
    this.#connect();
  }

  send(message: AgentMessage): void {
    if (!this.#draining) this.#ws?.send(JSON.stringify(message));
  }

  restart(reason: string): void {
    if (this.#ws === null) return;
    this.#draining = true;
    this.#ws.close(1000, reason);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    const ws = this.#ws;
    this.#ws = null;
    this.#up = false;
    if (ws === null || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, CLOSE_TIMEOUT_MS);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(1000, 'agent closing');
    });
  }

  #connect(): void {
    if (this.#closed) return;
    const ws = new WebSocket(this.#options.url);
    this.#ws = ws;
    ws.on('open', () => {
      this.#openedAtMs = Date.now();
      ws.send(
        JSON.stringify({
          type: 'hello',
          role: 'agent',
          token: this.#options.token,
          agentId: this.#options.agentId,
        }),
      );
    });
    ws.on('message', (data: RawData) => this.#onText(ws, rawText(data)));
    ws.on('error', () => {}); // the close that follows reconnects
    ws.on('close', (code, reason) => this.#onClose(ws, code, reason.toString()));
  }

  #onText(ws: WebSocket, text: string): void {
    const events = this.#events;
    if (ws !== this.#ws || events === null || this.#draining) return;
    const parsed = parseServerFrame(text);
    if (!parsed.ok) {
      events.badFrame(parsed.error);
      return;
    }
    if (parsed.frame.type === 'state') this.#up = true;
    events.frame(parsed.frame);
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    const events = this.#events;
    if (ws !== this.#ws || events === null) return;
    this.#ws = null;
    const wasUp = this.#up;
    this.#up = false;
    this.#draining = false;
    if (this.#closed) return;
    if (code === 1008 && !reason.startsWith('HELLO_TIMEOUT')) {
      // A refused hello (token, agent id): trying again would be refused again.
      events.down({ type: 'refused', message: reason });
      return;
    }
    if (wasUp) events.down({ type: 'disconnected', code, reason });
    if (wasUp && Date.now() - this.#openedAtMs >= this.#backoff.resetAfterMs) this.#attempt = 0;
    const attempt = ++this.#attempt;
    const delayMs = backoffDelayMs(attempt, this.#backoff, this.#random);
    events.down({ type: 'reconnecting', attempt, delayMs });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect();
    }, delayMs);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
