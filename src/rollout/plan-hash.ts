import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { RolloutPlan } from './plan.js';

/** The plan as canonical JSON (sorted keys, no whitespace): what {@link planHash} hashes. */
export function canonicalPlanJson(plan: RolloutPlan): string {
  return canonicalJson(plan);
}

/**
 * sha256 (hex) of the plan's canonical JSON. Equal plans hash equal whatever their key order;
 * any change of a step, default, guardrail or policy changes it. The audit log's `configHash`
 * covers it.
 */
export function planHash(plan: RolloutPlan): string {
  return sha256Hex(canonicalPlanJson(plan));
}

/** sha256 of a UTF-8 string, lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
