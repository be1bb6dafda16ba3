import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { BackoffOptions } from '../core/backoff.js';
import type { RoutingOverride } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import type { MarketEvent } from '../core/market-event.js';
import { TokenBucket } from '../core/token-bucket.js';
import type { BotReport } from '../embed/bot-report.js';
import type { ReportRejection } from '../embed/report-rejection.js';
import type { ServerFrame } from '../protocol/index.js';
import type { ReportDecision } from '../report/report-json.js';
import { syncRouter, type CanaryState } from '../rollout/index.js';
import { Router, weightPctToBps } from '../router/index.js';
import type { AgentStatus, AgentTransport } from './agent-transport.js';
import { ReportOutbox } from './report-outbox.js';
import { WebSocketAgentTransport } from './websocket-agent-transport.js';

export type { AgentStatus } from './agent-transport.js';

/** Options of {@link CanaryAgent} whatever carries its messages. */
export interface CanaryAgentCommonOptions {
  /** This bot's stable id (letters, digits, `._:-`): report ids are unique per agent. */
  readonly agentId: string;
  /** The rollout's routing salt (the server's `--salt`): routing needs no round trip. */
  readonly salt: string;
  /** The accounts this bot trades, with their routing pins if any. */
  readonly accounts: readonly { readonly id: string; readonly override?: RoutingOverride }[];
  /** Journal of unacknowledged reports: a restarted bot replays them (see {@link ReportOutbox}). */
  readonly outboxPath?: string;
  /** Acknowledgements before the outbox journal is compacted (default 50 000). */
  readonly outboxCompactAfterAcks?: number;
  /**
   * Messages sent per second at most, and the burst: keep it under the server's agent rate
   * (default 2000/s, burst 4000), since a report the server drops for its rate could arrive after
   * the next one (a fill before its order). Default 1500/s, burst 1500.
   */
  readonly rate?: { readonly perSecond: number; readonly burst: number };
  /** Reports sent and not yet acknowledged, at most (default 1000). */
  readonly maxInFlight?: number;
}

/** An agent on a websocket to `serve` (the default). */
export interface WebSocketAgentOptions extends CanaryAgentCommonOptions {
  /** The server's websocket endpoint, `ws://host:port/ws`. */
  readonly url: string;
  /** The server's agent token. */
  readonly token: string;
  /** Reconnect schedule (default: equal jitter from 0.5 s to 30 s, as the feed client). */
  readonly backoff?: Partial<BackoffOptions>;
  /** Uniform in [0, 1), for the backoff's jitter (default: node:crypto). */
  readonly random?: () => number;
}

/** An agent on a transport of the caller's ({@link AgentTransport}). */
export interface TransportAgentOptions extends CanaryAgentCommonOptions {
  readonly transport: AgentTransport;
}

/** Options of {@link CanaryAgent}: a websocket to `serve`, or a transport of the caller's. */
export type CanaryAgentOptions = WebSocketAgentOptions | TransportAgentOptions;

/** The server's answer to one report: recorded, or refused by the canary for good. */
export interface ReportOutcome {
  readonly reportId: string;
  readonly report: BotReport;
  readonly accepted: boolean;
  readonly rejection?: ReportRejection;
  /** The server had this report already (a replay after a reconnect). */
  readonly repeated: boolean;
}

/** Counters of an agent. */
export interface AgentStats {
  /** Reports made by this process. */
  readonly reported: number;
  /** Reports acknowledged as recorded (replays from an earlier run's journal included). */
  readonly accepted: number;
  /** Reports the canary refused (`outcomes$` says why): these are not counted anywhere. */
  readonly refused: number;
  /** Of the acknowledgements, those for reports the server had already recorded (replays). */
  readonly repeated: number;
  /** Reports waiting for an acknowledgement (journaled, sent or not). */
  readonly pending: number;
  readonly connections: number;
  /** Frames from the server that did not parse as the protocol's (ignored). */
  readonly badFrames: number;
}

