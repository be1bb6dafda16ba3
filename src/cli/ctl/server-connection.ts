import { WebSocket } from 'ws';
import { CanaryError, UsageError } from '../../core/errors.js';
import {
  parseServerFrame,
  type CommandMessage,
  type ResultFrame,
  type ServerFrame,
} from '../../protocol/index.js';
import type { HealthBody } from '../../server/index.js';

/** A running `serve`'s two doors: its HTTP base (`/health`) and its websocket (`/ws`). */
export interface ServerUrls {
  readonly http: string;
  readonly ws: string;
}

/**
 * The server's URLs from what a user gives: `http://host:port`, `ws://host:port/ws` (what `serve`
 * prints), or `host:port`. Throws `E_USAGE` for anything else.
 */
export function serverUrls(text: string): ServerUrls {
  const withScheme = /^[a-z]+:\/\//iu.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`--url: not a URL: "${text}" (e.g. http://127.0.0.1:8080)`);
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`--url: an http or ws URL, got "${text}"`);
  }
  return {
    http: `${secure ? 'https' : 'http'}://${url.host}`,
    ws: `${secure ? 'wss' : 'ws'}://${url.host}/ws`,
  };
}

/** How long a request to the server may take before ctl gives up, ms. */
export const SERVER_TIMEOUT_MS = 10_000;

function unreachable(urls: ServerUrls, error: unknown): CanaryError {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new CanaryError('E_SERVER', `cannot reach the rollout's server at ${urls.http}: ${why}`, {
    cause: error,
  });
}

/** `GET /health`: the rollout's state, its waiting proposal and latest decision, the counts. */
export async function fetchHealth(urls: ServerUrls): Promise<HealthBody> {
  let response: Response;
  try {
    response = await fetch(`${urls.http}/health`, {
      signal: AbortSignal.timeout(SERVER_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(urls, error);
  }
  if (!response.ok) {
    throw new CanaryError(
      'E_SERVER',
      `${urls.http}/health answered ${response.status}: is it a strategy-canary serve?`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new CanaryError('E_SERVER', `${urls.http}/health did not answer JSON`, { cause: error });
  }
  if (!looksLikeHealth(body)) {
    throw new CanaryError(
      'E_SERVER',
      `${urls.http}/health is not a rollout's health: is it a strategy-canary serve?`,
    );
  }
  return body;
}

/** The parts of `/health`'s body ctl reads: another service's health check has none of them. */
function looksLikeHealth(body: unknown): body is HealthBody {
  const b = body as Partial<Record<keyof HealthBody, unknown>> | null;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null;
  return (
    isObject(b) &&
    isObject(b.rollout) &&
    typeof b.rollout.status === 'string' &&
    isObject(b.recorded) &&
    isObject(b.recorded.stable) &&
    isObject(b.recorded.canary) &&
    isObject(b.connections)
  );
}

/**
 * A websocket session with the server as `role`: resolves once the server has admitted it (its
 * first `state` frame); `onFrame` then gets every frame, parsed. Rejects with `E_SERVER` when the
 * server cannot be reached, refuses the token, or does not answer in time.
 */
export async function openSession(
  urls: ServerUrls,
  hello: { readonly role: 'operator' | 'subscriber'; readonly token?: string },
  onFrame: (frame: ServerFrame) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(urls.ws, { handshakeTimeout: SERVER_TIMEOUT_MS });
  return new Promise<WebSocket>((resolve, reject) => {
    let admitted = false;
    const fail = (error: CanaryError): void => {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new CanaryError('E_SERVER', `${urls.ws}: no answer in ${SERVER_TIMEOUT_MS} ms`)),
      SERVER_TIMEOUT_MS,
    );
    ws.on('error', (error) => {
      if (!admitted) fail(unreachable(urls, error));
    });
    ws.on('open', () => {
      ws.send(
        JSON.stringify({
          type: 'hello',
          role: hello.role,
          ...(hello.token === undefined ? {} : { token: hello.token }),
        }),
      );
    });
    ws.on('message', (data: Buffer) => {
      const parsed = parseServerFrame(data.toString('utf8'));
      if (!parsed.ok) return; // not a frame of the protocol: nothing in it is acted on
      const frame = parsed.frame;
      if (!admitted) {
        if (frame.type === 'error') {
          fail(
            new CanaryError(
              'E_SERVER',
              `the server refused the ${hello.role}: ${frame.code}: ${frame.message}`,
            ),
          );
          return;
        }
        if (frame.type !== 'state') return;
        admitted = true;
        clearTimeout(timer);
        resolve(ws);
      }
      onFrame(frame);
    });
    ws.on('close', (code, reason) => {
      if (!admitted)
        fail(
          new CanaryError(
            'E_SERVER',
            `the server closed the connection (${code} ${reason.toString()})`,
          ),
        );
    });
  });
}

/**
 * Sends one operator command and resolves with the server's `result` (applied, or refused with
 * the controller's reason code). Rejects with `E_SERVER` for a connection or token problem, or an
 * error frame (the message could not be applied at all).
 */
export async function sendCommand(
  urls: ServerUrls,
  token: string,
  command: Omit<CommandMessage, 'type' | 'requestId'>,
): Promise<ResultFrame> {
  const requestId = `ctl-${process.pid}-${Date.now()}`;
  let settle: { resolve: (r: ResultFrame) => void; reject: (e: Error) => void } | null = null;
  const answered = new Promise<ResultFrame>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const ws = await openSession(urls, { role: 'operator', token }, (frame) => {
    if (frame.type === 'result' && frame.requestId === requestId) settle?.resolve(frame);
    if (frame.type === 'error' && frame.requestId === requestId)
      settle?.reject(new CanaryError('E_SERVER', `${frame.code}: ${frame.message}`));
  });
  ws.on('close', () =>
    settle?.reject(
      new CanaryError('E_SERVER', 'the server closed the connection before answering'),
    ),
  );
  const timer = setTimeout(
    () => settle?.reject(new CanaryError('E_SERVER', `no answer in ${SERVER_TIMEOUT_MS} ms`)),
    SERVER_TIMEOUT_MS,
  );
  ws.send(JSON.stringify({ type: 'command', ...command, requestId }));
  try {
    return await answered;
  } finally {
    clearTimeout(timer);
    ws.close();
  }
}
