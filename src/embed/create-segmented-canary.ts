import { join } from 'node:path';
import type { Arm } from '../core/arm.js';
import { CanaryError, ConfigError } from '../core/errors.js';
import type { MarketEvent } from '../core/market-event.js';
import { PlanError, segmentPlan, type RolloutPlan } from '../rollout/index.js';
import type { BotReport } from './bot-report.js';
import { canaryAccounts } from './canary-accounts.js';
import { marketEventProblem } from './market-event-problem.js';
import {
  createCanary,
  type Canary,
  type CanaryAccount,
  type CanaryOptions,
  type RecordOptions,
} from './create-canary.js';
import type { RecordResult } from './report-rejection.js';

/** Options of {@link createSegmentedCanary}: {@link CanaryOptions} for a plan with segments. */
export interface SegmentedCanaryOptions extends Omit<
  CanaryOptions,
  'plan' | 'accounts' | 'statePath' | 'auditPath' | 'journalPath'
> {
  /** A plan with `segments` (docs/rollout.md, "Segments"). */
  readonly plan: RolloutPlan;
  /** Every account with its `segment`, one of the plan's. */
  readonly accounts: readonly CanaryAccount[];
  /**
   * Persist each segment's rollout under `stateDir/NAME/` (state.json, audit.jsonl, and
   * reports.jsonl with `journal`): a restarted bot resumes every segment where it was.
   */
  readonly stateDir?: string;
  /** With `stateDir`: journal each segment's reports (createCanary's `journalPath`). */
  readonly journal?: boolean;
}

/** Options of {@link SegmentedCanary.record}: a strategy error names its segment. */
export interface SegmentedRecordOptions extends RecordOptions {
  /** The segment a `strategy-error` report belongs to (orders, fills and rejects: their account's). */
  readonly segment?: string;
}

/**
 * A bot's rollout per segment (docs/embedding.md, "Segments"): one {@link Canary} per segment of
 * the plan, each with its accounts, its venue's market events, its own evidence and rollback. It
 * routes and records by account and passes each market event to the segments of its venue;
 * operator commands, decisions and state are each segment's canary's (`segments`).
 */
export interface SegmentedCanary {
  /** Each segment's canary, in the plan's order. */
  readonly segments: ReadonlyMap<string, Canary>;
  /** The segment an account belongs to; throws `E_UNKNOWN_ACCOUNT` for an account not given. */
  segmentOf(accountId: string): string;
  /** The arm an account trades now, in its segment's rollout. */
  route(accountId: string): Arm;
  /** Records a report with the segment of its account (a strategy error: `options.segment`'s). */
  record(report: BotReport, options?: SegmentedRecordOptions): RecordResult;
  /** A market event: to every segment whose venue is the event's `exchange` (or that has none). */
  onMarketEvent(event: MarketEvent): void;
  /** Closes every segment's audit log. */
  close(): void;
}

/**
 * Creates one canary per segment of `options.plan` (`segmentPlan`), each over the accounts whose
 * `segment` is its name. Throws `E_PLAN` for a plan without segments, and `E_USAGE` for an
 * account without a known segment, a segment without accounts, or accounts `createCanary` would
 * refuse (an id repeated in two segments too).
 *
 * @example
 * const canaries = createSegmentedCanary({ stable: 'bot@1', canary: 'bot@2', plan, salt: 's',
 *   accounts: [{ id: 'a1', capital: '1000', segment: 'spot' }, …], stateDir: 'rollout' });
 * canaries.route('a1'); canaries.segments.get('spot')?.state;
 */