interface FlushWaiter {
  readonly ids: Set<string>;
  readonly done: () => void;
  readonly fail: (error: Error) => void;
}

const PUMP_RETRY_MS = 5;

/**
 * Times the canary may fail on one report (`COMMAND_FAILED`) before the agent answers it as
 * refused: a report it throws on every time (a bug, not a server shutting down) would otherwise be
 * sent again forever and hold up every report after it. A server closing fails a report once or
 * twice before the agent reaches its successor.
 */
export const MAX_COMMAND_FAILURES = 5;

/**
 * A bot of a fleet, connected to the rollout's server as an agent (docs/server.md, "Fleet"). It
 * routes its accounts locally with the rollout's salt and the last weight the server sent (every
 * `state` frame, in order; journaled with an outbox path; stable for all before any), and sends
 * its reports in the order it makes them, each with a report id. Reports wait in an outbox until
 * the server acknowledges them: while disconnected the bot keeps trading at the last weight it
 * knew and its reports pile up; when a session is up again they are sent again, oldest first,
 * and the server's idempotency makes each count once. A refused `hello` (bad token) stops the
 * agent; anything else reconnects with backoff.
 *
 * This class is the agent's core, free of any transport: outbox, pacing (a rate and a cap on
 * reports in flight), local routing, replay. What carries its messages is an
 * {@link AgentTransport}: a websocket to `serve` ({@link WebSocketAgentTransport}) unless the
 * options give another.
 *
 * @example
 * const agent = new CanaryAgent({ url, token, agentId: 'bot-1', salt, accounts });
 * if (agent.route(account.id) === 'canary') ...
 * agent.report({ type: 'fill', ... });
 */
export class CanaryAgent {
  readonly #router: Router;
  readonly #outbox: ReportOutbox;
  readonly #transport: AgentTransport;
  readonly #bucket: TokenBucket;
  readonly #maxInFlight: number;
  readonly #state$ = new BehaviorSubject<CanaryState | null>(null);
  readonly #decisions$ = new Subject<ReportDecision>();
  readonly #outcomes$ = new Subject<ReportOutcome>();
  readonly #status$ = new Subject<AgentStatus>();
  /** A session is up: the transport may send. */
  #ready = false;
  #closed = false;
  /** Pending reports not sent in this session yet, in order. */
  #unsent: string[] = [];
  #inFlight = 0;
  #clockMs: number | null = null;
  readonly #marks = new Map<string, MarketEvent>();
  #pumpTimer: NodeJS.Timeout | null = null;
  readonly #waiters = new Set<FlushWaiter>();
  /** `COMMAND_FAILED` answers so far, by pending report id. */
  readonly #commandFailures = new Map<string, number>();
  #stats = { reported: 0, accepted: 0, refused: 0, repeated: 0, connections: 0, badFrames: 0 };

