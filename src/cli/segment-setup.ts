import type { Account } from '../core/account.js';
import { ConfigError, UsageError } from '../core/errors.js';
import type { SegmentReplay } from '../engine/run-segmented-replay.js';
import type { ReplayConfig } from '../engine/replay-config.js';
import { parseInjectSpecs } from '../execution/index.js';
import { segmentPlan, type PlanSegments } from '../rollout/index.js';
import type { LaneInjectSpecs } from './lane-inject-specs.js';

/**
 * Gives generated accounts their segments in turn (the first account to the plan's first
 * segment, the second to the second, …), so each segment gets an equal share; checks that every
 * account from a file names one of the plan's segments.
 * @throws ConfigError `E_ACCOUNTS_FILE` naming the first account without a known segment.
 */
export function accountsWithSegments(
  accounts: readonly Account[],
  segments: PlanSegments,
  source: string,
): Account[] {
  const names = segments.list.map((segment) => segment.name);
  if (source === 'generated') {
    if (accounts.length < names.length)
      throw new UsageError(
        `--accounts ${accounts.length}: fewer accounts than the plan has segments (${names.length}): each segment needs some`,
      );
    return accounts.map((account, i) => ({ ...account, segment: names[i % names.length]! }));
  }
  for (const account of accounts) {
    if (account.segment !== undefined && names.includes(account.segment)) continue;
    throw new ConfigError(
      'E_ACCOUNTS_FILE',
      `${source}: account "${account.id}": ${
        account.segment === undefined
          ? 'no segment (the plan rolls out per segment: give the file a segment column)'
          : `segment "${account.segment}" is not one of the plan's`
      } (its segments: ${names.join(', ')})`,
    );
  }
  const empty = names.filter((name) => !accounts.some((account) => account.segment === name));
  if (empty.length > 0)
    throw new ConfigError(
      'E_ACCOUNTS_FILE',
      `${source}: no account in segment${empty.length === 1 ? '' : 's'} ${empty.join(', ')}: each of the plan's segments needs accounts`,
    );
  return [...accounts];
}

/**
 * The warning for an accounts file whose `segment` column a replay ignores (its plan has no
 * `segments`, or it runs no plan), or null when no account names a segment.
 *
 * A warning, not an error: the same accounts file is legitimately reused for a segmented plan and
 * for a whole-book one (or a fixed weight), and such runs are right to ignore the column. But a
 * user who meant to roll out per segment would otherwise get one rollout of the whole book
 * without a word, so the replay says so once, on stderr, with how segments are turned on.
 */
export function ignoredSegmentColumnWarning(
  accounts: readonly Account[],
  source: string,
): string | null {
  const named = accounts.filter((account) => account.segment !== undefined).length;
  if (named === 0) return null;
  return `--accounts ${source}: its segment column (${named} of ${accounts.length} accounts name a segment) is ignored: this replay runs no plan with segments (a plan rolls out per segment with its "segments" field, docs/rollout.md "Segments")`;
}

/**
 * Each segment's run of a segmented replay: the replay's configuration with the segment's
 * accounts, its faults (the common `--inject` parts plus its own) and its plan
 * (`segmentPlan`); audit logs in memory (the lanes' writer puts each in its run directory).
 */
export function segmentReplays(
  config: ReplayConfig,
  segments: PlanSegments,
  inject: LaneInjectSpecs,
): SegmentReplay[] {
  const rollout = config.rollout;
  if (rollout === undefined) throw new RangeError('a segmented replay runs a plan');
  return segments.list.map((segment) => ({
    name: segment.name,
    venue: segment.venue,
    config: {
      ...config,
      segment: { name: segment.name, venue: segment.venue },
      accounts: config.accounts.filter((account) => account.segment === segment.name),
      injections: parseInjectSpecs([...inject.common, ...(inject.byLane.get(segment.name) ?? [])]),
      rollout: {
        ...rollout,
        plan: segmentPlan(rollout.plan, segment.name),
        auditPath: null,
      },
    },
  }));
}
