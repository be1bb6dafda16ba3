import { Command } from 'commander';
import { candidateName } from '../../engine/candidate-name.js';
import {
  bucketOf,
  candidateOfBucket,
  laneBuckets,
  laneOfBucket,
  Router,
  weightPctToBps,
} from '../../router/index.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger, parseNumberInRange } from '../parse-option.js';
import { REPLAY_DEFAULTS } from './replay-command.js';

interface RouteCliOptions {
  readonly salt: string;
  readonly weight: string;
  readonly candidates?: string;
  readonly json?: boolean;
}

/** One account's answer: its bucket and arm, and with candidates its lane. */
interface RouteRow {
  readonly accountId: string;
  readonly bucket: number;
  /** `stable`, `canary`, or with candidates the lane's candidate (`c1` …). */
  readonly arm: string;
  /** With candidates: the account's lane, named by its candidate. */
  readonly lane?: string;
}

/**
 * `strategy-canary route <accountId>... --salt S --weight W [--candidates N]`: each account's
 * bucket and arm; with `--candidates N`, as an A/B/n replay with N candidates routes it (its lane,
 * whose candidate it trades once the lane's weight, a share of the lane, covers its bucket).
 */
export function routeCommand(io: CliIo): Command {
  return new Command('route')
    .description(
      'Print the bucket (0–9999) and arm of each account id: canary when bucket < weight in basis points (docs/bucketing.md).',
    )
    .argument('<accountId...>', 'account ids, hashed as UTF-8')
    .option('--salt <salt>', 'routing salt', REPLAY_DEFAULTS.salt)
    .option(
      '--weight <pct>',
      'canary weight in % (0–100, 0.01 steps); with --candidates, each lane’s share',
      REPLAY_DEFAULTS.weightPct,
    )
    .option(
      '--candidates <n>',
      'as an A/B/n replay with n candidates (replay --candidate … n times): each account’s lane, and its candidate (c1 …) or stable',
    )
    .option('--json', 'one JSON object per line')
    .action((ids: string[], options: RouteCliOptions) => {
      const weightBps = weightPctToBps(parseNumberInRange('--weight', options.weight, 0, 100));
      const candidates =
        options.candidates === undefined
          ? null
          : parseInteger('--candidates', options.candidates, 1, 10_000);
      const rows =
        candidates === null
          ? twoArmRows(ids, options.salt, weightBps)
          : laneRows(ids, options.salt, weightBps, candidates);
      if (options.json) {
        for (const row of rows)
          io.stdout.write(
            `${JSON.stringify({ ...row, salt: options.salt, weightBps, ...(candidates === null ? {} : { candidates }) })}\n`,
          );
        return;
      }
      const width = Math.max(9, ...ids.map((id) => id.length));
      const laneWidthText = Math.max(4, ...rows.map((row) => row.lane?.length ?? 0));
      const weightText =
        candidates === null
          ? `weight ${weightBps} bps`
          : `${candidates} candidates, each at ${weightBps} bps of its lane`;
      io.stdout.write(
        `${'accountId'.padEnd(width)}  bucket  ${candidates === null ? '' : `${'lane'.padEnd(laneWidthText)}  `}arm      (salt "${options.salt}", ${weightText})\n`,
      );
      for (const row of rows) {
        io.stdout.write(
          `${row.accountId.padEnd(width)}  ${String(row.bucket).padStart(6)}  ${row.lane === undefined ? '' : `${row.lane.padEnd(laneWidthText)}  `}${row.arm}\n`,
        );
      }
    });
}

/** The two-arm answers: the router's own. */
function twoArmRows(ids: readonly string[], salt: string, weightBps: number): RouteRow[] {
  const router = new Router({ salt, weightBps });
  return ids.map((accountId) => ({
    accountId,
    bucket: bucketOf(salt, accountId),
    arm: router.route(accountId),
  }));
}

/** The A/B/n answers: every lane at `weightBps` of itself, the rule each lane's router follows. */
function laneRows(
  ids: readonly string[],
  salt: string,
  weightBps: number,
  candidates: number,
): RouteRow[] {
  const weights = new Array<number>(candidates).fill(laneBuckets(weightBps, candidates));
  return ids.map((accountId) => {
    const bucket = bucketOf(salt, accountId);
    const k = candidateOfBucket(bucket, weights);
    const lane = candidateName(laneOfBucket(bucket, candidates));
    return { accountId, bucket, lane, arm: k < 0 ? 'stable' : candidateName(k) };
  });
}
