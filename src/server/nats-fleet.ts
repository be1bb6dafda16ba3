import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  jetstream,
  jetstreamManager,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import {
  connect,
  headers,
  nanos,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import type { Canary } from '../embed/create-canary.js';
import {
  AGENT_HEADER,
  fleetSubjects,
  parseClientMessage,
  type ClientMessage,
  type CommandMessage,
  type FleetSubjects,
  type ResultFrame,
  type ServerFrame,
} from '../protocol/index.js';
import { ControllerLease } from './controller-lease.js';
import type { MessageHandler } from './message-handler.js';
import type { TelemetryHub } from './telemetry-hub.js';

/** Where a controller of the fleet on NATS stands (`/health`'s `fleet`). */
export interface FleetStatus {
  /** `leader`: it speaks for the rollout; `standby`: it applies the log and waits for the lease. */
  readonly role: 'leader' | 'standby';
  readonly controllerId: string;
  /** The last log message applied (its stream sequence; 0 before any). */
  readonly appliedSeq: number;
  /** Log messages the canary threw on (a bad event, time or report): skipped, not retried. */
  readonly refused: number;
}

/** The fleet on NATS of a running server. */
export interface NatsFleet {
  readonly status: FleetStatus;
  close(): Promise<void>;
}

/** Options of {@link startNatsFleet}. */
export interface NatsFleetOptions {
  readonly url: string;
  readonly canary: Canary;
  readonly handler: MessageHandler;
  readonly hub: TelemetryHub;
  /** The rollout's name on NATS (default: its salt). */
  readonly rollout: string;
  /** How long the leader's lease lasts without renewal, ms (default 5000). */
  readonly leaseMs?: number;
  /** This controller's id (default: host, process id and a random part). */
  readonly controllerId?: string;
  /** Told when this controller becomes the leader or stops being it. */
  readonly onRoleChange?: (role: FleetStatus['role']) => void;
  /** Told of each log message the canary threw on (it is skipped; `status.refused` counts it). */
  readonly onRefused?: (why: string) => void;
}

/** The default lease: a standby takes over within this long of the leader's death, ms. */
export const DEFAULT_LEASE_MS = 5000;
/** The header that names the controller an operator's command came through. */
const CONTROLLER_HEADER = 'Strategy-Canary-Controller';
/** How long an operator's command may take to go through the log, ms. */
const COMMAND_TIMEOUT_MS = 10_000;
/** Log messages read at once, and how long a read waits for the first, ms (the client's least). */
const FETCH_BATCH = 500;
const FETCH_WAIT_MS = 1000;
/** Reports a stream keeps one copy of when sent twice within this window, ms. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

async function ensureLog(jsm: JetStreamManager, subjects: FleetSubjects): Promise<void> {
  try {
    await jsm.streams.info(subjects.stream);
  } catch {
    try {
      await jsm.streams.add({
        name: subjects.stream,
        subjects: [subjects.streamSubjects],
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      });
    } catch (error) {
      // Another controller made it in between: fine if it is there now.
      await jsm.streams.info(subjects.stream).catch(() => {
        throw error;
      });
    }
  }
}

/**
 * The log of a rollout name belongs to one rollout (its plan, versions, salt and accounts: its
 * id): a controller of another rollout under the same name would apply a log that is not its
 * own, so it is refused.
 */
async function claimLog(kv: KV, subjects: FleetSubjects, rolloutId: string): Promise<void> {
  const key = `${subjects.stateKey}-rollout`;
  try {
    await kv.create(key, rolloutId);
    return;
  } catch {
    // claimed already: by this rollout (another controller, or this one before a restart)?
  }
  const owner = (await kv.get(key))?.string();
  if (owner === undefined || owner === rolloutId) return;
  throw new Error(
    `the log of "${subjects.stateKey}" belongs to another rollout (id ${owner.slice(0, 16)}…, this one is ${rolloutId.slice(0, 16)}…: other versions, plan or accounts): give this rollout its own salt, or purge the old one's messages (subjects ${subjects.log.replace('.log.>', '.>')} of stream ${subjects.stream}) and the key ${key} of bucket ${subjects.stateBucket}`,
  );
}

async function bucket(nc: NatsConnection, name: string, ttlMs?: number): Promise<KV> {
  const kvm = new Kvm(nc);
  try {
    return await kvm.create(name, { history: 1, ...(ttlMs === undefined ? {} : { ttl: ttlMs }) });
  } catch {
    return kvm.open(name); // made by another controller (with its own ttl)
  }
}

/**
 * Serves the rollout's fleet over NATS JetStream beside the websocket (docs/server.md, "Fleet on
 * NATS" and "Failover").
 *
 * Every controller applies the rollout's whole log (the stream of the agents' reports, market
 * events, event time and the operators' commands) in the stream's order, from its first message:
 * a controller that starts late, or restarts, catches up, and all of them hold the same books and
 * the same state (the canary decides on event time only). Reports are booked once per agent and
 * report id. The controller that holds the lease ({@link ControllerLease}) speaks: it answers each
 * report on the agent's ack subject, answers requests for answers missed, and publishes every
 * frame on the frames subject and the latest state in the state bucket. When it dies, a standby
 * takes the lease once the entry expires, and the agents ask it for the answers they are still
 * waiting for.
 */
export async function startNatsFleet(options: NatsFleetOptions): Promise<NatsFleet> {
  const subjects = fleetSubjects(options.rollout);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const controllerId =
    options.controllerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const nc: NatsConnection = await connect({
    servers: options.url,
    timeout: 10_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    name: `strategy-canary serve ${subjects.stateKey} ${controllerId}`,
  });
  const encoder = new TextEncoder();
  let js: JetStreamClient;
  let stateKv: KV;
  let leaseKv: KV;
  /** Whether the log has messages of this rollout already (a controller joining late). */
  let logHadMessages: boolean;
  try {
    const jsm = await jetstreamManager(nc);
    await ensureLog(jsm, subjects);
    const info = await jsm.streams.info(subjects.stream, { subjects_filter: subjects.log });
    logHadMessages = Object.keys(info.state.subjects ?? {}).length > 0;
    js = jetstream(nc);
    stateKv = await bucket(nc, subjects.stateBucket);
    leaseKv = await bucket(nc, subjects.leaseBucket, leaseMs);
    await claimLog(stateKv, subjects, options.canary.rolloutId);
  } catch (error) {
    await nc.close();
    throw error;
  }

  let appliedSeq = 0;
  let refused = 0;
  /** The log is applied up to where it was when this controller started (or further). */
  let caughtUp = !logHadMessages;
  let leaderNow = false;
  const publishState = (frame: ServerFrame): void => {
    stateKv.put(subjects.stateKey, JSON.stringify(frame)).catch(() => {});
  };
  const stopFrames = options.hub.onFrame((frame) => {
    if (!leaderNow || nc.isClosed()) return;
    nc.publish(subjects.frames, encoder.encode(JSON.stringify(frame)));
    if (frame.type === 'state') publishState(frame);
  });
  const lease = new ControllerLease({
    kv: leaseKv,
    key: subjects.leaseKey,
    id: controllerId,
    leaseMs,
    // A standby takes over only once it has applied the log (about) to its end.
    ready: () => caughtUp,
    onChange: (leader) => {
      leaderNow = leader;
      if (leader) {
        const frame = options.hub.stateFrame;
        nc.publish(subjects.frames, encoder.encode(JSON.stringify(frame)));
        publishState(frame);
      }
      options.onRoleChange?.(leader ? 'leader' : 'standby');
    },
  });

  /** Commands this controller put in the log, by stream sequence: their result goes back. */
  const waiting = new Map<number, (result: ResultFrame) => void>();
  /** Results of commands applied before their publisher heard its sequence. */
  const early = new Map<number, ResultFrame>();
  options.handler.routeCommands(async (message: CommandMessage) => {
    const h = headers();
    h.set(CONTROLLER_HEADER, controllerId);
    const stored = await js.publish(subjects.commands, encoder.encode(JSON.stringify(message)), {
      msgID: randomUUID(),
      timeout: COMMAND_TIMEOUT_MS,
      headers: h,
    });
    const done = early.get(stored.seq);
    if (done !== undefined) {
      early.delete(stored.seq);
      return done;
    }
    return new Promise<ResultFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(stored.seq);
        reject(new Error(`not applied within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      waiting.set(stored.seq, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  });
  const apply = (message: JsMsg): void => {
    appliedSeq = message.seq;
    // Within a read of the end: a standby that joined a busy rollout may lead (it answers what it
    // had not applied yet once it has: the agents ask again).
    if (message.info.pending < FETCH_BATCH) caughtUp = true;
    const parsed = parseClientMessage(message.string());
    if (!parsed.ok) return; // never valid: every controller skips it alike
    try {
      applyMessage(message, parsed.message);
    } catch (error) {
      // The canary changed nothing: the message is skipped and the log goes on at once.
      refused++;
      const why = error instanceof Error ? error.message : String(error);
      options.onRefused?.(`log message ${message.seq} (${parsed.message.type}) refused: ${why}`);
    }
  };
  const applyMessage = (message: JsMsg, m: ClientMessage): void => {
    switch (m.type) {
      case 'report': {
        const agentId = message.headers?.get(AGENT_HEADER) ?? '';
        if (agentId === '') return;
        const ack = options.handler.recordAgentReport(agentId, m);
        if (leaderNow) nc.publish(subjects.acks(agentId), encoder.encode(JSON.stringify(ack)));
        return;
      }
      case 'market':
        options.canary.onMarketEvent(m.event);
        break;
      case 'clock':
        options.canary.clock.advance(m.tsMs);
        break;
      case 'command': {
        if (!message.subject.endsWith('.log.commands')) return; // only operators' own subject
        const result = options.handler.applyCommand(m);
        const resolve = waiting.get(message.seq);
        if (resolve !== undefined) {
          waiting.delete(message.seq);
          resolve(result);
        } else if (message.headers?.get(CONTROLLER_HEADER) === controllerId) {
          early.set(message.seq, result);
          if (early.size > 1000) early.delete(early.keys().next().value ?? 0);
        }
        return;
      }
      case 'hello':
        return;
    }
    options.hub.checkState();
  };

  let closing = false;
  const follow = (async () => {
    while (!closing) {
      try {
        // An ordered consumer from the next message to apply: made again after any failure.
        const consumer = await js.consumers.get(subjects.stream, {
          filter_subjects: subjects.log,
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: appliedSeq + 1,
        });
        while (!closing) {
          const batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_WAIT_MS });
          for await (const message of batch) if (message.seq > appliedSeq) apply(message);
        }
      } catch {
        if (!closing) await new Promise((resolve) => setTimeout(resolve, 500)); // the server is away
      }
    }
  })();
  lease.start();

  const side: Subscription[] = [
    nc.subscribe(subjects.answers, {
      callback: (error, message) => {
        if (error !== null || !leaderNow) return; // a standby lets the leader answer
        let answers: unknown[] = [];
        try {
          const { agentId, reportIds } = JSON.parse(message.string()) as {
            agentId?: unknown;
            reportIds?: unknown;
          };
          if (
            typeof agentId === 'string' &&
            Array.isArray(reportIds) &&
            reportIds.every((id) => typeof id === 'string')
          )
            answers = options.handler.answersOf(agentId, reportIds);
        } catch {
          // not a request of ours: answered with none
        }
        message.respond(encoder.encode(JSON.stringify(answers)));
      },
    }),
  ];

  return {
    get status(): FleetStatus {
      return { role: leaderNow ? 'leader' : 'standby', controllerId, appliedSeq, refused };
    },
    close: async () => {
      closing = true;
      stopFrames();
      await lease.stop();
      await Promise.race([
        follow,
        new Promise((resolve) => setTimeout(resolve, 2 * FETCH_WAIT_MS)),
      ]);
      for (const subscription of side) subscription.unsubscribe();
      await nc.drain().catch(() => nc.close());
    },
  };
}
