import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { symbolFromBinanceFileName } from '../../../feeds/binance-csv-parser.js';
import {
  DEFAULT_SYNTHETIC_FEED_PARAMETERS as D,
  SYNTHETIC_FEED_FORMATS,
  type SyntheticFeedFormat,
  writeSyntheticFeed,
} from '../../../feeds/synthetic/index.js';
import { CanaryError, UsageError } from '../../core/errors.js';
import { usToIso } from '../../core/time.js';
import type { CliIo } from '../cli-io.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { parseInteger, parseNumberInRange, parsePositiveDecimal } from '../parse-option.js';
import { createProgressBar } from '../progress-bar.js';

/** Average events per minute of event time of the default model (docs/synthetic-feed.md). */
const EVENTS_PER_MINUTE_ESTIMATE = 6_400;
/** Average trades per minute of event time of the default model. */
const TRADES_PER_MINUTE_ESTIMATE = 1_650;

interface GenerateFeedCliOptions {
  readonly minutes?: string;
  readonly events?: string;
  readonly seed: string;
  readonly symbol: string;
  readonly startPrice: string;
  readonly tickSize: string;
  readonly tradesOnly?: boolean;
  readonly format: SyntheticFeedFormat;
  readonly out?: string;
  readonly progress: boolean;
}

/**
 * The default output file: `synthetic-<symbol>-s<seed>-<length>[-trades].csv.gz` for normalized
 * CSV; for Binance trades CSV a data.binance.vision-style name, so the reader finds the symbol in
 * it: `<symbol>-trades-<start date>-synthetic-s<seed>-<length>.csv.gz`.
 */
function defaultOut(
  format: SyntheticFeedFormat,
  symbol: string,
  seed: number,
  length: string,
  tradesOnly: boolean,
): string {
  if (format === 'binance-csv-trades') {
    const date = usToIso(D.startTsUs).slice(0, 10);
    return `${symbol}-trades-${date}-synthetic-s${seed}-${length}.csv.gz`;
  }
  return `synthetic-${symbol}-s${seed}-${length}${tradesOnly ? '-trades' : ''}.csv.gz`;
}

/** `strategy-canary generate-feed --minutes M --seed S`: a seeded synthetic feed (normalized CSV). */
export function generateFeedCommand(io: CliIo): Command {
  return new Command('generate-feed')
    .description(
      'Write a seeded synthetic market-data feed (normalized CSV, or Binance trades CSV; gzip when the name ends in .gz, in any case) with volatility regimes, trade bursts and a realistic spread.',
    )
    .option('--minutes <m>', 'length in event time, minutes')
    .option(
      '--events <n>',
      'exact number of events (instead of --minutes); trades with --trades-only',
    )
    .option('--seed <n>', 'seed: the same options give byte-identical output', '1')
    .option('--symbol <symbol>', 'instrument', D.symbol)
    .option('--start-price <price>', 'first best bid, on the tick grid', D.startPrice)
    .option(
      '--tick-size <tick>',
      'price increment; prices carry its decimals (e.g. --start-price 0.50000 --tick-size 0.00005: a one-tick spread of 1 bp)',
      D.tickSize,
    )
    .option('--trades-only', 'write only the trades (the same trades as the full feed)')
    .addOption(
      new Option(
        '--format <format>',
        'normalized: trades and quotes; binance-csv-trades: a data.binance.vision spot trades CSV (µs times, trades only)',
      )
        .choices(SYNTHETIC_FEED_FORMATS)
        .default('normalized'),
    )
    .option(
      '--out <file>',
      'output file (default: synthetic-<symbol>-s<seed>-<length>.csv.gz here; with --format binance-csv-trades <symbol>-trades-<date>-synthetic-s<seed>-<length>.csv.gz)',
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
      const startPrice = parsePositiveDecimal('--start-price', options.startPrice);
      const tickSize = parsePositiveDecimal('--tick-size', options.tickSize);
      const format = options.format;
      const tradesOnly = options.tradesOnly === true || format === 'binance-csv-trades';
      const length = events === undefined ? `${minutes}m` : `${events}ev`;
      const out = options.out ?? defaultOut(format, options.symbol, seed, length, tradesOnly);
      const perMinute = tradesOnly ? TRADES_PER_MINUTE_ESTIMATE : EVENTS_PER_MINUTE_ESTIMATE;
      const total = events ?? Math.round((minutes ?? 0) * perMinute);
      const bar = createProgressBar(io, total, 'generate', {
        enabled: options.progress,
        unit: 'events',
      });
      // Ctrl-C (or SIGTERM) stops the writing: nothing is left at --out (a file already there
      // stays as it was); a second one quits at once.
      const stop = stopOnSignals({
        reason: (signal) =>
          new CanaryError(
            'E_INTERRUPTED',
            `generate-feed: stopped by ${signal}; nothing written, ${out} left as it was`,
          ),
      });
      const summary = await writeSyntheticFeed(
        out,
        {
          seed,
          symbol: options.symbol,
          startPrice,
          tickSize,
          format,
          ...(tradesOnly ? { tradesOnly } : {}),
          ...(minutes === undefined ? {} : { minutes }),
          ...(events === undefined ? {} : { events }),
        },
        (written) => bar.update(written),
        stop.signal,
      ).finally(() => {
        stop.release();
        bar.stop();
      });
      const spanMinutes = (summary.lastTsUs - summary.firstTsUs) / 60e6;
      io.stdout.write(
        `wrote ${summary.events.toLocaleString('en-US')} ${tradesOnly ? 'trades' : 'events'} (${spanMinutes.toFixed(1)} min of event time${format === 'normalized' ? '' : `, ${format}`}) to ${out}\n`,
      );
      if (format === 'binance-csv-trades' && symbolFromBinanceFileName(basename(out)) === null)
        io.stderr.write(
          `strategy-canary: note: the file name does not tell the symbol (Binance names files like ${options.symbol}-trades-2024-01-01.csv.gz): replay it with --symbol ${options.symbol}\n`,
        );
    });
}
