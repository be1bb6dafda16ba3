import type { CommandOutcome } from '../embed/create-canary.js';
import type { CanaryState } from '../rollout/index.js';
import type { AssignmentChange } from '../embed/embedded-books.js';
import type { ReportRejection } from '../embed/report-rejection.js';
import type { ArmMetrics } from '../metrics/index.js';
import type { ReportDecision } from '../report/report-json.js';
import { z } from 'zod';
import { REPORT_REJECTION_CODES } from '../embed/report-rejection.js';
import type { OperatorCommand } from './client-message.js';
import { REPORT_ID_MAX_LENGTH } from './report-id.js';
import { parseTyped } from './typed-json.js';

/**
 * Why a message was refused (the `code` of an `error` frame; docs/server.md):
 * - `BAD_MESSAGE`: not JSON, not an object, an unknown `type`, a missing or invalid field, a
 *   binary frame, or a message before `hello` (then the connection is closed, 1008);
 * - `UNAUTHORIZED`: a `hello` without the role's token, or with a wrong one (closed, 1008); for
 *   `role: "auto"`, a token that is neither the operator's nor the subscriber's;
 * - `HELLO_TIMEOUT`: no `hello` in time (closed, 1008);
 * - `FORBIDDEN`: a message the client's role may not send (a subscriber's command…);
 * - `RATE_LIMITED`: over the role's rate: the message was dropped, send it again later;
 * - `COMMAND_FAILED`: the canary threw on a command, report or event (nothing was applied);
 * - `TOO_LARGE`: a message over `maxPayloadBytes` (the connection is closed with 1009);
 * - `SLOW_CONSUMER`: the client did not read its frames fast enough (closed with 1013).
 */
export type ServerErrorCode =
  | 'BAD_MESSAGE'
  | 'UNAUTHORIZED'
  | 'HELLO_TIMEOUT'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'COMMAND_FAILED'
  | 'TOO_LARGE'
  | 'SLOW_CONSUMER';

/**
 * The answer to a `hello` with `role: "auto"`, before its first `state`: the role the token gave
 * (an operator's buttons are shown only for `operator`) and which rollout this is.
 */
export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly role: 'operator' | 'subscriber';
  readonly rollout: {
    /** The rollout's identity (`Canary.rolloutId`: the hash of its plan, versions, salt, accounts). */
    readonly id: string;
    /** The strategy version each arm runs. */
    readonly versions: { readonly stable: string; readonly canary: string };
  };
  /** The latest decisions before this connection (at most 100), oldest first: the log so far. */
  readonly recentDecisions: readonly ReportDecision[];
}

/** Where the rollout is, and the last `seq` it is current as of (a late client gets it first). */
export interface StateFrame {
  readonly type: 'state';
  readonly seq: number;
  readonly state: CanaryState;
}

/** A decision of the rollout, in report.json's form (`at`: ISO event time). */
export interface DecisionFrame {
  readonly type: 'decision';
  readonly seq: number;
  readonly decision: ReportDecision;
}

/** An account that changed arm. */
export interface AssignmentFrame {
  readonly type: 'assignment';
  readonly seq: number;
  readonly assignment: AssignmentChange;
}

/** A sampled per-arm metrics snapshot (without the final snapshot's report `detail`). */
export interface MetricsFrame {
  readonly type: 'metrics';
  readonly seq: number;
  readonly snapshot: {
    readonly tsUs: number;
    readonly final: boolean;
    readonly arms: { readonly stable: ArmMetrics; readonly canary: ArmMetrics };
  };
}

/** An operator command was handed to the canary; `changed`: the rollout's state changed. */
export interface ResultFrame {
  readonly type: 'result';
  readonly requestId: string | null;
  readonly command: OperatorCommand;
  readonly ok: true;
  /** The command took effect; else `refusal` says why (the controller's reason code). */
  readonly applied: boolean;
  readonly refusal: CommandOutcome['refusal'];
  /** The rollout's state differs from before the command. */
  readonly changed: boolean;
  readonly state: CanaryState;
}

/** An agent's report: recorded (`accepted`) or refused with the canary's reason. */
export interface AckFrame {
  readonly type: 'ack';
  readonly reportId: string;
  readonly accepted: boolean;
  readonly rejection?: ReportRejection;
  /** Present (true) when the report id was seen before: this is the first result, again. */
  readonly repeated?: true;
}

/** A refused message: nothing changed. Echoes the message's `requestId` / `reportId` if any. */
export interface ErrorFrame {
  readonly type: 'error';
  readonly code: ServerErrorCode;
  readonly message: string;
  readonly requestId?: string;
  readonly reportId?: string;
}

/** Every frame the server sends (JSON text). */
export type ServerFrame =
  | WelcomeFrame
  | StateFrame
  | DecisionFrame
  | AssignmentFrame
  | MetricsFrame
  | ResultFrame
  | AckFrame
  | ErrorFrame;

const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const finite = z.number().finite();
const arm = z.enum(['stable', 'canary']);
const optionalId = (max: number) => z.string().min(1).max(max).optional();

