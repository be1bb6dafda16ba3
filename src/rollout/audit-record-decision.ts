import { plainReason, type Decision, type DecisionReason } from '../core/decision.js';
import type { AuditRecord } from './audit-record.js';

/**
 * A decision-like audit record (an analysis or guardrail decision, or a maximum-duration action)
 * in report form, as `decisions$` publishes it, or null for any other record. A step's
 * maximum-duration halt is the plan's "hold for a person": a `hold` decision whose first reason
 * is MAX_DURATION.
 */
export function decisionOfAuditRecord(record: AuditRecord): Decision | null {
  if (record.kind !== 'decision' && record.kind !== 'timeout') return null;
  const action = record.kind === 'timeout' && record.action === 'halt' ? 'hold' : record.action;
  if (action !== 'increase' && action !== 'promote' && action !== 'hold' && action !== 'rollback') {
    return null;
  }
  const detail: DecisionReason[] =
    record.detail === null ? [] : [plainReason(record.detail.code, record.detail.message)];
  return {
    seq: record.seq,
    atTsUs: record.tsUs,
    action,
    fromWeightPct: record.fromWeightPct,
    toWeightPct: record.toWeightPct,
    stepIndex: record.stepIndex,
    disposition: record.disposition,
    reasons: [...detail, ...record.reasons],
    guardrails: record.guardrails,
  };
}

/**
 * The decisions of an audit log, in order, each as `decisions$` published it when it was taken:
 * an applied decision leads to the weight of the transition it caused (written with it).
 */
export function decisionsOfAuditLog(records: readonly AuditRecord[]): Decision[] {
  const decisions: Decision[] = [];
  const applied = new Map<number, number>(); // an applied decision's seq → its index
  for (const record of records) {
    const decision = decisionOfAuditRecord(record);
    if (decision !== null) {
      if (decision.disposition === 'applied') applied.set(decision.seq, decisions.length);
      decisions.push(decision);
    }
    if (record.kind === 'transition' && record.ref !== null) {
      const index = applied.get(record.ref);
      const led = index === undefined ? undefined : decisions[index];
      if (led !== undefined && index !== undefined)
        decisions[index] = { ...led, toWeightPct: record.toWeightPct };
    }
  }
  return decisions;
}
