import { z } from 'zod';
import type { MarketEvent } from '../core/market-event.js';
import type { BotReport } from '../embed/bot-report.js';
import type { ClientRole } from './client-role.js';
import { eventTimeSchema } from './event-time-schema.js';
import { parseMarketEvent } from './market-event-schema.js';
import { REPORT_ID_MAX_LENGTH } from './report-id.js';
import { parseTyped } from './typed-json.js';

/** The operator commands, each the canary method of the same name (`rollback`: `rollback`). */
export type OperatorCommand = 'approve' | 'reject' | 'halt' | 'resume' | 'rollback';

/**
 * The role a `hello` asks for: one of the {@link ClientRole}s, or `auto`, where the token decides
 * (operator or subscriber, never agent) and the server says which in a `welcome` frame: what a
 * client that holds one token and does not know its role (the dashboard) asks for.
 */
export type HelloRole = ClientRole | 'auto';

/** The first message of every client. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly role: HelloRole;
  readonly token?: string;
  /** An agent's stable id (letters, digits, `._:-`, 1 to 128): report ids are per agent. */
  readonly agentId?: string;
}

/** An operator's command; `id` is the proposal's `seq` (approve and reject). */
export interface CommandMessage {
  readonly type: 'command';
  readonly command: OperatorCommand;
  readonly id?: number;
  readonly reason?: string;
  readonly requestId?: string;
}

/** An agent's report of its broker (the canary validates `report` itself: docs/embedding.md). */
export interface ReportMessage {
  readonly type: 'report';
  readonly reportId: string;
  readonly report: BotReport;
}

/** A market event an agent saw. */
export interface MarketMessage {
  readonly type: 'market';
  readonly event: MarketEvent;
}

/** Event time from an agent, ms since the epoch. */
export interface ClockMessage {
  readonly type: 'clock';
  readonly tsMs: number;
}

/** Every message a client may send (JSON text). */
export type ClientMessage =
  HelloMessage | CommandMessage | ReportMessage | MarketMessage | ClockMessage;

/** A parsed message, or why it is not one (with the ids it carried, to echo in the error). */
export type ParsedClientMessage =
  | { readonly ok: true; readonly message: ClientMessage }
  | {
      readonly ok: false;
      readonly error: string;
      readonly requestId?: string;
      readonly reportId?: string;
    };

const requestId = z.string().min(1).max(128);
const helloSchema = z.strictObject({
  type: z.literal('hello'),
  role: z.enum(['subscriber', 'operator', 'agent', 'auto']),
  token: z.string().max(1024).optional(),
  agentId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/u, 'letters, digits and ._:- only, 1 to 128')
    .optional(),
});
const commandSchema = z
  .strictObject({
    type: z.literal('command'),
    command: z.enum(['approve', 'reject', 'halt', 'resume', 'rollback']),
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    reason: z.string().min(1).max(1000).optional(),
    requestId: requestId.optional(),
  })
  .refine((m) => m.id !== undefined || (m.command !== 'approve' && m.command !== 'reject'), {
    message: 'approve and reject need the proposal’s id (its decision seq)',
    path: ['id'],
  });
const reportSchema = z.strictObject({
  type: z.literal('report'),
  reportId: z.string().min(1).max(REPORT_ID_MAX_LENGTH),
  report: z.record(z.string(), z.unknown()),
});
const marketSchema = z.strictObject({ type: z.literal('market'), event: z.unknown() });
const clockSchema = z.strictObject({
  type: z.literal('clock'),
  tsMs: eventTimeSchema('ms'),
});

const SCHEMAS = {
  hello: helloSchema,
  command: commandSchema,
  report: reportSchema,
  market: marketSchema,
  clock: clockSchema,
} as const;

/**
 * Parses one text frame: JSON, an object with a known `type`, and that type's fields (unknown
 * fields are refused too). A market event is checked and completed as {@link parseMarketEvent}.
 */
export function parseClientMessage(text: string): ParsedClientMessage {
  const parsed = parseTyped(text, SCHEMAS, 'hello, command, report, market or clock');
  if (!parsed.ok) return { ok: false, error: parsed.error, ...idsOf(parsed.record) };
  const message = parsed.value;
  if (message.type === 'market') {
    const event = parseMarketEvent(message.event);
    return event.ok
      ? { ok: true, message: { type: 'market', event: event.event } }
      : { ok: false, error: event.message };
  }
  if (message.type === 'report') {
    return {
      ok: true,
      message: { type: 'report', reportId: message.reportId, report: message.report as BotReport },
    };
  }
  return { ok: true, message: message as ClientMessage };
}

/** The `requestId` / `reportId` of a message (strings only), to echo in an error frame. */
export function idsOf(value: unknown): { requestId?: string; reportId?: string } {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const ids: { requestId?: string; reportId?: string } = {};
  const { requestId: r, reportId: p } = record;
  if (typeof r === 'string' && r.length <= 128) ids.requestId = r;
  if (typeof p === 'string' && p.length <= REPORT_ID_MAX_LENGTH) ids.reportId = p;
  return ids;
}
