import { plainReason, type DecisionReason } from '../core/decision.js';
import type { AuditRecord } from '../rollout/index.js';

/** How much a person should care. */
export type WebhookSeverity = 'info' | 'warning' | 'critical';

/** What a webhook event is about. */
export type WebhookEventType = 'decision' | 'timeout' | 'operator' | 'transition';

/**
 * One notification (docs/server.md, "Webhooks"): a rollout's audit record made readable.
 * `id` is the idempotency key: the rollout's id and the record's `seq`, the same however many
 * times it is delivered and after a restart that resumes the rollout.
 */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly severity: WebhookSeverity;
  /** The record's action (`increase`, `rollback`, `halt`, `set-weight`…) and disposition. */
  readonly action: string;
  readonly disposition: string;
  /** Event time, ISO 8601. */
  readonly at: string;
  readonly rolloutId: string;
  /** The audit record's `seq`. */
  readonly seq: number;
  readonly stepIndex: number | null;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** Why: the detail of an operator's command or a refusal, else the decisive evidence. */
  readonly reasons: readonly DecisionReason[];
  /** Where the report is, as the server was told (`reportUrl`), or null. */
  readonly reportUrl: string | null;
  /** One line for a person. */
  readonly text: string;
}

/** Which records become events. */
export interface WebhookFilter {
  /** Also `hold` decisions (many: every evaluation that changes nothing). Default false. */
  readonly holds?: boolean;
}

/**
 * The event of an audit record, or null for records that notify nobody: the start, a repair,
 * a transition's completion, and `hold` decisions unless `filter.holds` (a proposed hold, which
 * waits for a person, always notifies).
 */
export function webhookEventOf(
  record: AuditRecord,
  context: { readonly rolloutId: string; readonly reportUrl: string | null },
  filter: WebhookFilter = {},
): WebhookEvent | null {
  const type = eventType(record);
  if (type === null) return null;
  if (
    type === 'decision' &&
    record.action === 'hold' &&
    record.disposition !== 'proposed' &&
    filter.holds !== true
  ) {
    return null;
  }
  const reasons: DecisionReason[] =
    record.detail === null
      ? record.reasons.slice(0, 3)
      : [plainReason(record.detail.code, record.detail.message), ...record.reasons.slice(0, 2)];
  return {
    id: `${record.seq}@${context.rolloutId.slice(0, 16)}`,
    type,
    severity: severityOf(record),
    action: record.action,
    disposition: record.disposition,
    at: record.at,
    rolloutId: context.rolloutId,
    seq: record.seq,
    stepIndex: record.stepIndex,
    fromWeightPct: record.fromWeightPct,
    toWeightPct: record.toWeightPct,
    reasons,
    reportUrl: context.reportUrl,
    text: textOf(record, type, reasons),
  };
}

function eventType(record: AuditRecord): WebhookEventType | null {
  switch (record.kind) {
    case 'decision':
    case 'timeout':
    case 'operator':
    case 'transition':
      return record.kind;
    default:
      return null;
  }
}

function severityOf(record: AuditRecord): WebhookSeverity {
  if (record.action === 'rollback' || record.action === 'force-rollback') return 'critical';
  if (record.disposition === 'refused' || record.kind === 'timeout' || record.action === 'halt')
    return 'warning';
  return 'info';
}

function textOf(
  record: AuditRecord,
  type: WebhookEventType,
  reasons: readonly DecisionReason[],
): string {
  const weights =
    record.fromWeightPct === record.toWeightPct
      ? `at ${record.fromWeightPct}%`
      : `${record.fromWeightPct}% → ${record.toWeightPct}%`;
  const why = reasons[0] === undefined ? '' : `: ${reasons[0].code} ${reasons[0].message}`;
  return `${type} ${record.action} (${record.disposition}) ${weights}${why}`;
}

/**
 * A body Slack's incoming webhooks accept (`text`, with the event's fields after it), for
 * `format: 'slack'`.
 */
export function slackBodyOf(event: WebhookEvent): { readonly text: string } {
  const icon =
    event.severity === 'critical'
      ? ':rotating_light:'
      : event.severity === 'warning'
        ? ':warning:'
        : ':information_source:';
  const link = event.reportUrl === null ? '' : ` <${event.reportUrl}|report>`;
  return { text: `${icon} strategy-canary ${event.text} [${event.at}, event ${event.id}]${link}` };
}
