import { Command } from 'commander';
import { bucketOf, Router, weightPctToBps } from '../../router/index.js';
import type { CliIo } from '../cli-io.js';
import { parseNumberInRange } from '../parse-option.js';
import { REPLAY_DEFAULTS } from './replay-command.js';

interface RouteCliOptions {
  readonly salt: string;
  readonly weight: string;
  readonly json?: boolean;
}

/** `strategy-canary route <accountId>... --salt S --weight W`: each account's bucket and arm. */
export function routeCommand(io: CliIo): Command {
  return new Command('route')
    .description(
      'Print the bucket (0–9999) and arm of each account id: canary when bucket < weight in basis points (docs/bucketing.md).',
    )
    .argument('<accountId...>', 'account ids, hashed as UTF-8')
    .option('--salt <salt>', 'routing salt', REPLAY_DEFAULTS.salt)
    .option('--weight <pct>', 'canary weight in % (0–100, 0.01 steps)', REPLAY_DEFAULTS.weightPct)
    .option('--json', 'one JSON object per line')
    .action((ids: string[], options: RouteCliOptions) => {
      const weightBps = weightPctToBps(parseNumberInRange('--weight', options.weight, 0, 100));
      const router = new Router({ salt: options.salt, weightBps });
      const rows = ids.map((id) => ({
        accountId: id,
        bucket: bucketOf(options.salt, id),
        arm: router.route(id),
      }));
      if (options.json) {
        for (const row of rows)
          io.stdout.write(`${JSON.stringify({ ...row, salt: options.salt, weightBps })}\n`);
        return;
      }
      const width = Math.max(9, ...ids.map((id) => id.length));
      io.stdout.write(
        `${'accountId'.padEnd(width)}  bucket  arm      (salt "${options.salt}", weight ${weightBps} bps)\n`,
      );
      for (const row of rows) {
        io.stdout.write(
          `${row.accountId.padEnd(width)}  ${String(row.bucket).padStart(6)}  ${row.arm}\n`,
        );
      }
    });
}
