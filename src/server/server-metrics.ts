import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Canary } from '../embed/create-canary.js';
import type { ReportRejectionCode } from '../embed/report-rejection.js';
import type { RolloutStatus } from '../rollout/index.js';
import { CLIENT_ROLES, type ClientRole } from '../protocol/index.js';
import type { ServerErrorCode } from '../protocol/index.js';

const STATUSES: readonly RolloutStatus[] = ['pending', 'shadow', 'step', 'promoted', 'rolled_back'];

/** What the server counts, read for the gauges at scrape time. */
export interface ServerGaugeSource {
  connections(): Readonly<Record<ClientRole | 'pending', number>>;
  bufferedBytes(): number;
}

/**
 * The server's Prometheus metrics (docs/server.md, "Metrics"), in a registry of its own (not
 * prom-client's global one), so several servers in one process do not collide.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly decisions: Counter<'action' | 'disposition'>;
  readonly reports: Counter<'result'>;
  readonly framesSent: Counter<'type'>;
  readonly framesDropped: Counter<'type'>;
  readonly slowConsumersClosed: Counter;
  readonly errors: Counter<'code'>;
  readonly messages: Counter<'role' | 'type'>;

  constructor(canary: Canary, source: ServerGaugeSource, options: { processMetrics: boolean }) {
    const registers = [this.registry];
    new Gauge({
      name: 'strategy_canary_weight_pct',
      help: 'Share of the accounts routed to the canary arm, percent.',
      registers,
      collect() {
        this.set(canary.state.weightPct);
      },
    });
    new Gauge({
      name: 'strategy_canary_rollout_status',
      help: 'The rollout status: 1 for the current one, 0 for the others.',
      labelNames: ['status'],
      registers,
      collect() {
        const now = canary.state.status;
        for (const status of STATUSES) this.set({ status }, status === now ? 1 : 0);
      },
    });
    new Gauge({
      name: 'strategy_canary_halted',
      help: '1 while an operator halt stops automatic advances.',
      registers,
      collect() {
        this.set(canary.state.halted ? 1 : 0);
      },
    });
    new Gauge({
      name: 'strategy_canary_step_index',
      help: 'The plan step (0-based), -1 before the rollout starts.',
      registers,
      collect() {
        this.set(canary.state.stepIndex ?? -1);
      },
    });
    new Gauge({
      name: 'strategy_canary_report_rejections',
      help: 'Reports the canary refused since it was opened (every source), by code.',
      labelNames: ['code'],
      registers,
      collect() {
        const counts = canary.rejections;
        for (const code of Object.keys(counts) as ReportRejectionCode[]) {
          this.set({ code }, counts[code]);
        }
      },
    });
    new Gauge({
      name: 'strategy_canary_connections',
      help: 'Open websocket connections by role (pending: before hello).',
      labelNames: ['role'],
      registers,
      collect() {
        const counts = source.connections();
        for (const role of [...CLIENT_ROLES, 'pending' as const]) this.set({ role }, counts[role]);
      },
    });
    new Gauge({
      name: 'strategy_canary_buffered_bytes',
      help: 'Bytes waiting to be sent to the clients, all connections.',
      registers,
      collect() {
        this.set(source.bufferedBytes());
      },
    });
    this.decisions = new Counter({
      name: 'strategy_canary_decisions_total',
      help: 'Decisions seen since the server started, by action and disposition.',
      labelNames: ['action', 'disposition'],
      registers,
    });
    this.reports = new Counter({
      name: 'strategy_canary_agent_reports_total',
      help: 'Agent reports by result: recorded, refused (by the canary), repeated (idempotent replay).',
      labelNames: ['result'],
      registers,
    });
    this.framesSent = new Counter({
      name: 'strategy_canary_frames_sent_total',
      help: 'Frames sent to clients, by type.',
      labelNames: ['type'],
      registers,
    });
    this.framesDropped = new Counter({
      name: 'strategy_canary_frames_dropped_total',
      help: 'Frames not sent to a slow client (only metrics frames are ever dropped), by type.',
      labelNames: ['type'],
      registers,
    });
    this.slowConsumersClosed = new Counter({
      name: 'strategy_canary_slow_consumers_closed_total',
      help: 'Clients closed (1013) because their unsent frames passed the hard bound.',
      registers,
    });
    this.errors = new Counter({
      name: 'strategy_canary_client_errors_total',
      help: 'Error frames sent to clients, by code.',
      labelNames: ['code'],
      registers,
    });
    this.messages = new Counter({
      name: 'strategy_canary_messages_received_total',
      help: 'Messages received from clients after hello, by role and type.',
      labelNames: ['role', 'type'],
      registers,
    });
    for (const result of ['recorded', 'refused', 'repeated']) this.reports.inc({ result }, 0);
    this.framesDropped.inc({ type: 'metrics' }, 0);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts an error frame. */
  error(code: ServerErrorCode): void {
    this.errors.inc({ code });
  }
}
