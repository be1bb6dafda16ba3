import type { CommandOutcome } from '../embed/create-canary.js';
import type { CanaryState } from '../rollout/index.js';
import type { AssignmentChange } from '../embed/embedded-books.js';
import type { ReportRejection } from '../embed/report-rejection.js';
import type { ArmMetrics } from '../metrics/index.js';
import type { ReportDecision } from '../report/report-json.js';
import type { OperatorCommand } from './client-message.js';

/**
 * Why a message was refused (the `code` of an `error` frame; docs/server.md):
 * - `BAD_MESSAGE`: not JSON, not an object, an unknown `type`, a missing or invalid field, a
 *   binary frame, or a message before `hello` (then the connection is closed, 1008);
 * - `UNAUTHORIZED`: a `hello` without the role's token, or with a wrong one (closed, 1008);
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
  StateFrame | DecisionFrame | AssignmentFrame | MetricsFrame | ResultFrame | AckFrame | ErrorFrame;
