import { weightChangeText } from './weight-change-text.js';

/** The fields of an audit.jsonl line a report shows (docs/rollout.md, "Audit log"). */
export interface AuditLineForReport {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly action: string;
  readonly disposition: string;
  readonly trigger: string | null;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  /** The seq of the record that caused this one (a transition's decision or command), or null. */
  readonly ref?: number | null;
  readonly detail: { readonly code: string; readonly message: string } | null;
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
}

/** One row of the decision log: every audit entry, in order. */
export interface DecisionLogRow {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly action: string;
  readonly disposition: string;
  readonly trigger: string;
  readonly weights: string;
  /** `CODE: message` of the entry's note, else of its first reason; empty when it has neither. */
  readonly reason: string;
}

/** The decision log's rows, one per audit entry. */
export function decisionLogRows(lines: readonly AuditLineForReport[]): DecisionLogRow[] {
  return lines.map((line) => {
    const main = line.detail ?? line.reasons[0] ?? null;
    return {
      seq: line.seq,
      at: line.at,
      kind: line.kind,
      action: line.action,
      disposition: line.disposition,
      trigger: line.trigger ?? '',
      weights: weightChangeText(line.fromWeightPct, line.toWeightPct),
      reason: main === null ? '' : `${main.code}: ${main.message}`,
    };
  });
}
