import type { Counter } from 'prom-client';
import type { Canary } from '../embed/create-canary.js';
import type { RecordResult } from '../embed/report-rejection.js';
import {
  idsOf,
  parseClientMessage,
  type ClientMessage,
  type CommandMessage,
  type HelloMessage,
  type ReportMessage,
} from '../protocol/index.js';
import { CLOSE_CODES, type ClientConnection } from './client-connection.js';
import type { ClientRole } from '../protocol/index.js';
import type { ReportIdCache } from './report-id-cache.js';
import { sameState } from './same-state.js';
import type { AckFrame, ResultFrame, WelcomeFrame } from '../protocol/index.js';
import type { ServerMetrics } from './server-metrics.js';
import type { TelemetryHub } from './telemetry-hub.js';
import type { ServerTokens } from './server-tokens.js';
import { tokenMatches } from './token-matches.js';

/** Which message types each role may send after `hello`. */
const ALLOWED: Readonly<Record<ClientRole, ReadonlySet<ClientMessage['type']>>> = {
  subscriber: new Set(),
  operator: new Set(['command']),
  agent: new Set(['report', 'market', 'clock']),
};

/**
 * What the server does with each message of a client (docs/server.md, "Protocol"): the `hello`
 * and its token, then the role's messages, each within the role's rate. A refused message gets
 * an error frame and changes nothing.
 */
export class MessageHandler {
  readonly #canary: Canary;
  readonly #hub: TelemetryHub;
  readonly #tokens: ServerTokens;
  readonly #reportIds: ReportIdCache<RecordResult>;
  readonly #metrics: ServerMetrics;
  readonly #now: () => number;
  readonly #agentsOnNats: boolean;
  #commandsVia: ((message: CommandMessage) => Promise<ResultFrame>) | null = null;
  readonly #received = new Map<string, ReturnType<Counter<'role' | 'type'>['labels']>>();

  constructor(options: {
    readonly canary: Canary;
    readonly hub: TelemetryHub;
    readonly tokens: ServerTokens;
    readonly reportIds: ReportIdCache<RecordResult>;
    readonly metrics: ServerMetrics;
    readonly now: () => number;
    /** The fleet is on NATS (its log books every report): agents on the websocket are refused. */
    readonly agentsOnNats?: boolean;
  }) {
    this.#canary = options.canary;
    this.#hub = options.hub;
    this.#tokens = options.tokens;
    this.#reportIds = options.reportIds;
    this.#metrics = options.metrics;
    this.#now = options.now;
    this.#agentsOnNats = options.agentsOnNats ?? false;
  }

  /**
   * Sends operator commands through `via` instead of applying them here (the fleet on NATS puts
   * them in the rollout's log, which every controller applies in the same order); `via` resolves
   * with the result once the command is applied.
   */
  routeCommands(via: (message: CommandMessage) => Promise<ResultFrame>): void {
    this.#commandsVia = via;
  }

