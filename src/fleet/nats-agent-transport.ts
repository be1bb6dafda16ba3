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
  /**
   * A report unanswered this long is asked about (its answer may have been lost with a controller
   * that died), and published again if no controller has an answer for it, ms (default 2000).
   */
  readonly answerAfterMs?: number;
}

/** Reports asked about in one request. */
const ASK_BATCH = 500;

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
  /** Reports sent and not answered, by report id: the message and when it was last sent. */
  readonly #unanswered = new Map<string, { message: AgentMessage; sentAtMs: number }>();
  #askTimer: NodeJS.Timeout | null = null;
  #asking = false;

  constructor(options: NatsAgentTransportOptions) {
    this.#options = options;
    this.#subjects = fleetSubjects(options.rollout);
  }

  start(events: AgentTransportEvents): void {
    this.#events = events;
    const every = this.#options.answerAfterMs ?? 2000;
    this.#askTimer = setInterval(() => void this.#askUnanswered(every), every);
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
        this.#unanswered.set(reportId, { message, sentAtMs: Date.now() });
        js.publish(this.#subjects.reports(account), body, {
          msgID: `${this.#options.agentId}:${reportId}`,
          headers: h,
        })
          .then(async (stored) => {
            // The stream had it: its answer may have gone out while this agent was away.
            if (stored.duplicate) await this.#askAnswers([reportId]);
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
    if (this.#askTimer !== null) clearInterval(this.#askTimer);
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

  /**
   * Asks the leading controller for the answers it gave to `reportIds`, and delivers those it has;
   * returns the ids it had no answer for (none when no controller answered at all).
   */
  async #askAnswers(reportIds: readonly string[]): Promise<string[]> {
    const nc = this.#nc;
    if (nc === null || this.#closed) return [];
    const reply = await nc.request(
      this.#subjects.answers,
      this.#encoder.encode(JSON.stringify({ agentId: this.#options.agentId, reportIds })),
      { timeout: 5000 },
    );
    const answers: unknown = JSON.parse(reply.string());
    if (!Array.isArray(answers)) return [];
    const answered = new Set<string>();
    for (const answer of answers as unknown[]) {
      const text = JSON.stringify(answer);
      const parsed = parseServerFrame(text);
      if (parsed.ok && parsed.frame.type === 'ack') answered.add(parsed.frame.reportId);
      this.#onFrame(text);
    }
    return reportIds.filter((id) => !answered.has(id));
  }

  /**
   * Reports unanswered for `afterMs`: asked about (the controller that booked them may have died
   * before it answered, or the answer was lost), and those no controller has an answer for are
   * published again (the stream keeps one copy; the controllers book one).
   */
  async #askUnanswered(afterMs: number): Promise<void> {
    if (this.#asking || !this.#up || this.#closed) return;
    this.#asking = true;
    try {
      const before = Date.now() - afterMs;
      const stale = [...this.#unanswered].filter(([, s]) => s.sentAtMs <= before).map(([id]) => id);
      for (let i = 0; i < stale.length && this.#up; i += ASK_BATCH) {
        const missing = await this.#askAnswers(stale.slice(i, i + ASK_BATCH));
        for (const id of missing) {
          const sent = this.#unanswered.get(id);
          if (sent !== undefined) this.send(sent.message);
        }
      }
    } catch {
      // no controller answered (none leads now): asked again next round
    } finally {
      this.#asking = false;
    }
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
    if (parsed.frame.type === 'ack') this.#unanswered.delete(parsed.frame.reportId);
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
