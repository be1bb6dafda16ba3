import type { Account } from '../core/account.js';
import { ConfigError, UsageError } from '../core/errors.js';
import type { SegmentReplay } from '../engine/run-segmented-replay.js';
import type { ReplayConfig } from '../engine/replay-config.js';
import { parseInjectSpecs } from '../execution/index.js';
import { segmentPlan, type PlanSegments } from '../rollout/index.js';

/** `--inject` specs split by segment: `NAME/ARM:…` parts apply to segment NAME, the others to all. */
export interface SegmentInjectSpecs {
  readonly common: readonly string[];
  readonly bySegment: ReadonlyMap<string, readonly string[]>;
}

/** `usdm/canary:latency=+20ms`: a segment name, a slash, then an arm's spec. */
const SEGMENT_PREFIX = /^\s*([^/:;]+)\/(.*)$/s;

/** The lanes `--inject` prefixes may name: a plan's segments, or an A/B/n run's candidates. */
export interface InjectLanes {
  readonly kind: 'segment' | 'candidate';
  readonly names: readonly string[];
}

/**
 * Splits `--inject` specs into the parts every lane gets and each lane's own (`NAME/ARM:…`: a
 * segment, docs/rollout.md "Segments", or a candidate, `c2/canary:…`). `lanes` null: the run has
 * none, and a prefix is an error.
 * @throws ConfigError `E_INJECT_SPEC` for a prefix naming no lane (or any prefix without lanes).
 */
export function splitInjectSpecs(
  specs: readonly string[],
  lanes: InjectLanes | null,
): SegmentInjectSpecs {
  const common: string[] = [];
  const bySegment = new Map<string, string[]>();
  for (const spec of specs) {
    for (const part of spec.split(';')) {
      const match = SEGMENT_PREFIX.exec(part);
      if (match === null) {
        common.push(part);
        continue;
      }
      const name = match[1]!.trim();
      if (lanes === null)
        throw new ConfigError(
          'E_INJECT_SPEC',
          `bad --inject spec "${part}": the prefix "${name}/" needs a plan with segments or several --candidate (docs/rollout.md)`,
        );
      if (!lanes.names.includes(name))
        throw new ConfigError(
          'E_INJECT_SPEC',
          lanes.kind === 'segment'
            ? `bad --inject spec "${part}": the plan has no segment "${name}" (its segments: ${lanes.names.join(', ')})`
            : `bad --inject spec "${part}": there is no candidate "${name}" (the candidates: ${lanes.names.join(', ')}, in --candidate order)`,
        );
      bySegment.set(name, [...(bySegment.get(name) ?? []), match[2]!]);
    }
  }
  return { common, bySegment };
}

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
 * Each segment's run of a segmented replay: the replay's configuration with the segment's
 * accounts, its faults (the common `--inject` parts plus its own) and its plan
 * (`segmentPlan`); audit logs in memory (the lanes' writer puts each in its run directory).
 */
export function segmentReplays(
  config: ReplayConfig,
  segments: PlanSegments,
  inject: SegmentInjectSpecs,
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
      injections: parseInjectSpecs([
        ...inject.common,
        ...(inject.bySegment.get(segment.name) ?? []),
      ]),
      rollout: {
        ...rollout,
        plan: segmentPlan(rollout.plan, segment.name),
        auditPath: null,
      },
    },
  }));
}
