import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CanaryError, ConfigError } from '../core/errors.js';
import type { Decision } from '../core/decision.js';
import type { Canary, WaitingProposal } from '../embed/create-canary.js';
import type { ReportDecision } from '../report/report-json.js';
import type { CalendarStatus, CanaryState } from '../rollout/index.js';
import type { RecordResult } from '../embed/report-rejection.js';
import { CLOSE_CODES, ClientConnection } from './client-connection.js';
import { dashboardPage } from './dashboard/dashboard-page.js';
import type { ClientRole } from '../protocol/index.js';
import { MessageHandler } from './message-handler.js';
import { ReportIdCache } from './report-id-cache.js';
import { resolveServerLimits, type ServerLimits, type ServerLimitsInput } from './server-limits.js';
import {
  startNatsFleet,
  type FleetStatus,
  type NatsFleet,
  type NatsFleetOptions,
} from './nats-fleet.js';
import { ServerMetrics } from './server-metrics.js';
import type { ServerTokens } from './server-tokens.js';
import { TelemetryHub } from './telemetry-hub.js';

/** Options of {@link createCanaryServer}. */
export interface CanaryServerOptions {
  /** The rollout to publish and steer; the server never closes it (its owner does). */
  readonly canary: Canary;
  /** Interface to listen on (default `127.0.0.1`: loopback only). */
  readonly host?: string;
  /** Port (default 0: a free port; read it from the result). */
  readonly port?: number;
  /** The roles' tokens: operators always need one, agents need one to be admitted at all. */
  readonly tokens: ServerTokens;
  readonly limits?: ServerLimitsInput;
  /** At most one `metrics` frame per this many wall-clock ms, the latest snapshot (default 1000; 0: all). */
  readonly metricsIntervalMs?: number;
  /** How often the canary's state is compared with the last one sent, wall-clock ms (default 1000). */
  readonly statePollMs?: number;
  /** Also export prom-client's process metrics (memory, CPU, event loop) on `/metrics` (default false). */
  readonly processMetrics?: boolean;
  /** Wall clock, ms (default `Date.now`): rate limits and metrics sampling. */
  readonly now?: () => number;
  /**
   * Decisions taken before this server (a resumed rollout's, read from its audit log), oldest
   * first, as `decisions$` gave them: `/health`'s `lastDecision` and the dashboard's log start
   * from them, not empty. Default none.
   */
  readonly earlierDecisions?: readonly Decision[];
  /**
   * Also serve the fleet over NATS JetStream (docs/server.md, "Fleet on NATS" and "Failover"): the
   * server's URL, the rollout's name there (agents use the same; `serve` gives its salt), and for
   * failover between controllers the lease's length and this controller's id. Agents are then
   * taken on NATS only.
   */
  readonly nats?: Pick<
    NatsFleetOptions,
    'url' | 'rollout' | 'leaseMs' | 'controllerId' | 'onRoleChange' | 'onRefused'
  >;
}

/** Connections and the bytes waiting for them. */
export interface ServerStats {
  readonly connections: Readonly<Record<ClientRole | 'pending', number>> & {
    readonly total: number;
  };
  /** Bytes written to client sockets and not yet sent, all connections. */
  readonly bufferedBytes: number;
  /** The last `seq` given out. */
  readonly seq: number;
}

/** A running server. */
export interface CanaryServer {
  readonly port: number;
  /** The websocket endpoint, `ws://host:port/ws`. */
  readonly url: string;
  /** The HTTP base, `http://host:port` (the dashboard at `/`, `/health`, `/metrics`). */
  readonly httpUrl: string;
  readonly limits: ServerLimits;
  stats(): ServerStats;
  /** With `nats`: whether this controller leads the fleet now, and how far it applied the log. */
  fleet(): FleetStatus | null;
  /** Closes every connection (1001), stops listening and lets go of the canary's streams. */
  close(): Promise<void>;
}

/** Body of `GET /health`. */
export interface HealthBody {
  readonly status: 'ok';
  readonly rollout: CanaryState;
  /** The proposal waiting for an operator (manual mode), or null. */
  readonly pending: WaitingProposal | null;
  /** The latest decision (null before any), as its `decision` frame carried it. */
  readonly lastDecision: ReportDecision | null;
  /** Reports the canary accepted, by arm (a fleet's pooled counts). */
  readonly recorded: Canary['recorded'];
  readonly connections: ServerStats['connections'];
  readonly bufferedBytes: number;
  readonly seq: number;
  /** With `--nats`: this controller's role in the fleet (docs/server.md, "Failover"). */
  readonly fleet?: FleetStatus;
  /** When the plan has a trading calendar: open, or why closed and until when. */
  readonly calendar?: CalendarStatus;
}

/**
 * Starts the telemetry, control and fleet server of a rollout (docs/server.md): one HTTP port
 * with the live dashboard at `GET /`, `GET /health`, `GET /metrics` (Prometheus text) and a
 * websocket endpoint at `/ws` where subscribers follow the rollout, operators steer it and agents
 * report to it.
 *
 * Rejects with a ConfigError `E_USAGE` for a missing token or a bad limit, and with the listen
 * error (`EADDRINUSE`…) when the port cannot be had.
 *
 * @example
 * const server = await createCanaryServer({ canary, port: 8080, tokens: { operator } });
 * console.log(`rollout at ${server.url}`); // ws://127.0.0.1:8080/ws
 * await server.close();
 */
