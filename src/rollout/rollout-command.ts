import type { AuditRecord } from './audit-record.js';
import type { PositionsPolicy } from './plan.js';

/**
 * Move the router to a step's weight. Accounts whose bucket falls between the two weights change
 * arm; their positions follow `positions`. `shadow` (weight 0): the canary trades on paper only,
 * and the router's kill switch is on so that no account, canary pins included, trades it for
 * real; otherwise the kill switch is off.
 */
export interface SetWeightCommand {
  readonly type: 'set-weight';
  /** The transition record's seq: acknowledge with `transitionComplete`. */
  readonly transitionSeq: number;
  readonly stepIndex: number;
  readonly fromWeightPct: number;
  readonly toWeightPct: number;
  readonly fromWeightBps: number;
  readonly toWeightBps: number;
  readonly shadow: boolean;
  readonly positions: PositionsPolicy;
}

/**
 * The canary becomes the stable for every account at once: the router is promoted (weight 100 %,
 * every account routes to the canary version, stable pins and exclusions included) and
 * `version` is the stable from now on.
 */
export interface PromoteCommand {
  readonly type: 'promote';
  readonly transitionSeq: number;
  readonly fromWeightPct: number;
  readonly toWeightPct: 100;
  /** The new version, now on both arms. */
  readonly version: string;
  /** The version it replaces on the stable arm. */
  readonly replacedVersion: string;
  readonly positions: PositionsPolicy;
}

/**
 * Back to the version deployed before the canary: weight 0 and the router's kill switch on, so
 * no account (canary pins included) routes to canary.
 */
export interface RollbackCommand {
  readonly type: 'rollback';
  readonly transitionSeq: number;
  readonly fromWeightPct: number;
  readonly toWeightPct: 0;
  /** The version every account runs afterwards (the deployed stable). */
  readonly toVersion: string;
  /** The canary version taken down. */
  readonly fromVersion: string;
  readonly positions: PositionsPolicy;
}

/** What the controller tells the engine to do; each one is a transition to acknowledge. */
export type RolloutCommand = SetWeightCommand | PromoteCommand | RollbackCommand;

/** The command a `transition` record carries (null for other records). */
export function commandOfRecord(record: AuditRecord): RolloutCommand | null {
  const { versions, positions } = record;
  if (record.kind !== 'transition' || versions === null || positions === null) return null;
  switch (record.action) {
    case 'set-weight':
      return {
        type: 'set-weight',
        transitionSeq: record.seq,
        stepIndex: record.stepIndex ?? 0,
        fromWeightPct: record.fromWeightPct,
        toWeightPct: record.toWeightPct,
        fromWeightBps: Math.round(record.fromWeightPct * 100),
        toWeightBps: Math.round(record.toWeightPct * 100),
        shadow: record.toWeightPct === 0,
        positions,
      };
    case 'promote':
      return {
        type: 'promote',
        transitionSeq: record.seq,
        fromWeightPct: record.fromWeightPct,
        toWeightPct: 100,
        version: versions.to.stable,
        replacedVersion: versions.from.stable,
        positions,
      };
    case 'rollback':
      return {
        type: 'rollback',
        transitionSeq: record.seq,
        fromWeightPct: record.fromWeightPct,
        toWeightPct: 0,
        toVersion: versions.to.stable,
        fromVersion: versions.from.canary ?? versions.to.stable,
        positions,
      };
    default:
      return null;
  }
}