  constructor(options: CanaryAgentOptions) {
    this.#router = new Router({
      salt: options.salt,
      weightBps: 0,
      overrides: new Map(
        options.accounts.flatMap((a) =>
          a.override === undefined ? [] : [[a.id, a.override] as const],
        ),
      ),
    });
    this.#router.disableCanary();
    this.#outbox = new ReportOutbox(
      options.outboxPath,
      options.outboxCompactAfterAcks === undefined
        ? {}
        : { compactAfterAcks: options.outboxCompactAfterAcks },
    );
    if (this.#outbox.lastState !== null) this.#onState(this.#outbox.lastState, false);
    this.#bucket = new TokenBucket(options.rate ?? { perSecond: 1500, burst: 1500 }, Date.now());
    this.#maxInFlight = options.maxInFlight ?? 1000;
    this.#transport =
      'transport' in options
        ? options.transport
        : new WebSocketAgentTransport({
            url: options.url,
            token: options.token,
            agentId: options.agentId,
            ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
            ...(options.random === undefined ? {} : { random: options.random }),
          });
    this.#transport.start({
      frame: (frame) => this.#onFrame(frame),
      badFrame: () => {
        this.#stats.badFrames++;
      },
      down: (status) => this.#onDown(status),
    });
  }

  /**
   * The arm `accountId` trades now, by the last state the server sent (or, after a restart, the
   * last one the outbox journal holds; stable for all before any): O(1), no I/O.
   */
  route(accountId: string): Arm {
    return this.#router.route(accountId);
  }

  /** The last state the server sent, or null before the first. */
  get state(): CanaryState | null {
    return this.#state$.value;
  }

  /** Every state the server sends, in order (the current one first on subscribe, if any). */
  get state$(): Observable<CanaryState | null> {
    return this.#state$.asObservable();
  }

  /** The rollout's decisions as the server publishes them. */
  get decisions$(): Observable<ReportDecision> {
    return this.#decisions$.asObservable();
  }

  /** The server's answer to each report. */
  get outcomes$(): Observable<ReportOutcome> {
    return this.#outcomes$.asObservable();
  }

  get status$(): Observable<AgentStatus> {
    return this.#status$.asObservable();
  }

  get connected(): boolean {
    return this.#ready;
  }

  get stats(): AgentStats {
    return { ...this.#stats, pending: this.#outbox.size };
  }

  /**
   * Queues a report (journaled first, with an outbox path) and returns its report id.
   * @throws Error after `close()`.
   */
  report(report: BotReport): string {
    if (this.#closed) throw new Error('the agent is closed: report() after close()');
    const reportId = this.#outbox.add(report);
    this.#stats.reported++;
    this.#unsent.push(reportId);
    this.#pump();
    return reportId;
  }

  /** Event time the bot's market data reached, ms (best effort: only the latest is kept). */
  clock(tsMs: number): void {
    this.#clockMs = Math.max(this.#clockMs ?? tsMs, tsMs);
    this.#pump();
  }

  /** A market event for the server's marks (best effort: the latest per symbol is kept). */
  market(event: MarketEvent): void {
    this.#marks.set(event.symbol, event);
    this.#pump();
  }

  /**
   * Resolves once every report made so far is answered (rejects after `timeoutMs` if the server
   * stays away, or at once when the agent is refused or closed).
   */
  flush(timeoutMs = 30_000): Promise<void> {
    const ids = new Set([...this.#outbox.pending()].map((e) => e.reportId));
    if (ids.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: FlushWaiter = {
        ids,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`${waiter.ids.size} reports still unanswered after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Disconnects for good; unacknowledged reports stay in the outbox journal, if any. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#ready = false;
    this.#failWaiters(new Error('the agent was closed'));
    if (this.#pumpTimer !== null) clearTimeout(this.#pumpTimer);
    await this.#transport.close();
    this.#state$.complete();
    this.#decisions$.complete();
    this.#outcomes$.complete();
    this.#status$.complete();
  }

  #onFrame(frame: ServerFrame): void {
    if (this.#closed) return;
    switch (frame.type) {
      case 'state':
        this.#onState(frame.state, true);
        if (!this.#ready) {
          this.#ready = true;
          this.#stats.connections++;
          // Everything not acknowledged goes again, oldest first; the server drops repeats.
          this.#unsent = [...this.#outbox.pending()].map((e) => e.reportId);
          this.#inFlight = 0;
          this.#status$.next({ type: 'connected', replaying: this.#unsent.length });
          this.#pump();
        }
        return;
      case 'decision':
        this.#decisions$.next(frame.decision);
        return;
      case 'ack':
        this.#settle(frame.reportId, {
          accepted: frame.accepted,
          repeated: frame.repeated === true,
          ...(frame.rejection === undefined ? {} : { rejection: frame.rejection }),
        });
        return;
      case 'error':
        if (frame.reportId === undefined) return;
        if (frame.code === 'COMMAND_FAILED' && this.#outbox.get(frame.reportId) !== undefined) {
          const failures = (this.#commandFailures.get(frame.reportId) ?? 0) + 1;
          this.#commandFailures.set(frame.reportId, failures);
          if (failures >= MAX_COMMAND_FAILURES) {
            // The server stays up and the canary keeps throwing on this report: answered as
            // refused (the bot sees why in outcomes$), so the reports after it go on.
            this.#settle(frame.reportId, {
              accepted: false,
              repeated: false,
              rejection: {
                code: 'INVALID',
                message: `COMMAND_FAILED ${failures} times, given up: ${frame.message}`,
              },
            });
            return;
          }
        }
        if (frame.code === 'RATE_LIMITED' || frame.code === 'COMMAND_FAILED') {
          // Not recorded, for a passing reason (the rate; a canary closing as the server stops):
          // the report stays pending and order can no longer be trusted in this session, so
          // start another (with the transport's backoff), which replays.
          this.#ready = false;
          this.#transport.restart(`${frame.code}: reconnecting to replay in order`);
          return;
        }
        this.#settle(frame.reportId, {
          accepted: false,
          repeated: false,
          // BAD_MESSAGE, FORBIDDEN: sending the same report again would fail the same way, so
          // it is answered (refused) rather than retried forever.
          rejection: { code: 'INVALID', message: `${frame.code}: ${frame.message}` },
        });
        return;
      default:
        return;
    }
  }

  #onDown(status: Exclude<AgentStatus, { type: 'connected' }>): void {
    this.#ready = false;
    if (this.#closed) return;
    if (status.type === 'refused') {
      this.#failWaiters(new Error(`the server refused this agent: ${status.message}`));
    }
    this.#status$.next(status);
  }

  #onState(state: CanaryState, heard: boolean): void {
    const last = this.#state$.value;
    if (
      heard &&
      (last === null || last.status !== state.status || last.weightPct !== state.weightPct)
    ) {
      this.#outbox.recordState(state);
    }
    syncRouter(this.#router, { weightBps: weightPctToBps(state.weightPct), status: state.status });
    this.#state$.next(state);
  }

  #settle(
    reportId: string,
    outcome: { accepted: boolean; repeated: boolean; rejection?: ReportRejection },
  ): void {
    const report = this.#outbox.get(reportId);
    if (report === undefined || !this.#outbox.settle(reportId)) return;
    this.#commandFailures.delete(reportId);
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (outcome.repeated) this.#stats.repeated++;
    if (outcome.accepted) this.#stats.accepted++;
    else this.#stats.refused++;
    this.#outcomes$.next({ reportId, report, ...outcome });
    for (const waiter of this.#waiters) {
      waiter.ids.delete(reportId);
      if (waiter.ids.size > 0) continue;
      this.#waiters.delete(waiter);
      waiter.done();
    }
    this.#pump();
  }

  /** Sends what may go now: reports in order, then the latest clock and marks. */
  #pump(): void {
    if (!this.#ready || this.#pumpTimer !== null) return;
    const transport = this.#transport;
    while (this.#unsent.length > 0 && this.#inFlight < this.#maxInFlight) {
      if (!this.#bucket.take(Date.now())) return this.#retryPump();
      const reportId = this.#unsent.shift() as string;
      const report = this.#outbox.get(reportId);
      if (report === undefined) continue;
      transport.send({ type: 'report', reportId, report });
      this.#inFlight++;
    }
    if (this.#unsent.length > 0) return; // an acknowledgement pumps again
    for (const [symbol, event] of this.#marks) {
      if (!this.#bucket.take(Date.now())) return this.#retryPump();
      transport.send({ type: 'market', event });
      this.#marks.delete(symbol);
    }
    if (this.#clockMs !== null) {
      if (!this.#bucket.take(Date.now())) return this.#retryPump();
      transport.send({ type: 'clock', tsMs: this.#clockMs });
      this.#clockMs = null;
    }
  }

  #failWaiters(error: Error): void {
    for (const waiter of this.#waiters) waiter.fail(error);
    this.#waiters.clear();
  }

  #retryPump(): void {
    this.#pumpTimer = setTimeout(() => {
      this.#pumpTimer = null;
      this.#pump();
    }, PUMP_RETRY_MS);
  }
}
