import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  AGENT_HEADER,
  fleetSubjects,
  parseServerFrame,
  type FleetSubjects,
} from '../protocol/index.js';
import type { AgentMessage, AgentTransport, AgentTransportEvents } from './agent-transport.js';

/** Options of {@link NatsAgentTransport}. */
export interface NatsAgentTransportOptions {
  /** The NATS server(s), e.g. `nats://127.0.0.1:4222`. */
  readonly url: string | readonly string[];
  /** The rollout's name on NATS (the controller's: `serve --salt`). */
  readonly rollout: string;
  /** The agent's stable id (its reports' message ids and its ack subject). */
  readonly agentId: string;
  /** Between two attempts to reach the server, ms (default 250). */
  readonly reconnectWaitMs?: number;
}

/**
 * An agent on NATS JetStream (docs/server.md, "Fleet on NATS"): each report is published to the
 * rollout's report stream, on its account's subject, with the message id `AGENT:REPORT-ID` (the
 * stream keeps one copy of a report sent twice) and the agent in a header; the controller's
 * answers come on the agent's ack subject, the rollout's frames on its frames subject. A session
 * starts from the latest state in the key-value bucket (read at every (re)connection) and ends
 * when the connection to NATS is lost; the client reconnects by itself, forever.
 */
export class NatsAgentTransport implements AgentTransport {
  readonly #options: NatsAgentTransportOptions;
  readonly #subjects: FleetSubjects;
  readonly #encoder = new TextEncoder();
  #events: AgentTransportEvents | null = null;
  #nc: NatsConnection | null = null;
  #js: JetStreamClient | null = null;
  #kv: KV | null = null;
  #subscriptions: Subscription[] = [];
  #up = false;
  #closed = false;
  #starting: Promise<void> | null = null;

  constructor(options: NatsAgentTransportOptions) {
    this.#options = options;
    this.#subjects = fleetSubjects(options.rollout);
  }

  start(events: AgentTransportEvents): void {
    this.#events = events;
    this.#starting = this.#connect().catch(() => {
      if (!this.#closed) events.down({ type: 'refused', message: 'cannot reach NATS' });
    });
  }

  send(message: AgentMessage): void {
    const nc = this.#nc;
    const js = this.#js;
    if (nc === null || js === null || !this.#up) return;
    const body = this.#encoder.encode(JSON.stringify(message));
    switch (message.type) {
      case 'report': {
        const h = headers();
        h.set(AGENT_HEADER, this.#options.agentId);
        // Not awaited: the controller's ack is the answer; a publish lost with the connection is
        // sent again when the next session replays what was not acknowledged.
        const report = message.report;
        const account = 'accountId' in report ? report.accountId : `_${report.type}`;
        const reportId = message.reportId;
        js.publish(this.#subjects.reports(account), body, {
          msgID: `${this.#options.agentId}:${reportId}`,
          headers: h,
        })
          .then(async (stored) => {
            // The stream had it: its answer may have gone out while this agent was away.
            if (stored.duplicate) await this.#askAnswer(reportId);
          })
          .catch(() => {});
        return;
      }
      case 'market':
        nc.publish(this.#subjects.market, body);
        return;
      case 'clock':
        nc.publish(this.#subjects.clock, body);
        return;
    }
  }

  restart(_reason: string): void {
    // No session-order to repair on NATS (the stream orders the reports): start a new session
    // from the latest state, which replays what was not acknowledged.
    this.#sessionDown(0, 'restart');
    void this.#sessionUp();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#up = false;
    await this.#starting;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    await this.#nc?.close();
  }

  async #connect(): Promise<void> {
    const nc = await connect({
      servers: typeof this.#options.url === 'string' ? this.#options.url : [...this.#options.url],
      maxReconnectAttempts: -1,
      reconnectTimeWait: this.#options.reconnectWaitMs ?? 250,
      waitOnFirstConnect: true,
      name: `strategy-canary agent ${this.#options.agentId}`,
    });
    if (this.#closed) {
      await nc.close();
      return;
    }
    this.#nc = nc;
    this.#js = jetstream(nc);
    this.#subscriptions = [
      nc.subscribe(this.#subjects.acks(this.#options.agentId), {
        callback: (error, message) => {
          if (error === null) this.#onFrame(message.string());
        },
      }),
      nc.subscribe(this.#subjects.frames, {
        callback: (error, message) => {
          if (error === null) this.#onFrame(message.string());
        },
      }),
    ];
    void this.#watchStatus(nc);
    await this.#sessionUp();
  }

  /** Asks the controller for the answer it gave to `reportId`, and delivers it if there is one. */
  async #askAnswer(reportId: string): Promise<void> {
    const nc = this.#nc;
    if (nc === null || this.#closed) return;
    const reply = await nc.request(
      this.#subjects.answers,
      this.#encoder.encode(JSON.stringify({ agentId: this.#options.agentId, reportId })),
      { timeout: 5000 },
    );
    const text = reply.string();
    if (text !== 'null') this.#onFrame(text);
  }

  /** Reads the latest state (a session starts with it), or waits for the next state frame. */
  async #sessionUp(): Promise<void> {
    const nc = this.#nc;
    if (nc === null || this.#closed) return;
    try {
      this.#kv ??= await new Kvm(nc).open(this.#subjects.stateBucket);
      const entry = await this.#kv.get(this.#subjects.stateKey);
      if (entry === null || this.#closed) return;
      const parsed = parseServerFrame(entry.string());
      if (!parsed.ok) return this.#events?.badFrame(parsed.error);
      this.#up = true;
      this.#events?.frame(parsed.frame);
    } catch {
      // no bucket yet (no controller has started): the first state frame starts the session
    }
  }

  #onFrame(text: string): void {
    const events = this.#events;
    if (events === null || this.#closed) return;
    const parsed = parseServerFrame(text);
    if (!parsed.ok) return events.badFrame(parsed.error);
    if (parsed.frame.type === 'state') this.#up = true;
    if (this.#up) events.frame(parsed.frame);
  }

  #sessionDown(code: number, reason: string): void {
    const wasUp = this.#up;
    this.#up = false;
    if (wasUp && !this.#closed) this.#events?.down({ type: 'disconnected', code, reason });
  }

  async #watchStatus(nc: NatsConnection): Promise<void> {
    let attempt = 0;
    for await (const status of nc.status()) {
      if (this.#closed) return;
      if (status.type === 'disconnect') {
        this.#sessionDown(0, 'NATS connection lost');
      } else if (status.type === 'reconnecting') {
        this.#events?.down({ type: 'reconnecting', attempt: ++attempt, delayMs: 0 });
      } else if (status.type === 'reconnect') {
        attempt = 0;
        await this.#sessionUp();
      }
    }
  }
}
