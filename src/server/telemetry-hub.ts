import type { Subscription } from 'rxjs';
import type { Decision } from '../core/decision.js';
import type { Canary } from '../embed/create-canary.js';
import type { CanaryState } from '../rollout/index.js';
import type { AssignmentChange } from '../embed/embedded-books.js';
import type { ArmMetrics, MetricsSnapshot } from '../metrics/index.js';
import { reportDecisionOf, type ReportDecision } from '../report/report-json.js';
import type { ClientConnection } from './client-connection.js';
import { sameState } from './same-state.js';
import type { MetricsFrame, ServerFrame, StateFrame } from '../protocol/index.js';
import type { ServerMetrics } from './server-metrics.js';

/** Decisions a hub keeps for clients that join late (the dashboard's log): the latest 100. */
export const RECENT_DECISIONS = 100;

/** Options of {@link TelemetryHub}. */
export interface TelemetryHubOptions {
  /** At most one metrics frame per this many wall-clock ms (the latest one; 0: every snapshot). */
  readonly metricsIntervalMs: number;
  /** How often the state is compared with the last one sent, wall-clock ms. */
  readonly statePollMs: number;
  readonly now: () => number;
  /** Decisions taken before the hub (a resumed rollout's), oldest first: the log starts with them. */
  readonly earlierDecisions: readonly Decision[];
}

/**
 * The canary's streams, numbered and fanned out: every `decision`, `assignment` and `state`
 * change, and sampled `metrics`, get the next `seq` (one counter per server) and go to every
 * client that said `hello`, each frame encoded once. Agents get no metrics frames.
 *
 * The canary has no state stream, so the state is compared with the last one sent after each
 * decision, before each assignment, after every message the server handles, and every
 * `statePollMs` (which catches commands the host process gives the canary directly). So a
 * decision's `state` follows it, and precedes the `assignment`s it causes.
 */
export class TelemetryHub {
  readonly #canary: Canary;
  readonly #metrics: ServerMetrics;
  readonly #options: TelemetryHubOptions;
  readonly #clients = new Set<ClientConnection>();
  readonly #subscriptions: Subscription[] = [];
  #seq = 0;
  #lastDecision: ReportDecision | null = null;
  /** The latest {@link RECENT_DECISIONS} decisions, oldest first. */
  readonly #recentDecisions: ReportDecision[] = [];
  readonly #listeners = new Set<(frame: ServerFrame) => void>();
  #lastState: CanaryState;
  #lastMetricsAtMs = Number.NEGATIVE_INFINITY;
  #pendingMetrics: MetricsSnapshot | null = null;
  #metricsTimer: NodeJS.Timeout | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #checkQueued = false;

  constructor(canary: Canary, metrics: ServerMetrics, options: TelemetryHubOptions) {
    this.#canary = canary;
    this.#metrics = metrics;
    this.#options = options;
    this.#lastState = canary.state;
    for (const decision of options.earlierDecisions.slice(-RECENT_DECISIONS))
      this.#recentDecisions.push(reportDecisionOf(decision));
    this.#lastDecision = this.#recentDecisions.at(-1) ?? null;
  }

  /** The last `seq` given out (0 before any). */
  get seq(): number {
    return this.#seq;
  }

  get clients(): ReadonlySet<ClientConnection> {
    return this.#clients;
  }

