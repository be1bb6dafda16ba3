import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Arm } from '../core/arm.js';
import type { Canary } from '../embed/create-canary.js';
import { REPORT_REJECTION_CODES } from '../embed/report-rejection.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import type { ArmMetrics, MetricsSnapshot } from '../metrics/index.js';
import type { RolloutStatus } from '../rollout/index.js';
import { CLIENT_ROLES, type ClientRole } from '../protocol/index.js';
import type { ServerErrorCode } from '../protocol/index.js';

const ARMS: readonly Arm[] = ['stable', 'canary'];

const STATUSES: readonly RolloutStatus[] = ['pending', 'shadow', 'step', 'promoted', 'rolled_back'];

/** What the server counts, read for the gauges at scrape time. */
export interface ServerGaugeSource {
  connections(): Readonly<Record<ClientRole | 'pending', number>>;
  bufferedBytes(): number;
}

/**
 * The server's Prometheus metrics (docs/server.md, "Metrics"), in a registry of its own (not
 * prom-client's global one), so several servers in one process do not collide. Prometheus's
 * conventions: every name starts `strategy_canary_`, quantities in base units (seconds, bytes,
 * ratios rather than percent or basis points), counters end `_total`, `_info` gauges carry the
 * versions, per-arm series are labelled `arm` and `version`, and no label is ever an account.
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
  /** The latest per-arm statistics the rollout sampled (the per-arm gauges read it). */
  #snapshot: MetricsSnapshot | null = null;

  constructor(canary: Canary, source: ServerGaugeSource, options: { processMetrics: boolean }) {
    const registers = [this.registry];
    const versions = canary.versions;
    const armLabels = (arm: Arm): { arm: Arm; version: string } => ({
      arm,
      version: versions[arm],
    });
    new Gauge({
      name: 'strategy_canary_info',
      help: 'The tool: its version and the Node.js it runs on (always 1).',
      labelNames: ['version', 'node_version'],
      registers,
    }).set({ version: TOOL_VERSION, node_version: process.versions.node }, 1);
    const armInfo = new Gauge({
      name: 'strategy_canary_arm_info',
      help: 'The strategy version each arm runs (always 1).',
      labelNames: ['arm', 'version'],
      registers,
    });
    for (const arm of ARMS) armInfo.set(armLabels(arm), 1);
    new Gauge({
      name: 'strategy_canary_weight_ratio',
      help: 'Share of the accounts routed to the canary arm, 0 to 1.',
      registers,
      collect() {
        this.set(canary.state.weightPct / 100);
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
    new Counter({
      name: 'strategy_canary_report_rejections_total',
      help: 'Reports the canary refused since it was opened (every source), by code.',
      labelNames: ['code'],
      registers,
      collect() {
        const counts = canary.rejections;
        this.reset();
        for (const code of REPORT_REJECTION_CODES) this.inc({ code }, counts[code]);
      },
    });
    const recorded = (name: string, help: string, pick: (arm: Arm) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['arm', 'version'],
        registers,
        collect() {
          this.reset();
          for (const arm of ARMS) this.inc(armLabels(arm), pick(arm));
        },
      });
    };
    recorded(
      'strategy_canary_orders_total',
      'Orders recorded, by the arm they were made on.',
      (arm) => canary.recorded[arm].orders,
    );
    recorded(
      'strategy_canary_fills_total',
      'Fills recorded, by the arm they were made on.',
      (arm) => canary.recorded[arm].fills,
    );
    recorded(
      'strategy_canary_rejects_total',
      'Rejects recorded, by the arm they were made on.',
      (arm) => canary.recorded[arm].rejects,
    );
    const latest = (): MetricsSnapshot | null => this.#snapshot;
    const sampled = (
      name: string,
      help: string,
      values: (metrics: ArmMetrics) => readonly [quantile: string | null, value: number | null][],
    ): void => {
      new Gauge({
        name,
        help,
        labelNames: ['arm', 'version', 'quantile'],
        registers,
        collect() {
          this.reset();
          const snapshot = latest();
          if (snapshot === null) return;
          for (const arm of ARMS) {
            for (const [quantile, value] of values(snapshot.arms[arm])) {
              if (value === null || !Number.isFinite(value)) continue;
              this.set(quantile === null ? armLabels(arm) : { ...armLabels(arm), quantile }, value);
            }
          }
        },
      });
    };
    sampled(
      'strategy_canary_fill_latency_seconds',
      'Decision-to-fill latency of the fills so far, by quantile (the latest sample).',
      (m) => [
        ['0.5', msToSeconds(m.latencyMs.p50)],
        ['0.99', msToSeconds(m.latencyMs.p99)],
      ],
    );
    sampled(
      'strategy_canary_slippage_ratio',
      'Slippage of the fills so far against the decision price, positive = worse, by quantile.',
      (m) => [
        ['0.5', bpsToRatio(m.slippageBps.p50)],
        ['0.95', bpsToRatio(m.slippageBps.p95)],
      ],
    );
    sampled(
      'strategy_canary_equity',
      "The arm's equity, quote currency (the latest sample).",
      (m) => [[null, m.equity]],
    );
    sampled(
      'strategy_canary_return_ratio',
      "The arm's time-weighted return since the start.",
      (m) => [[null, m.returnPct / 100]],
    );
    sampled(
      'strategy_canary_max_drawdown_ratio',
      "The arm's largest peak-to-trough fall of its time-weighted value.",
      (m) => [[null, m.maxDrawdownPct / 100]],
    );
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

  /** The rollout's latest per-arm statistics, for the per-arm gauges. */
  sampled(snapshot: MetricsSnapshot): void {
    this.#snapshot = snapshot;
  }
}

function msToSeconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

function bpsToRatio(bps: number | null): number | null {
  return bps === null ? null : bps / 10_000;
}
