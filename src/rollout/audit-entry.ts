import { z } from 'zod';
import type { AuditRecord } from './audit-record.js';

/** One input file behind a decision: its path as given and the sha256 of its bytes (hex). */
export interface WatermarkInput {
  readonly path: string;
  readonly sha256: string;
}

/**
 * How far through its inputs the run was when a record was written, passed in by the caller:
 * a restart can tell which events a decision saw.
 */
export interface InputWatermark {
  readonly inputs: readonly WatermarkInput[];
  /** Market events processed so far. */
  readonly eventsProcessed: number;
  /** Event time of the last processed event, µs; null before any. */
  readonly lastEventTsUs: number | null;
}

/** The watermark of a run that has processed nothing. */
export const EMPTY_WATERMARK: InputWatermark = Object.freeze({
  inputs: Object.freeze([]),
  eventsProcessed: 0,
  lastEventTsUs: null,
});

/** One line of audit.jsonl: the controller's record, the run's config hash and the input watermark. */
export interface AuditEntry extends AuditRecord {
  /** sha256 (hex) identifying the configuration (at least the plan, see `planHash`). */
  readonly configHash: string;
  readonly watermark: InputWatermark;
}

/**
 * The line an entry is written as: JSON in a fixed field order (docs/rollout.md, "Audit log"),
 * without a newline.
 */
export function formatAuditEntry(entry: AuditEntry): string {
  return JSON.stringify({
    seq: entry.seq,
    tsUs: entry.tsUs,
    at: entry.at,
    kind: entry.kind,
    action: entry.action,
    disposition: entry.disposition,
    mode: entry.mode,
    trigger: entry.trigger,
    stepIndex: entry.stepIndex,
    evaluatedStepIndex: entry.evaluatedStepIndex,
    fromWeightPct: entry.fromWeightPct,
    toWeightPct: entry.toWeightPct,
    ref: entry.ref,
    detail: entry.detail,
    positions: entry.positions,
    versions: entry.versions,
    reasons: entry.reasons,
    guardrails: entry.guardrails,
    configHash: entry.configHash,
    watermark: {
      inputs: entry.watermark.inputs.map((input) => ({ path: input.path, sha256: input.sha256 })),
      eventsProcessed: entry.watermark.eventsProcessed,
      lastEventTsUs: entry.watermark.lastEventTsUs,
    },
  });
}

const armVersions = z.strictObject({ stable: z.string(), canary: z.string().nullable() });
const stepIndex = z.number().int().min(0).nullable();
const weightPct = z.number().min(0).max(100);

const auditEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  tsUs: z.number().int().min(0),
  at: z.string(),
  kind: z.enum([
    'start',
    'decision',
    'timeout',
    'operator',
    'transition',
    'transition-complete',
    'repair',
  ]),
  action: z.enum([
    'increase',
    'promote',
    'hold',
    'rollback',
    'approve',
    'reject',
    'halt',
    'resume',
    'force-rollback',
    'set-weight',
    'start',
    'repair',
  ]),
  disposition: z.enum(['applied', 'proposed', 'queued', 'refused']),
  mode: z.enum(['auto', 'manual']).nullable(),
  trigger: z.enum(['analysis', 'guardrail', 'operator', 'max-duration']).nullable(),
  stepIndex,
  evaluatedStepIndex: stepIndex,
  fromWeightPct: weightPct,
  toWeightPct: weightPct,
  ref: z.number().int().min(1).nullable(),
  detail: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  positions: z.enum(['flatten', 'handoff']).nullable(),
  versions: z.strictObject({ from: armVersions, to: armVersions }).nullable(),
  reasons: z.array(z.looseObject({ code: z.string() })),
  guardrails: z.array(z.looseObject({ name: z.string() })),
  configHash: z.string(),
  watermark: z.strictObject({
    inputs: z.array(z.strictObject({ path: z.string(), sha256: z.string() })),
    eventsProcessed: z.number().int().min(0),
    lastEventTsUs: z.number().int().min(0).nullable(),
  }),
});

/** Checks a parsed line's shape; returns the entry, or the first problem as `field: message`. */
export function parseAuditEntry(value: unknown): AuditEntry | string {
  const result = auditEntrySchema.safeParse(value);
  if (result.success) return result.data as unknown as AuditEntry;
  const issue = result.error.issues[0];
  if (issue === undefined) return '(entry): invalid';
  const path = issue.path.length === 0 ? '(entry)' : issue.path.map(String).join('.');
  return `${path}: ${issue.message}`;
}
