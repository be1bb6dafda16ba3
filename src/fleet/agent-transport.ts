import type { ClockMessage, MarketMessage, ReportMessage, ServerFrame } from '../protocol/index.js';

/** What happened to the agent's connection. */
export type AgentStatus =
  | { readonly type: 'connected'; readonly replaying: number }
  | { readonly type: 'disconnected'; readonly code: number; readonly reason: string }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'refused'; readonly message: string };

/** What an agent sends to the rollout: its reports, the market it sees, its event time. */
export type AgentMessage = ReportMessage | MarketMessage | ClockMessage;

/** What a transport tells the agent, for as long as it runs. */
export interface AgentTransportEvents {
  /**
   * A frame of the rollout, parsed (`parseServerFrame`). A session starts with a `state` frame:
   * from then on messages may be sent, until a `down` status.
   */
  readonly frame: (frame: ServerFrame) => void;
  /** Something arrived that is not a frame of the protocol (ignored; counted by the agent). */
  readonly badFrame: (error: string) => void;
  /**
   * The session is over: `disconnected` (it was up), `reconnecting` (the next attempt's delay),
   * or `refused` for good (a bad token or agent id: no more attempts).
   */
  readonly down: (status: Exclude<AgentStatus, { type: 'connected' }>) => void;
}

/**
 * How an agent reaches the rollout: the agent's core (outbox, pacing, local routing, replay after
 * a reconnect: {@link CanaryAgent}) is the same over any transport. The websocket one
 * ({@link WebSocketAgentTransport}) is the embedded default; docs/adding.md says what another
 * needs.
 */
export interface AgentTransport {
  /** Starts connecting (and reconnecting) and reports to `events` until {@link close}. */
  start(events: AgentTransportEvents): void;
  /** Sends one message in the session that is up (the agent never sends when none is). */
  send(message: AgentMessage): void;
  /**
   * Ends the session and starts a new one (the agent then replays what was not acknowledged):
   * after the rollout dropped a message, order on this session can no longer be trusted.
   */
  restart(reason: string): void;
  /** Ends the session for good. */
  close(): Promise<void>;
}
