/**
 * The fleet on NATS JetStream (docs/server.md, "Fleet on NATS"): the subjects, stream and buckets
 * of one rollout, named by the rollout's name (the routing salt, reduced to what a subject token
 * may hold).
 *
 * Everything that moves the rollout goes through one stream, the rollout's **log**: the agents'
 * reports, market events and event time, and the operators' commands. Every controller (`serve
 * --nats`) applies the whole log in its order, so all of them hold the same books and the same
 * state; the one that holds the lease (a key of the leases bucket) speaks for the rollout: it
 * answers reports on the agents' ack subjects and publishes every frame on the frames subject and
 * the latest state in the state bucket.
 */
export interface FleetSubjects {
  /** The JetStream stream of every rollout's log. */
  readonly stream: string;
  /** Subjects of the stream (all rollouts). */
  readonly streamSubjects: string;
  /** This rollout's log: every subject below `log`. */
  readonly log: string;
  /** Reports, one subject per account. */
  readonly reports: (accountId: string) => string;
  /** Market events and event time from agents (and the leader's live feed). */
  readonly market: string;
  readonly clock: string;
  /** Operator commands, from whichever controller an operator reached. */
  readonly commands: string;
  /** The controller's answer to an agent's report. */
  readonly acks: (agentId: string) => string;
  /**
   * Requests for answers already given (`{ agentId, reportIds }` → the ack frames of those that
   * have one): for reports whose answer an agent missed (it was away, or the controller that
   * booked them died before answering). Only the leader answers.
   */
  readonly answers: string;
  /** Every frame of the rollout (state, decision, assignment, metrics). */
  readonly frames: string;
  /** Key-value bucket and key of the latest state frame. */
  readonly stateBucket: string;
  readonly stateKey: string;
  /** Key-value bucket and key of the controllers' lease (the leader's id). */
  readonly leaseBucket: string;
  readonly leaseKey: string;
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
    stream: 'STRATEGY_CANARY_FLEET',
    streamSubjects: 'strategy-canary.fleet.*.log.>',
    log: `${base}.log.>`,
    reports: (accountId) => `${base}.log.reports.${subjectToken(accountId)}`,
    market: `${base}.log.market`,
    clock: `${base}.log.clock`,
    commands: `${base}.log.commands`,
    acks: (agentId) => `${base}.acks.${subjectToken(agentId)}`,
    answers: `${base}.answers`,
    frames: `${base}.frames`,
    stateBucket: 'strategy-canary-state',
    stateKey: name,
    leaseBucket: 'strategy-canary-leases',
    leaseKey: name,
  };
}
