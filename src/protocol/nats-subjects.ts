/**
 * The fleet on NATS JetStream (docs/server.md, "Fleet on NATS"): the subjects, stream and bucket
 * of one rollout, named by the rollout's name (the routing salt, reduced to what a subject token
 * may hold). Agents publish reports to the stream; the controller consumes them with a durable
 * consumer and answers on the agent's ack subject; every frame goes out on the frames subject and
 * the latest state also in the key-value bucket, for an agent that joins.
 */
export interface FleetSubjects {
  /** JetStream stream of every rollout's reports. */
  readonly stream: string;
  /** Subjects of the stream (all rollouts). */
  readonly streamSubjects: string;
  /** The controller's durable consumer of this rollout's reports. */
  readonly consumer: string;
  /** This rollout's reports: `reports(accountId)` per account, `allReports` to filter. */
  readonly reports: (accountId: string) => string;
  readonly allReports: string;
  /** The controller's answer to an agent's report. */
  readonly acks: (agentId: string) => string;
  /**
   * Requests for an answer already given (`{ agentId, reportId }` → an ack frame or null): a
   * report the stream dropped as a duplicate, whose answer the agent missed while away.
   */
  readonly answers: string;
  /** Every frame of the rollout (state, decision, assignment, metrics). */
  readonly frames: string;
  /** Market events and event time from agents (best effort). */
  readonly market: string;
  readonly clock: string;
  /** Key-value bucket and key of the latest state frame. */
  readonly stateBucket: string;
  readonly stateKey: string;
}

/** The header that names the agent of a report. */
export const AGENT_HEADER = 'Strategy-Canary-Agent';

/** A subject token from any string: letters, digits, `-` and `_` kept, anything else `_`. */
export function subjectToken(text: string): string {
  const token = text.replace(/[^A-Za-z0-9_-]/gu, '_');
  return token === '' ? '_' : token;
}

/** The subjects of the rollout named `rollout` (its salt). */
export function fleetSubjects(rollout: string): FleetSubjects {
  const name = subjectToken(rollout);
  const base = `strategy-canary.fleet.${name}`;
  return {
    stream: 'STRATEGY_CANARY_REPORTS',
    streamSubjects: 'strategy-canary.fleet.*.reports.>',
    consumer: `controller-${name}`,
    reports: (accountId) => `${base}.reports.${subjectToken(accountId)}`,
    allReports: `${base}.reports.>`,
    acks: (agentId) => `${base}.acks.${subjectToken(agentId)}`,
    answers: `${base}.answers`,
    frames: `${base}.frames`,
    market: `${base}.market`,
    clock: `${base}.clock`,
    stateBucket: 'strategy-canary-state',
    stateKey: name,
  };
}
