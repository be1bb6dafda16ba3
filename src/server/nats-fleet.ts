import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Canary } from '../embed/create-canary.js';
import {
  AGENT_HEADER,
  fleetSubjects,
  parseClientMessage,
  type FleetSubjects,
  type ServerFrame,
} from '../protocol/index.js';
import type { MessageHandler } from './message-handler.js';
import type { TelemetryHub } from './telemetry-hub.js';

/** The fleet on NATS of a running server. */
export interface NatsFleet {
  close(): Promise<void>;
}

/** One wait for a report before the loop looks again (the client refuses less than 1 s), ms. */
const POLL_MS = 1000;

async function ensureReports(jsm: JetStreamManager, subjects: FleetSubjects): Promise<void> {
  try {
    await jsm.streams.info(subjects.stream);
  } catch {
    await jsm.streams.add({
      name: subjects.stream,
      subjects: [subjects.streamSubjects],
      duplicate_window: nanos(10 * 60_000),
    });
  }
  try {
    await jsm.consumers.info(subjects.stream, subjects.consumer);
  } catch {
    await jsm.consumers.add(subjects.stream, {
      durable_name: subjects.consumer,
      filter_subject: subjects.allReports,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(30_000),
    });
  }
}

/**
 * Serves the rollout's fleet over NATS JetStream beside the websocket (docs/server.md, "Fleet on
 * NATS"): takes the agents' reports from the stream with the rollout's durable consumer, books
 * each through the same path as a websocket report (once per agent and report id: a message the
 * stream gives again, or an agent sends again, is answered as repeated), answers on the agent's
 * ack subject and only then acknowledges the message; answers again on request a report the agent
 * missed the answer of (the stream drops its copy sent again as a duplicate); publishes every frame
 * on the frames subject and the latest state in the key-value bucket.
 */
export async function startNatsFleet(options: {
  readonly url: string;
  readonly canary: Canary;
  readonly handler: MessageHandler;
  readonly hub: TelemetryHub;
  /** The rollout's name on NATS (default: its salt). */
  readonly rollout: string;
}): Promise<NatsFleet> {
  const subjects = fleetSubjects(options.rollout);
  const nc: NatsConnection = await connect({
    servers: options.url,
    timeout: 10_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    name: `strategy-canary serve ${subjects.stateKey}`,
  });
  await ensureReports(await jetstreamManager(nc), subjects);
  const js = jetstream(nc);
  const kv: KV = await new Kvm(nc).create(subjects.stateBucket, { history: 1 });
  const encoder = new TextEncoder();
  const publishState = async (frame: ServerFrame): Promise<void> => {
    await kv.put(subjects.stateKey, JSON.stringify(frame));
  };
  await publishState(options.hub.stateFrame);
  const stopFrames = options.hub.onFrame((frame) => {
    if (nc.isClosed()) return;
    nc.publish(subjects.frames, encoder.encode(JSON.stringify(frame)));
    if (frame.type === 'state') publishState(frame).catch(() => {});
  });
  const side = [
    nc.subscribe(subjects.market, {
      callback: (error, message) => {
        if (error !== null) return;
        const parsed = parseClientMessage(message.string());
        if (parsed.ok && parsed.message.type === 'market')
          options.canary.onMarketEvent(parsed.message.event);
      },
    }),
    nc.subscribe(subjects.answers, {
      callback: (error, message) => {
        if (error !== null) return;
        let answer = null;
        try {
          const { agentId, reportId } = JSON.parse(message.string()) as {
            agentId?: unknown;
            reportId?: unknown;
          };
          if (typeof agentId === 'string' && typeof reportId === 'string')
            answer = options.handler.answerOf(agentId, reportId);
        } catch {
          // not a request of ours: answered null
        }
        message.respond(encoder.encode(JSON.stringify(answer)));
      },
    }),
    nc.subscribe(subjects.clock, {
      callback: (error, message) => {
        if (error !== null) return;
        const parsed = parseClientMessage(message.string());
        if (parsed.ok && parsed.message.type === 'clock')
          options.canary.clock.advance(parsed.message.tsMs);
      },
    }),
  ];

  let closing = false;
  const consumer = await js.consumers.get(subjects.stream, subjects.consumer);
  const loop = (async () => {
    while (!closing) {
      let message;
      try {
        message = await consumer.next({ expires: POLL_MS });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS)); // the server is away
        continue;
      }
      if (message === null) continue;
      const agentId = message.headers?.get(AGENT_HEADER) ?? '';
      const parsed = parseClientMessage(message.string());
      if (!parsed.ok || parsed.message.type !== 'report' || agentId === '') {
        message.term(); // never valid: not redelivered
        continue;
      }
      const ack = options.handler.recordAgentReport(agentId, parsed.message);
      nc.publish(subjects.acks(agentId), encoder.encode(JSON.stringify(ack)));
      message.ack();
    }
  })();

  return {
    close: async () => {
      closing = true;
      stopFrames();
      await loop;
      for (const subscription of side) subscription.unsubscribe();
      await nc.drain().catch(() => nc.close());
    },
  };
}