export function createSegmentedCanary(options: SegmentedCanaryOptions): SegmentedCanary {
  const { plan, accounts, stateDir, journal, ...common } = options;
  const segments = plan.segments;
  if (segments === undefined)
    throw new PlanError(plan.source, [
      { path: 'segments', message: 'createSegmentedCanary takes a plan with segments' },
    ]);
  if (journal === true && stateDir === undefined)
    throw new ConfigError(
      'E_USAGE',
      'journal needs stateDir: the journal belongs to a persisted rollout',
    );
  canaryAccounts(accounts); // all of them: an id repeated in two segments too
  const names = segments.list.map((segment) => segment.name);
  const segmentOfAccount = new Map<string, string>();
  for (const account of accounts) {
    if (account.segment === undefined || !names.includes(account.segment))
      throw new ConfigError(
        'E_USAGE',
        `account ${JSON.stringify(account.id)}: ${account.segment === undefined ? 'no segment' : `segment ${JSON.stringify(account.segment)} is not one of the plan's`} (its segments: ${names.join(', ')})`,
      );
    segmentOfAccount.set(account.id, account.segment);
  }
  const canaries = new Map<string, Canary>();
  const byVenue = new Map<string | null, Canary[]>();
  try {
    for (const segment of segments.list) {
      const own = accounts.filter((account) => account.segment === segment.name);
      if (own.length === 0)
        throw new ConfigError(
          'E_USAGE',
          `segment ${JSON.stringify(segment.name)} has no accounts: each of the plan's segments needs some`,
        );
      const dir = stateDir === undefined ? null : join(stateDir, segment.name);
      const canary = createCanary({
        ...common,
        plan: segmentPlan(plan, segment.name),
        accounts: own,
        ...(dir === null
          ? {}
          : {
              statePath: join(dir, 'state.json'),
              auditPath: join(dir, 'audit.jsonl'),
              ...(journal === true ? { journalPath: join(dir, 'reports.jsonl') } : {}),
            }),
      });
      canaries.set(segment.name, canary);
      byVenue.set(segment.venue, [...(byVenue.get(segment.venue) ?? []), canary]);
    }
  } catch (error) {
    for (const canary of canaries.values()) canary.close();
    throw error;
  }
  const everyVenue = byVenue.get(null) ?? [];

  const segmentOf = (accountId: string): string => {
    const segment = segmentOfAccount.get(accountId);
    if (segment === undefined)
      throw new CanaryError(
        'E_UNKNOWN_ACCOUNT',
        `account ${accountId} is not one the canary was created with (createSegmentedCanary's accounts)`,
      );
    return segment;
  };
  return {
    segments: canaries,
    segmentOf,
    route: (accountId) => canaries.get(segmentOf(accountId))!.route(accountId),
    record(report, recordOptions = {}) {
      const { segment, ...rest } = recordOptions;
      // Its segment is found by its account: what has none cannot be passed on (a TypeError).
      const unfit = unroutable(report);
      if (unfit !== null)
        return { accepted: false, rejection: { code: 'INVALID', message: unfit } };
      const name =
        report.type === 'strategy-error' ? segment : segmentOfAccount.get(report.accountId);
      const canary = name === undefined ? undefined : canaries.get(name);
      if (canary === undefined)
        return {
          accepted: false,
          rejection:
            report.type === 'strategy-error'
              ? {
                  code: 'INVALID',
                  message: `a strategy error names its segment (record(report, { segment })), one of ${names.join(', ')}`,
                }
              : {
                  code: 'UNKNOWN_ACCOUNT',
                  message: `account ${report.accountId} is not one the canary was created with`,
                },
        };
      return canary.record(report, rest);
    },
    onMarketEvent(event) {
      const problem = marketEventProblem(event); // before its exchange is read
      if (problem !== null) throw new CanaryError('E_USAGE', `onMarketEvent: ${problem}`);
      for (const canary of byVenue.get(event.exchange) ?? []) canary.onMarketEvent(event);
      for (const canary of everyVenue) canary.onMarketEvent(event);
    },
    close() {
      for (const canary of canaries.values()) canary.close();
    },
  };
}

/**
 * Why `report` cannot be routed to a segment (not an object, or a report other than a strategy
 * error without a string `accountId`), or null; the segment's canary checks the rest.
 */
function unroutable(report: unknown): string | null {
  if (typeof report !== 'object' || report === null) {
    return `report: not a report (an object expected), got ${String(report)}`;
  }
  const { type, accountId } = report as Record<string, unknown>;
  if (type === 'strategy-error' || typeof accountId === 'string') return null;
  return `accountId: ${String(accountId)} is not an account id (a string)`;
}
