import { WebSocket } from 'ws';
import { parseServerFrame, type ServerFrame } from '../../protocol/index.js';

/** How long a test waits for a frame or a close before failing, ms. */
export const WAIT_MS = 5000;

/**
 * A websocket client for the tests: records every frame it receives, and waits for the next one
 * matching a predicate, or for the close, within {@link WAIT_MS}. Every frame is read with the
 * protocol's own parser (`parseServerFrame`): a frame the server sends that an agent would refuse
 * fails every wait from then on, naming the frame.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: {
    test: (f: ServerFrame) => boolean;
    resolve: (f: ServerFrame) => void;
    reject: (error: Error) => void;
  }[] = [];
  /** The first frame that did not parse, as an error; null while all did. */
  #invalid: Error | null = null;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const parsed = parseServerFrame(text);
      if (!parsed.ok) {
        this.#invalid ??= new Error(`the server sent an invalid frame (${parsed.error}): ${text}`);
        for (const waiter of this.#waiters) waiter.reject(this.#invalid);
        this.#waiters = [];
        return;
      }
      const frame = parsed.frame;
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static async connect(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Connects and says hello; resolves with the first frame (the state). */
  static async hello(
    url: string,
    hello: { role: string; token?: string; agentId?: string },
  ): Promise<TestClient> {
    const client = await TestClient.connect(url);
    client.send({ type: 'hello', ...hello });
    await client.next((f) => f.type === 'state');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first frame received after now (or already received, when `fromStart`) that matches. */
  next<T extends ServerFrame['type']>(
    test: (frame: ServerFrame) => boolean,
    fromStart = false,
  ): Promise<ServerFrame & { type: T }> {
    if (this.#invalid !== null) return Promise.reject(this.#invalid);
    if (fromStart) {
      const seen = this.frames.find(test);
      if (seen !== undefined) return Promise.resolve(seen as ServerFrame & { type: T });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame in time')), WAIT_MS);
      this.#waiters.push({
        test,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as ServerFrame & { type: T });
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Resolves when the close came, or fails after {@link WAIT_MS}. */
  async closedWithin(): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('not closed in time')), WAIT_MS);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.terminate();
  }
}
