import { Command } from 'commander';
import { writeSyntheticFeed } from '../../../feeds/synthetic/index.js';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger, parseNumberInRange } from '../parse-option.js';
import { createProgressBar } from '../progress-bar.js';

/** Average events per minute of event time of the default model (docs/synthetic-feed.md). */
const EVENTS_PER_MINUTE_ESTIMATE = 6_400;

interface GenerateFeedCliOptions {
  readonly minutes?: string;
  readonly events?: string;
  readonly seed: string;
  readonly symbol: string;
  readonly startPrice: string;
  readonly out?: string;
  readonly progress: boolean;
}

/** `strategy-canary generate-feed --minutes M --seed S`: a seeded synthetic feed (normalized CSV). */
export function generateFeedCommand(io: CliIo): Command {
  return new Command('generate-feed')
    .description(
      'Write a seeded synthetic market-data feed (normalized CSV, gzip when the name ends in .gz) with volatility regimes, trade bursts and a realistic spread.',
    )
    .option('--minutes <m>', 'length in event time, minutes')
    .option('--events <n>', 'exact number of events (instead of --minutes)')
    .option('--seed <n>', 'seed: the same options give byte-identical output', '1')
    .option('--symbol <symbol>', 'instrument', 'BTCUSDT')
    .option('--start-price <price>', 'first best bid', '60000.00')
    .option(
      '--out <file>',
      'output file (default: synthetic-<symbol>-s<seed>-<length>.csv.gz here)',
    )
    .option('--no-progress', 'no progress bar')
    .action(async (options: GenerateFeedCliOptions) => {
      if ((options.minutes === undefined) === (options.events === undefined)) {
        throw new UsageError('generate-feed: give exactly one of --minutes or --events');
      }
      const seed = parseInteger('--seed', options.seed, 0, Number.MAX_SAFE_INTEGER);
      const minutes =
        options.minutes === undefined
          ? undefined
          : parseNumberInRange('--minutes', options.minutes, 0.01, 525_600);
      const events =
        options.events === undefined
          ? undefined
          : parseInteger('--events', options.events, 1, 1_000_000_000);
      const length = events === undefined ? `${minutes}m` : `${events}ev`;
      const out = options.out ?? `synthetic-${options.symbol}-s${seed}-${length}.csv.gz`;
      const total = events ?? Math.round((minutes ?? 0) * EVENTS_PER_MINUTE_ESTIMATE);
      const bar = createProgressBar(io, total, 'generate', {
        enabled: options.progress,
        unit: 'events',
      });
      const summary = await writeSyntheticFeed(
        out,
        {
          seed,
          symbol: options.symbol,
          startPrice: options.startPrice,
          ...(minutes === undefined ? {} : { minutes }),
          ...(events === undefined ? {} : { events }),
        },
        (written) => bar.update(written),
      ).finally(() => bar.stop());
      const spanMinutes = (summary.lastTsUs - summary.firstTsUs) / 60e6;
      io.stdout.write(
        `wrote ${summary.events.toLocaleString('en-US')} events (${spanMinutes.toFixed(1)} min of event time) to ${out}\n`,
      );
    });
}