  start(): void {
    const c = this.#canary;
    this.#subscriptions.push(
      c.decisions$.subscribe((decision) => this.#onDecision(decision)),
      c.assignments$.subscribe((change) => this.#onAssignment(change)),
      c.metrics$.subscribe((snapshot) => this.#onMetrics(snapshot)),
    );
    this.#pollTimer = setInterval(() => this.checkState(), this.#options.statePollMs);
    this.#pollTimer.unref();
  }

  stop(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions.length = 0;
    if (this.#pollTimer !== null) clearInterval(this.#pollTimer);
    if (this.#metricsTimer !== null) clearTimeout(this.#metricsTimer);
    this.#clients.clear();
  }

  /** A client said `hello`: it gets the current state now (as of the last seq), then the rest. */
  add(client: ClientConnection): void {
    this.checkState();
    const frame: StateFrame = { type: 'state', seq: this.#seq, state: this.#lastState };
    this.#clients.add(client);
    client.send(frame);
  }

  remove(client: ClientConnection): void {
    this.#clients.delete(client);
  }

  /** Sends a `state` frame to everyone if the canary's state differs from the last one sent. */
  checkState(): void {
    const state = this.#canary.state;
    if (sameState(state, this.#lastState)) return;
    this.#lastState = state;
    this.#broadcast({ type: 'state', seq: ++this.#seq, state }, true);
  }

  /** The latest decision taken (null before any), as its frame carries it. */
  get lastDecision(): ReportDecision | null {
    return this.#lastDecision;
  }

  /** The latest {@link RECENT_DECISIONS} decisions, oldest first: a dashboard's log when it opens. */
  get recentDecisions(): readonly ReportDecision[] {
    return this.#recentDecisions;
  }

  #onDecision(decision: Decision): void {
    this.#metrics.decisions.inc({ action: decision.action, disposition: decision.disposition });
    this.#lastDecision = reportDecisionOf(decision);
    this.#recentDecisions.push(this.#lastDecision);
    if (this.#recentDecisions.length > RECENT_DECISIONS) this.#recentDecisions.shift();
    this.#broadcast({ type: 'decision', seq: ++this.#seq, decision: this.#lastDecision }, true);
    this.checkState();
    this.#queueCheck();
  }

  #onAssignment(assignment: AssignmentChange): void {
    this.checkState(); // the weight that moved the account goes out before the move
    this.#broadcast({ type: 'assignment', seq: ++this.#seq, assignment }, true);
    this.#queueCheck();
  }

  #onMetrics(snapshot: MetricsSnapshot): void {
    this.#metrics.sampled(snapshot);
    const interval = this.#options.metricsIntervalMs;
    const now = this.#options.now();
    const waitMs = this.#lastMetricsAtMs + interval - now;
    if (interval <= 0 || snapshot.final || waitMs <= 0) {
      this.#sendMetrics(snapshot, now);
      return;
    }
    this.#pendingMetrics = snapshot;
    if (this.#metricsTimer === null) {
      this.#metricsTimer = setTimeout(() => {
        this.#metricsTimer = null;
        const pending = this.#pendingMetrics;
        if (pending !== null) this.#sendMetrics(pending, this.#options.now());
      }, waitMs);
      this.#metricsTimer.unref();
    }
  }

  #sendMetrics(snapshot: MetricsSnapshot, nowMs: number): void {
    this.#pendingMetrics = null;
    if (this.#metricsTimer !== null) {
      clearTimeout(this.#metricsTimer);
      this.#metricsTimer = null;
    }
    this.#lastMetricsAtMs = nowMs;
    const frame: MetricsFrame = {
      type: 'metrics',
      seq: ++this.#seq,
      snapshot: {
        tsUs: snapshot.tsUs,
        final: snapshot.final,
        arms: {
          stable: withoutDetail(snapshot.arms.stable),
          canary: withoutDetail(snapshot.arms.canary),
        },
      },
    };
    this.#broadcast(frame, false);
  }

  /** After the synchronous burst of a decision (its assignments, its transition), compare again. */
  #queueCheck(): void {
    if (this.#checkQueued) return;
    this.#checkQueued = true;
    queueMicrotask(() => {
      this.#checkQueued = false;
      this.checkState();
    });
  }

  /**
   * Calls `listener` with every frame broadcast from now on (another transport's clients: the
   * NATS fleet publishes them); returns the function that stops it.
   */
  onFrame(listener: (frame: ServerFrame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The state frame a client that joins now gets first. */
  get stateFrame(): StateFrame {
    return { type: 'state', seq: this.#seq, state: this.#lastState };
  }

  #broadcast(frame: ServerFrame, essential: boolean): void {
    for (const listener of this.#listeners) listener(frame);
    if (this.#clients.size === 0) return;
    const data = Buffer.from(JSON.stringify(frame));
    for (const client of this.#clients) {
      if (!essential && client.role === 'agent') continue;
      client.sendEncoded(data, frame.type, essential);
    }
  }
}

function withoutDetail(arm: ArmMetrics): ArmMetrics {
  if (arm.detail === undefined) return arm;
  const { detail: _detail, ...rest } = arm;
  return rest;
}