const canaryStateSchema = z.strictObject({
  status: z.enum(['pending', 'shadow', 'step', 'promoted', 'rolled_back']),
  halted: z.boolean(),
  stepIndex: z.number().int().nonnegative().nullable(),
  weightPct: finite.min(0).max(100),
  resumedFrom: z.enum(['new', 'state', 'log', 'state+log']),
});

const reasonSchema = z.strictObject({
  code: z.string(),
  metric: z.string().nullable(),
  message: z.string(),
  estimate: finite.nullable(),
  ci: z.tuple([finite.nullable(), finite.nullable()]).nullable(),
  n: finite.nullable(),
  nStable: finite.nullable(),
  margin: finite.nullable(),
  test: z.string().nullable(),
  alpha: finite.nullable(),
  verdict: z.enum(['better', 'non_inferior', 'inconclusive', 'worse']).nullable(),
  scope: z.enum(['step', 'rollout']).optional(),
  unit: z.string().optional(),
  alphaNonInferiority: finite.optional(),
  clusters: finite.optional(),
  required: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});

const guardrailSchema = z.strictObject({
  name: z.string(),
  value: finite,
  limit: finite,
  unit: z.string(),
  breached: z.boolean(),
});

const decisionSchema = z.strictObject({
  seq,
  at: z.string(),
  action: z.enum(['increase', 'promote', 'hold', 'rollback']),
  fromWeightPct: finite,
  toWeightPct: finite,
  stepIndex: z.number().int().nonnegative().nullable(),
  disposition: z.enum(['applied', 'proposed', 'queued', 'refused']),
  reasons: z.array(reasonSchema),
  guardrails: z.array(guardrailSchema),
});

const refusalSchema = z.strictObject({ code: z.string(), message: z.string() });

const FRAME_SCHEMAS = {
  welcome: z.strictObject({
    type: z.literal('welcome'),
    role: z.enum(['operator', 'subscriber']),
    rollout: z.strictObject({
      id: z.string().min(1),
      versions: z.strictObject({ stable: z.string(), canary: z.string() }),
    }),
    recentDecisions: z.array(decisionSchema),
  }),
  state: z.strictObject({ type: z.literal('state'), seq, state: canaryStateSchema }),
  decision: z.strictObject({ type: z.literal('decision'), seq, decision: decisionSchema }),
  assignment: z.strictObject({
    type: z.literal('assignment'),
    seq,
    assignment: z.strictObject({
      accountId: z.string().min(1),
      from: arm,
      to: arm,
      atTsUs: finite,
      positions: z.enum(['flatten', 'handoff']),
    }),
  }),
  metrics: z.strictObject({
    type: z.literal('metrics'),
    seq,
    snapshot: z.strictObject({
      tsUs: finite,
      final: z.boolean(),
      // Per-arm statistics (metrics/arm-metrics.ts): checked as objects; their fields are the
      // dashboard's to read.
      arms: z.strictObject({
        stable: z.record(z.string(), z.unknown()),
        canary: z.record(z.string(), z.unknown()),
      }),
    }),
  }),
  result: z.strictObject({
    type: z.literal('result'),
    requestId: z.string().nullable(),
    command: z.enum(['approve', 'reject', 'halt', 'resume', 'rollback']),
    ok: z.literal(true),
    applied: z.boolean(),
    refusal: refusalSchema.nullable(),
    changed: z.boolean(),
    state: canaryStateSchema,
  }),
  ack: z.strictObject({
    type: z.literal('ack'),
    reportId: z.string().min(1).max(REPORT_ID_MAX_LENGTH),
    accepted: z.boolean(),
    rejection: z
      .strictObject({
        code: z.enum(REPORT_REJECTION_CODES),
        message: z.string(),
      })
      .optional(),
    repeated: z.literal(true).optional(),
  }),
  error: z.strictObject({
    type: z.literal('error'),
    code: z.enum([
      'BAD_MESSAGE',
      'UNAUTHORIZED',
      'HELLO_TIMEOUT',
      'FORBIDDEN',
      'RATE_LIMITED',
      'COMMAND_FAILED',
      'TOO_LARGE',
      'SLOW_CONSUMER',
    ]),
    message: z.string(),
    requestId: optionalId(128),
    reportId: optionalId(REPORT_ID_MAX_LENGTH),
  }),
} as const;

/** A parsed server frame, or why the text is not one. */
export type ParsedServerFrame =
  | { readonly ok: true; readonly frame: ServerFrame }
  | { readonly ok: false; readonly error: string };

/**
 * Parses one text frame of the server (what an agent, `ctl` or a dashboard receives): JSON, an
 * object with a known `type`, and that type's fields as this file declares them (unknown fields
 * are refused). The per-arm statistics of a `metrics` frame are checked as objects only.
 */
export function parseServerFrame(text: string): ParsedServerFrame {
  const parsed = parseTyped(text, FRAME_SCHEMAS, Object.keys(FRAME_SCHEMAS).join(', '));
  if (!parsed.ok) return { ok: false, error: parsed.error };
  // The schemas above are these types field for field, but for the per-arm statistics of a
  // metrics frame, which are checked as objects (the one place zod's type is wider).
  return { ok: true, frame: parsed.value as ServerFrame };
}