  /** One websocket message of `client`. */
  onMessage(client: ClientConnection, data: Buffer, isBinary: boolean): void {
    if (client.closing) return;
    const role = client.role;
    if (role !== null && !client.allow(this.#now())) {
      const ids = isBinary ? {} : idsOf(safeJson(data));
      client.sendError('RATE_LIMITED', `over the ${role} rate limit: send it again later`, ids);
      return;
    }
    if (isBinary) {
      this.#refuse(
        client,
        'BAD_MESSAGE',
        'binary frames are not part of the protocol: send JSON text',
      );
      return;
    }
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) {
      const { requestId, reportId } = parsed;
      this.#refuse(client, 'BAD_MESSAGE', parsed.error, {
        ...(requestId === undefined ? {} : { requestId }),
        ...(reportId === undefined ? {} : { reportId }),
      });
      return;
    }
    const message = parsed.message;
    if (role === null) {
      if (message.type === 'hello') this.#hello(client, message);
      else this.#refuse(client, 'BAD_MESSAGE', 'the first message must be a hello');
      return;
    }
    this.#count(role, message.type);
    if (message.type === 'hello') {
      client.sendError('BAD_MESSAGE', 'hello was already said on this connection');
      return;
    }
    if (!ALLOWED[role].has(message.type)) {
      client.sendError(
        'FORBIDDEN',
        `a ${role} may not send ${message.type} messages`,
        idsOf(message),
      );
      return;
    }
    try {
      switch (message.type) {
        case 'command':
          this.#command(client, message);
          break;
        case 'report':
          this.#report(client, message);
          break;
        case 'market':
          this.#canary.onMarketEvent(message.event);
          break;
        case 'clock':
          this.#canary.clock.advance(message.tsMs);
          break;
      }
    } catch (error) {
      client.sendError(
        'COMMAND_FAILED',
        `the canary refused the ${message.type}: ${error instanceof Error ? error.message : String(error)}`,
        idsOf(message),
      );
    }
    this.#hub.checkState();
  }

  /** A client whose `hello` never came. */
  helloTimeout(client: ClientConnection): void {
    if (client.role !== null || client.closing) return;
    this.#refuse(client, 'HELLO_TIMEOUT', 'no hello in time');
  }

  #hello(client: ClientConnection, hello: HelloMessage): void {
    const { role } = hello;
    if (role === 'auto') {
      this.#autoHello(client, hello);
      return;
    }
    const expected = this.#tokens[role];
    if (role === 'agent' && expected === undefined) {
      this.#refuse(client, 'UNAUTHORIZED', 'this server admits no agents (it has no agent token)');
      return;
    }
    if (expected !== undefined && !tokenMatches(hello.token, expected)) {
      this.#refuse(
        client,
        'UNAUTHORIZED',
        `${role === 'operator' ? 'an' : 'a'} ${role} needs its token: missing or wrong`,
      );
      return;
    }
    if (role === 'agent' && this.#agentsOnNats) {
      this.#refuse(
        client,
        'UNAUTHORIZED',
        'this server takes its agents on NATS (serve --nats): connect with NatsAgentTransport',
      );
      return;
    }
    if (role === 'agent' && hello.agentId === undefined) {
      this.#refuse(client, 'BAD_MESSAGE', 'an agent must say its agentId');
      return;
    }
    client.admit(role, role === 'agent' ? (hello.agentId ?? null) : null, this.#now());
    this.#count(role, 'hello');
    this.#hub.add(client);
  }

  /**
   * A `hello` with `role: "auto"` (the dashboard's): the operator's token makes an operator; the
   * subscriber token, or no token at all where subscribers need none, a subscriber. Any other
   * token is refused, even where subscribers need none: a wrong operator token must not pass
   * silently as a read-only view. The client hears its role in a `welcome` frame, then the state.
   */
  #autoHello(client: ClientConnection, hello: HelloMessage): void {
    if (hello.agentId !== undefined) {
      this.#refuse(
        client,
        'BAD_MESSAGE',
        'an auto hello is an operator or a subscriber: no agentId',
      );
      return;
    }
    const role = this.#roleOfToken(hello.token);
    if (role === null) {
      this.#refuse(
        client,
        'UNAUTHORIZED',
        hello.token === undefined
          ? 'this server needs a token: the operator’s or the subscriber’s'
          : 'the token is neither the operator’s nor the subscriber’s',
      );
      return;
    }
    client.admit(role, null, this.#now());
    this.#count(role, 'hello');
    const canary = this.#canary;
    const welcome: WelcomeFrame = {
      type: 'welcome',
      role,
      rollout: { id: canary.rolloutId, versions: { ...canary.versions } },
      recentDecisions: this.#hub.recentDecisions,
    };
    client.send(welcome);
    this.#hub.add(client);
  }

  /** The role `token` gives an auto hello, or null. Both tokens are always compared. */
  #roleOfToken(token: string | undefined): 'operator' | 'subscriber' | null {
    const operator = tokenMatches(token, this.#tokens.operator);
    const subscriberToken = this.#tokens.subscriber;
    const subscriber =
      subscriberToken === undefined ? token === undefined : tokenMatches(token, subscriberToken);
    if (operator) return 'operator';
    return subscriber ? 'subscriber' : null;
  }

  #command(client: ClientConnection, message: CommandMessage): void {
    const via = this.#commandsVia;
    if (via === null) {
      client.send(this.applyCommand(message));
      return;
    }
    via(message).then(
      (result) => client.send(result),
      (error: unknown) =>
        client.sendError(
          'COMMAND_FAILED',
          `the ${message.command} did not reach the rollout's log: ${error instanceof Error ? error.message : String(error)}`,
          idsOf(message),
        ),
    );
  }

  /** Applies an operator command to the canary and says what it did. */
  applyCommand(message: CommandMessage): ResultFrame {
    const canary = this.#canary;
    const before = canary.state;
    const reason = message.reason ?? `${message.command} by an operator (server)`;
    const id = message.id ?? 0; // approve and reject carry one (checked when parsed)
    const outcome = {
      approve: () => canary.approve(id),
      reject: () => canary.reject(id, reason),
      halt: () => canary.halt(reason),
      resume: () => canary.resume(),
      rollback: () => canary.rollback(reason),
    }[message.command]();
    this.#hub.checkState();
    const state = canary.state;
    return {
      type: 'result',
      requestId: message.requestId ?? null,
      command: message.command,
      ok: true,
      applied: outcome.applied,
      refusal: outcome.refusal,
      changed: !sameState(before, state),
      state,
    };
  }

  #report(client: ClientConnection, message: ReportMessage): void {
    client.send(this.recordAgentReport(client.agentId ?? '', message));
  }

  /** The answers already given to an agent's reports (marked `repeated`), of those that have one. */
  answersOf(agentId: string, reportIds: readonly string[]): AckFrame[] {
    const answers: AckFrame[] = [];
    for (const reportId of reportIds) {
      const seen = this.#reportIds.get(agentId, reportId);
      if (seen !== undefined) answers.push({ ...ackOf(reportId, seen), repeated: true });
    }
    return answers;
  }

  /**
   * Records an agent's report once per (agent, report id) and answers it: a report seen before
   * gets its first answer again, marked `repeated` (over any transport: the websocket, NATS).
   */
  recordAgentReport(agentId: string, message: ReportMessage): AckFrame {
    const seen = this.#reportIds.get(agentId, message.reportId);
    if (seen !== undefined) {
      this.#metrics.reports.inc({ result: 'repeated' });
      return { ...ackOf(message.reportId, seen), repeated: true };
    }
    // The key survives a restart in the canary's report journal (serve --state-dir): a report the
    // last process booked and an agent sends again is answered as repeated, not refused.
    const result = this.#canary.record(message.report, {
      key: JSON.stringify([agentId, message.reportId]),
    });
    this.#reportIds.set(agentId, message.reportId, result);
    const repeated = result.accepted && result.repeated === true;
    this.#metrics.reports.inc({
      result: repeated ? 'repeated' : result.accepted ? 'recorded' : 'refused',
    });
    this.#hub.checkState();
    return { ...ackOf(message.reportId, result), ...(repeated ? { repeated: true } : {}) };
  }

  /** An error frame; before `hello` the connection is closed too (1008). */
  #refuse(
    client: ClientConnection,
    code: 'BAD_MESSAGE' | 'UNAUTHORIZED' | 'HELLO_TIMEOUT',
    message: string,
    ids: { readonly requestId?: string; readonly reportId?: string } = {},
  ): void {
    client.sendError(code, message, ids);
    if (client.role === null) client.close(CLOSE_CODES.policyViolation, `${code}: ${message}`);
  }

  #count(role: ClientRole, type: string): void {
    const key = `${role}/${type}`;
    let counter = this.#received.get(key);
    if (counter === undefined) {
      counter = this.#metrics.messages.labels(role, type);
      this.#received.set(key, counter);
    }
    counter.inc();
  }
}

function ackOf(reportId: string, result: RecordResult): AckFrame {
  return result.accepted
    ? { type: 'ack', reportId, accepted: true }
    : { type: 'ack', reportId, accepted: false, rejection: result.rejection };
}

function safeJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return null;
  }
}
