import type { WebSocket } from 'ws';
import type { ClientRole } from '../protocol/index.js';
import type { ServerLimits } from './server-limits.js';
import type { ErrorFrame, ServerErrorCode, ServerFrame } from '../protocol/index.js';
import type { ServerMetrics } from './server-metrics.js';
import { TokenBucket } from '../core/token-bucket.js';

/** The close codes the server uses (RFC 6455 §7.4). */
export const CLOSE_CODES = {
  goingAway: 1001,
  policyViolation: 1008,
  tryAgainLater: 1013,
} as const;

/**
 * One websocket client: its role once it said `hello`, its rate limit, and the slow-consumer
 * policy of everything sent to it. Nothing is queued in the server: a frame goes to the socket
 * at once or not at all, so what waits for a client is the socket's own buffer (`bufferedAmount`),
 * and that never passes `hardBufferedBytes` (plus one close frame).
 */
export class ClientConnection {
  readonly ws: WebSocket;
  role: ClientRole | null = null;
  agentId: string | null = null;
  #bucket: TokenBucket | null = null;
  #closing = false;
  #cutOff: NodeJS.Timeout | null = null;
  readonly #limits: ServerLimits;
  readonly #metrics: ServerMetrics;

  constructor(ws: WebSocket, limits: ServerLimits, metrics: ServerMetrics) {
    this.ws = ws;
    this.#limits = limits;
    this.#metrics = metrics;
  }

  /** Bytes written to the connection and not yet handed to the network. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** The client said a valid `hello`: it has a role now, and that role's rate limit. */
  admit(role: ClientRole, agentId: string | null, nowMs: number): void {
    this.role = role;
    this.agentId = agentId;
    this.#bucket = new TokenBucket(this.#limits.rates[role], nowMs);
  }

  /** Takes a message from the client's rate budget: false when it is over its rate. */
  allow(nowMs: number): boolean {
    return this.#bucket === null || this.#bucket.take(nowMs);
  }

  /**
   * Sends a frame already encoded (broadcasts encode once for every client). `essential: false`
   * (metrics) is dropped while the client has more than `softBufferedBytes` waiting; any frame
   * that would take it above `hardBufferedBytes` closes it instead (1013). False when not sent.
   */
  sendEncoded(data: Buffer, type: ServerFrame['type'], essential: boolean): boolean {
    if (this.#closing) return false;
    const buffered = this.ws.bufferedAmount;
    if (!essential && buffered > this.#limits.softBufferedBytes) {
      this.#metrics.framesDropped.inc({ type });
      return false;
    }
    if (buffered + data.length > this.#limits.hardBufferedBytes) {
      this.#metrics.slowConsumersClosed.inc();
      this.close(CLOSE_CODES.tryAgainLater, 'SLOW_CONSUMER: frames not read in time');
      return false;
    }
    this.ws.send(data, { binary: false });
    this.#metrics.framesSent.inc({ type });
    return true;
  }

  /** Sends one frame to this client only (replies, errors, the first state). */
  send(frame: ServerFrame): boolean {
    return this.sendEncoded(Buffer.from(JSON.stringify(frame)), frame.type, true);
  }

  /** Sends an error frame (echoing the message's ids) and counts it. */
  sendError(
    code: ServerErrorCode,
    message: string,
    ids: { readonly requestId?: string; readonly reportId?: string } = {},
  ): void {
    this.#metrics.error(code);
    const frame: ErrorFrame = { type: 'error', code, message, ...ids };
    this.send(frame);
  }

  /**
   * Closes with `code`; a client that does not complete the closing handshake within
   * `slowCloseGraceMs` is cut off, which frees whatever was still waiting for it.
   */
  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.ws.close(code, reason.slice(0, 120));
    this.#cutOff = setTimeout(() => this.ws.terminate(), this.#limits.slowCloseGraceMs);
    this.#cutOff.unref();
  }

  /** The socket closed: timers go. */
  closed(): void {
    this.#closing = true;
    if (this.#cutOff !== null) clearTimeout(this.#cutOff);
  }
}
