/**
 * The fleet protocol (docs/server.md): the messages clients send and the frames the server sends,
 * each with its parser, so that both sides check what they receive. Transport-free: the
 * websocket server (src/server/) and agent (src/fleet/) carry these as JSON text.
 */
export { CLIENT_ROLES, type ClientRole } from './client-role.js';
export {
  idsOf,
  parseClientMessage,
  type ClientMessage,
  type ClockMessage,
  type CommandMessage,
  type HelloMessage,
  type HelloRole,
  type MarketMessage,
  type OperatorCommand,
  type ParsedClientMessage,
  type ReportMessage,
} from './client-message.js';
export { parseMarketEvent } from './market-event-schema.js';
export { REPORT_ID_MAX_LENGTH } from './report-id.js';
export { AGENT_HEADER, fleetSubjects, subjectToken, type FleetSubjects } from './nats-subjects.js';
export {
  parseServerFrame,
  type AckFrame,
  type AssignmentFrame,
  type DecisionFrame,
  type ErrorFrame,
  type MetricsFrame,
  type ParsedServerFrame,
  type ResultFrame,
  type ServerErrorCode,
  type ServerFrame,
  type StateFrame,
  type WelcomeFrame,
} from './server-message.js';