export async function createCanaryServer(options: CanaryServerOptions): Promise<CanaryServer> {
  const tokens = checkTokens(options.tokens);
  const limits = resolveServerLimits(options.limits);
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const canary = options.canary;
  const all = new Set<ClientConnection>();

  const connections = (): ServerStats['connections'] => {
    const counts = { subscriber: 0, operator: 0, agent: 0, pending: 0, total: all.size };
    for (const client of all) counts[client.role ?? 'pending']++;
    return counts;
  };
  const bufferedBytes = (): number => {
    let sum = 0;
    for (const client of all) sum += client.bufferedBytes;
    return sum;
  };
  const metrics = new ServerMetrics(
    canary,
    { connections, bufferedBytes },
    { processMetrics: options.processMetrics ?? false },
  );
  const hub = new TelemetryHub(canary, metrics, {
    metricsIntervalMs: nonNegative('metricsIntervalMs', options.metricsIntervalMs ?? 1000),
    statePollMs: positive('statePollMs', options.statePollMs ?? 1000),
    now,
    earlierDecisions: options.earlierDecisions ?? [],
  });
  const handler = new MessageHandler({
    canary,
    hub,
    tokens,
    reportIds: new ReportIdCache<RecordResult>(limits.reportIdsKept),
    metrics,
    now,
    agentsOnNats: options.nats !== undefined,
  });
  let natsFleet: NatsFleet | null = null;
  const stats = (): ServerStats => ({
    connections: connections(),
    bufferedBytes: bufferedBytes(),
    seq: hub.seq,
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  let closing = false;

  const onConnection = (ws: WebSocket): void => {
    const client = new ClientConnection(ws, limits, metrics);
    all.add(client);
    const helloTimer = setTimeout(() => handler.helloTimeout(client), limits.helloTimeoutMs);
    helloTimer.unref();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const wasPending = client.role === null;
      handler.onMessage(client, toBuffer(data), isBinary);
      if (wasPending && client.role !== null) clearTimeout(helloTimer);
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the connection itself (1009 for a message over maxPayload, 1002, 1007…).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.error('TOO_LARGE');
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      client.closed();
      all.delete(client);
      hub.remove(client);
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (pathOf(request) !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (all.size >= limits.maxConnections) return refuseUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(request, socket, head, onConnection);
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const path = pathOf(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/') {
      const page = dashboardPage();
      response.writeHead(200, page.headers);
      response.end(page.html);
      return;
    }
    if (path === '/health') {
      const s = stats();
      const body: HealthBody = {
        status: 'ok',
        rollout: canary.state,
        pending: canary.pendingProposal,
        lastDecision: hub.lastDecision,
        recorded: canary.recorded,
        connections: s.connections,
        bufferedBytes: s.bufferedBytes,
        seq: s.seq,
        ...(natsFleet === null ? {} : { fleet: natsFleet.status }),
        ...(canary.calendar === null ? {} : { calendar: canary.calendar }),
      };
      send(response, 200, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => send(response, 200, metrics.registry.contentType, text),
        (error: unknown) =>
          send(response, 500, 'text/plain; charset=utf-8', `metrics failed: ${String(error)}\n`),
      );
      return;
    }
    if (path === '/ws') {
      send(response, 426, 'text/plain; charset=utf-8', 'a websocket endpoint: upgrade\n');
      return;
    }
    send(
      response,
      404,
      'text/plain; charset=utf-8',
      'not found: / (the dashboard), /health, /metrics or /ws\n',
    );
  };

  const server = createServer(onRequest);
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  hub.start();
  if (options.nats !== undefined) {
    try {
      natsFleet = await startNatsFleet({ ...options.nats, canary, handler, hub });
    } catch (error) {
      hub.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const why = error instanceof Error ? error.message : String(error);
      throw new CanaryError(
        'E_NATS',
        `cannot serve the fleet on NATS at ${options.nats.url}: ${why}`,
        {
          cause: error,
        },
      );
    }
  }
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  return {
    port,
    url: `ws://${hostInUrl}:${port}/ws`,
    httpUrl: `http://${hostInUrl}:${port}`,
    limits,
    stats,
    fleet: () => natsFleet?.status ?? null,
    close: async () => {
      if (closing) return;
      closing = true;
      await natsFleet?.close();
      hub.stop();
      const gone = [...all].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.ws.readyState === client.ws.CLOSED) return resolve();
            client.ws.once('close', () => resolve());
            client.close(CLOSE_CODES.goingAway, 'server closing');
          }),
      );
      await Promise.all(gone);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function checkTokens(tokens: ServerTokens): ServerTokens {
  const check = (name: string, token: string | undefined): void => {
    if (token !== undefined && (typeof token !== 'string' || token.length === 0)) {
      throw new ConfigError('E_USAGE', `server tokens: ${name} must be a non-empty string`);
    }
  };
  if (typeof tokens?.operator !== 'string' || tokens.operator.length === 0) {
    throw new ConfigError('E_USAGE', 'server tokens: an operator token is required');
  }
  check('agent', tokens.agent);
  check('subscriber', tokens.subscriber);
  return { ...tokens };
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError('E_USAGE', `server: ${name} must be 0 or more, got ${value}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError('E_USAGE', `server: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
