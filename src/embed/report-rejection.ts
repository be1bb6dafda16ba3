/**
 * Why a bot's report was refused (it is counted and changes nothing):
 * - `INVALID`: not a report (wrong shape, negative quantity, NaN price, a time outside 2000-01-01 to
 *   2100-01-01 (in s or µs, not ms), a fill or reject before its order's decision…: the message
 *   says which field);
 * - `UNKNOWN_ACCOUNT`: the account is not one the canary was created with;
 * - `WRONG_ARM`: the report names another arm than the one the account is routed to;
 * - `UNKNOWN_ORDER`: a fill or reject for an order that was never reported, or already settled;
 * - `DUPLICATE_FILL`: a fill id already recorded (the same fill sent again: a retry);
 * - `MISMATCH`: the fill or reject disagrees with its order (account, symbol, side or quantity);
 * - `TIME_BACKWARDS`: event time before the canary's clock by more than the tolerance.
 */
export type ReportRejectionCode =
  | 'INVALID'
  | 'UNKNOWN_ACCOUNT'
  | 'WRONG_ARM'
  | 'UNKNOWN_ORDER'
  | 'DUPLICATE_FILL'
  | 'MISMATCH'
  | 'TIME_BACKWARDS';

/** Every {@link ReportRejectionCode}, in documentation order. */
export const REPORT_REJECTION_CODES = [
  'INVALID',
  'UNKNOWN_ACCOUNT',
  'WRONG_ARM',
  'UNKNOWN_ORDER',
  'DUPLICATE_FILL',
  'MISMATCH',
  'TIME_BACKWARDS',
] as const satisfies readonly ReportRejectionCode[];

/** A refused report's reason: a stable code and a sentence. */
export interface ReportRejection {
  readonly code: ReportRejectionCode;
  readonly message: string;
}

/**
 * What `record` did with a report. `repeated`: the report's key was journaled before a restart; it
 * was booked then and is not booked again.
 */
export type RecordResult =
  | { readonly accepted: true; readonly repeated?: true }
  | { readonly accepted: false; readonly rejection: ReportRejection };
