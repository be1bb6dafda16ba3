import { basename } from 'node:path';
import { UsageError } from '../../src/core/errors.js';
import { MS_US_THRESHOLD, symbolFromBinanceFileName } from '../binance-csv-parser.js';
import {
  DEFAULT_SYNTHETIC_FEED_PARAMETERS as D,
  type SyntheticFeedOptions,
} from './synthetic-feed-options.js';

/**
 * The file formats the synthetic feed is written in: strategy-canary's `normalized` CSV (trades
 * and quotes), or a data.binance.vision spot `binance-csv-trades` CSV (trades only).
 */
export type SyntheticFeedFormat = 'normalized' | 'binance-csv-trades';

/** Every {@link SyntheticFeedFormat} (for `generate-feed --format` choices). */
export const SYNTHETIC_FEED_FORMATS: readonly SyntheticFeedFormat[] = [
  'normalized',
  'binance-csv-trades',
];

/** {@link SyntheticFeedOptions} plus the file format, for `writeSyntheticFeed`. */
export interface SyntheticFeedFileOptions extends SyntheticFeedOptions {
  /**
   * `normalized` (default) or `binance-csv-trades`, which implies `tradesOnly` and needs a symbol
   * of upper-case letters and digits (the reader takes it from a Binance-style file name, like
   * `BTCUSDT-trades-2024-01-01.csv.gz`) and a start at or after 10^14 µs (the reader tells µs
   * from ms by magnitude).
   */
  readonly format?: SyntheticFeedFormat;
}

function fail(field: string, reason: string): never {
  throw new UsageError(`synthetic feed: ${field}: ${reason}`);
}

/**
 * Checks that the feed can be written to `path` in its format and read back as written; returns
 * the format. Throws {@link UsageError} (`E_USAGE`): an unknown format; for `binance-csv-trades`, a
 * symbol the reader cannot take from a file name, a start time it would read as milliseconds, or
 * a file name that tells another symbol (the reader would take that one).
 */
export function checkSyntheticFeedFormat(
  path: string,
  options: SyntheticFeedFileOptions,
): SyntheticFeedFormat {
  const format = options.format ?? 'normalized';
  if (!SYNTHETIC_FEED_FORMATS.includes(format))
    fail('format', `expected one of ${SYNTHETIC_FEED_FORMATS.join(', ')}, got ${String(format)}`);
  if (format === 'normalized') return format;
  const symbol = options.symbol ?? D.symbol;
  if (!/^[A-Z0-9]+$/.test(symbol))
    fail(
      'symbol',
      `binance-csv-trades files carry the symbol in their name, upper-case letters and digits only (like BTCUSDT), got '${symbol}'`,
    );
  const startTsUs = options.startTsUs ?? D.startTsUs;
  if (startTsUs < MS_US_THRESHOLD)
    fail(
      'startTsUs',
      `binance-csv-trades times are µs, which the reader tells from ms by magnitude: start at ${MS_US_THRESHOLD} (1973-03-03) or later, got ${startTsUs}`,
    );
  const named = symbolFromBinanceFileName(basename(path));
  if (named !== null && named !== symbol)
    fail(
      'symbol',
      `the file name ${basename(path)} tells the symbol ${named}, which the reader would take, but the trades are ${symbol}`,
    );
  return format;
}
