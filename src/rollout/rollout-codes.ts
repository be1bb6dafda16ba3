/**
 * Stable codes of the controller's `RecordDetail`s (docs/rollout.md lists them): why an input was
 * refused, and what a transition or note is.
 */
export const ROLLOUT_CODES = {
  /**
   * Refused: the rollout has not started (a decision before `start`; in `createCanary`, any command
   * before its first event time).
   */
  NOT_STARTED: 'NOT_STARTED',
  /** Refused: `start` on a rollout that already started. */
  ALREADY_STARTED: 'ALREADY_STARTED',
  /** Refused: the rollout is over (promoted or rolled back). */
  ROLLOUT_OVER: 'ROLLOUT_OVER',
  /** Refused: an advance evaluated at another step than the current one. */
  STALE_STEP: 'STALE_STEP',
  /** Refused: `increase` at the last step (only `promote` leaves it). */
  LAST_STEP: 'LAST_STEP',
  /** Refused: `promote` before the last (100 %) step. */
  NOT_LAST_STEP: 'NOT_LAST_STEP',
  /** Refused: an advance while a transition is in progress. */
  TRANSITION_IN_PROGRESS: 'TRANSITION_IN_PROGRESS',
  /** Refused: an advance, or the start, while halted (resume first). */
  HALTED: 'HALTED',
  /** Refused: an advance while the plan's trading calendar is closed (a blackout, outside the sessions). */
  CALENDAR_CLOSED: 'CALENDAR_CLOSED',
  /** Refused: an advance while a rollback proposal waits for the operator. */
  ROLLBACK_PENDING: 'ROLLBACK_PENDING',
  /** Refused: anything but halt / resume once a rollback is queued. */
  ROLLBACK_QUEUED: 'ROLLBACK_QUEUED',
  /** Refused: the same proposal already waits for the operator (its id stays valid). */
  PROPOSAL_ALREADY_PENDING: 'PROPOSAL_ALREADY_PENDING',
  /** Refused: approve / reject of an id that is not the waiting proposal. */
  NO_SUCH_PROPOSAL: 'NO_SUCH_PROPOSAL',
  /** Refused: halt while halted. */
  ALREADY_HALTED: 'ALREADY_HALTED',
  /** Refused: resume while not halted. */
  NOT_HALTED: 'NOT_HALTED',
  /** Refused: force-rollback to a version the deployment history has never seen. */
  ROLLBACK_TARGET_NEVER_DEPLOYED: 'ROLLBACK_TARGET_NEVER_DEPLOYED',
  /** Refused: force-rollback to a version that is not the one deployed before the canary. */
  ROLLBACK_TARGET_NOT_PREVIOUS: 'ROLLBACK_TARGET_NOT_PREVIOUS',
  /** Note: a step passed its maximum duration. */
  MAX_DURATION: 'MAX_DURATION',
  /** Note: an operator's own words (halt, reject, force-rollback reason). */
  OPERATOR: 'OPERATOR',
  /** Notes of the transitions. */
  START: 'START',
  SET_WEIGHT: 'SET_WEIGHT',
  PROMOTE: 'PROMOTE',
  ROLLBACK: 'ROLLBACK',
  TRANSITION_COMPLETE: 'TRANSITION_COMPLETE',
  /** Note of a `repair` record: a torn last line was moved aside. */
  TORN_LINE: 'TORN_LINE',
} as const;

/** One of {@link ROLLOUT_CODES}. */
export type RolloutCode = (typeof ROLLOUT_CODES)[keyof typeof ROLLOUT_CODES];
