import { describe, expect, it } from 'vitest';
import { detectFeedFormat } from './detect-feed-format.js';
import type { FeedFormat } from './feed-source.js';
import { fixtureText } from './test-support/feed-test-utils.js';

const firstLines = (name: string, skip = 0): string[] =>
  fixtureText(name)
    .split('\n')
    .slice(skip, skip + 8);

describe('detectFeedFormat', () => {
  const cases: [string, number, FeedFormat][] = [
    ['binance-ws-spot.txt', 0, 'binance-ws'],
    ['binance-ws-futures.jsonl', 0, 'binance-ws'],
    ['binance-ws-spot-bare.jsonl', 0, 'binance-ws'],
    ['BTCUSDT-trades-2024-08-08.csv', 0, 'binance-csv-trades'],
    ['BTCUSDT-trades-2025-01-02.csv', 0, 'binance-csv-trades'],
    ['ETHUSDT-aggTrades-2024-08-08.csv', 0, 'binance-csv-aggtrades'],
    ['futures-um/BTCUSDT-trades-2024-08-08.csv', 0, 'binance-csv-trades'],
    ['futures-um/BTCUSDT-trades-2024-08-08.csv', 1, 'binance-csv-trades'],
    ['futures-um/BTCUSDT-aggTrades-2024-08-08.csv', 0, 'binance-csv-aggtrades'],
    ['futures-um/BTCUSDT-aggTrades-2024-08-08.csv', 1, 'binance-csv-aggtrades'],
    ['tardis-trades.csv', 0, 'tardis-trades'],
    ['tardis-trades.csv', 1, 'tardis-trades'],
    ['tardis-quotes.csv', 0, 'tardis-quotes'],
    ['tardis-quotes.csv', 1, 'tardis-quotes'],
    ['normalized.csv', 0, 'normalized'],
    ['normalized.csv', 1, 'normalized'],
  ];

  it.each(cases)('detects %s (first %i lines dropped) as %s', (name, skip, format) => {
    expect(detectFeedFormat(firstLines(name, skip))).toBe(format);
  });

  it('looks past blank lines, a byte-order mark and CRLF', () => {
    expect(detectFeedFormat(['', '  ', '\uFEFF' + firstLines('normalized.csv')[0] + '\r'])).toBe(
      'normalized',
    );
  });

  it('tells spot trades from futures aggTrades, both 7 columns, by the 6th column', () => {
    expect(detectFeedFormat(['1,61837.63,0.02,1236.7526,1723161255342,True,True'])).toBe(
      'binance-csv-trades',
    );
    expect(detectFeedFormat(['1,61800.30,0.006,5,5,1723161256322,false'])).toBe(
      'binance-csv-aggtrades',
    );
  });

  it('returns null for anything else', () => {
    expect(detectFeedFormat([])).toBeNull();
    expect(detectFeedFormat(['hello world'])).toBeNull();
    expect(detectFeedFormat(['a,b,c'])).toBeNull();
    expect(detectFeedFormat(['open_time,open,high,low,close,volume'])).toBeNull();
    expect(detectFeedFormat(['1723161240000,61800,61900,61700,61850,12.5'])).toBeNull(); // a kline row
    expect(detectFeedFormat(['PK\u0003\u0004binary'])).toBeNull();
  });
});
