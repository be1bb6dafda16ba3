import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  checkSyntheticFeedFormat,
  type SyntheticFeedFileOptions,
} from './synthetic-feed-format.js';

function usageMessage(path: string, options: SyntheticFeedFileOptions): string {
  try {
    checkSyntheticFeedFormat(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_USAGE');
    return (error as UsageError).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('checkSyntheticFeedFormat', () => {
  const binance = { seed: 1, events: 10, format: 'binance-csv-trades' } as const;

  it('accepts normalized output of any name and symbol, and Binance output named as Binance does', () => {
    expect(checkSyntheticFeedFormat('x.csv', { seed: 1, events: 1 })).toBe('normalized');
    expect(checkSyntheticFeedFormat('x.csv', { seed: 1, events: 1, symbol: 'btc-usd' })).toBe(
      'normalized',
    );
    expect(checkSyntheticFeedFormat('runs/BTCUSDT-trades-2024-01-01.csv.gz', binance)).toBe(
      'binance-csv-trades',
    );
    // A name that does not tell the symbol is allowed (the reader then needs --symbol).
    expect(checkSyntheticFeedFormat('trades.csv', { ...binance, symbol: 'ETHUSDT' })).toBe(
      'binance-csv-trades',
    );
  });

  it('refuses what the binance-csv-trades reader would not read back as written', () => {
    expect(usageMessage('x.csv', { ...binance, symbol: 'btcusdt' })).toMatch(
      /symbol: .*upper-case letters and digits only/,
    );
    expect(usageMessage('x.csv', { ...binance, symbol: 'BTC-USDT' })).toMatch(/symbol/);
    expect(usageMessage('x.csv', { ...binance, startTsUs: 5_000_000 })).toMatch(
      /startTsUs: .*µs.*1973/,
    );
    expect(usageMessage('/tmp/ETHUSDT-trades-2024-01-01.csv', binance)).toBe(
      'synthetic feed: symbol: the file name ETHUSDT-trades-2024-01-01.csv tells the symbol ETHUSDT, which the reader would take, but the trades are BTCUSDT',
    );
    expect(
      usageMessage('x.csv', { seed: 1, events: 1, format: 'binance-ws' as 'normalized' }),
    ).toMatch(/format: expected one of normalized, binance-csv-trades/);
  });
});
