import type { RejectReason } from '../core/execution-report.js';

/** Every reject reason, in reporting order (the keys of `rejectsByReason`). */
export const REJECT_REASONS = [
  'MIN_NOTIONAL',
  'INSUFFICIENT_BUYING_POWER',
  'PRICE_PROTECTION',
  'INJECTED',
  'EXPIRED',
  'VENUE',
] as const satisfies readonly RejectReason[];

// Compile-time check that the list is complete.
type Missing = Exclude<RejectReason, (typeof REJECT_REASONS)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;
