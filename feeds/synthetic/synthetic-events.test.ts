import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent, QuoteEvent } from '../../src/core/market-event.js';
import { Decimal } from '../../src/core/money.js';
import { formatNormalizedCsvLine } from '../normalized-csv-format.js';
import { syntheticEvents } from './synthetic-events.js';
import type { SyntheticFeedOptions } from './synthetic-feed-options.js';

const START_US = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z

function lines(options: SyntheticFeedOptions): string[] {
  return Array.from(syntheticEvents(options), formatNormalizedCsvLine);
}

/** Integer count of the last decimal place, from the string alone. */
function scaled(text: string): number {
  return Number(text.replace('.', ''));
}

/**
 * Checks every invariant of one run with plain comparisons (expect() per event would be slow) and
 * returns the problems found, at most 5, and the number of events seen.
 */
function checkInvariants(
  options: SyntheticFeedOptions,
  tickSize: string,
  sizeDecimals: number,
): { problems: string[]; count: number } {
  const problems: string[] = [];
  const tick = new Decimal(tickSize);
  const priceDecimals = tick.decimalPlaces();
  const tickUnits = tick.times(new Decimal(10).pow(priceDecimals)).toNumber();
  const pricePattern =
    priceDecimals === 0 ? /^[1-9]\d*$/ : new RegExp(`^\\d+\\.\\d{${priceDecimals}}$`);
  const sizePattern = sizeDecimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${sizeDecimals}}$`);
  const check = (ok: boolean, what: string, event: MarketEvent): void => {
    if (!ok && problems.length < 5) problems.push(`${what}: ${formatNormalizedCsvLine(event)}`);
  };
  const checkPrice = (text: string, num: number, event: MarketEvent): void => {
    check(pricePattern.test(text), `price format ${text}`, event);
    check(scaled(text) > 0, 'price > 0', event);
    check(scaled(text) % tickUnits === 0, `price ${text} on the ${tickSize} grid`, event);
    check(num === Number(text), 'price float twin', event);
  };
  const checkSize = (text: string, num: number, event: MarketEvent): void => {
    check(sizePattern.test(text), `size format ${text}`, event);
    check(scaled(text) > 0, 'size > 0', event);
    check(num === Number(text), 'size float twin', event);
  };

  let count = 0;
  let lastTsUs = -1;
  let lastTradeId = 0;
  let quote: QuoteEvent | null = null;
  let bidLeft = 0; // lots left at the quoted bid / ask after the trades since that quote
  let askLeft = 0;
  for (const event of syntheticEvents(options)) {
    count++;
    check(Number.isSafeInteger(event.tsUs) && event.tsUs >= lastTsUs, 'time non-decreasing', event);
    lastTsUs = event.tsUs;
    check(event.symbol === (options.symbol ?? 'BTCUSDT'), 'symbol', event);
    check(event.exchange === (options.exchange ?? 'synthetic'), 'exchange', event);
    if (event.type === 'quote') {
      checkPrice(event.bidPrice, event.bidPriceNum, event);
      checkPrice(event.askPrice, event.askPriceNum, event);
      checkSize(event.bidSize, event.bidSizeNum, event);
      checkSize(event.askSize, event.askSizeNum, event);
      check(scaled(event.bidPrice) < scaled(event.askPrice), 'bid < ask', event);
      quote = event;
      bidLeft = scaled(event.bidSize);
      askLeft = scaled(event.askSize);
    } else {
      checkPrice(event.price, event.priceNum, event);
      checkSize(event.size, event.sizeNum, event);
      check(event.id === String(++lastTradeId), 'trade ids 1, 2, 3…', event);
      // Buys print at the ask, sells at the bid, of the book as last published, within its size.
      if (event.side === 'buy') {
        check(event.price === quote?.askPrice, 'buy at the ask', event);
        askLeft -= scaled(event.size);
        check(askLeft >= 0, 'buys within the ask size', event);
      } else {
        check(event.side === 'sell' && event.price === quote?.bidPrice, 'sell at the bid', event);
        bidLeft -= scaled(event.size);
        check(bidLeft >= 0, 'sells within the bid size', event);
      }
    }
  }
  return { problems, count };
}

describe('syntheticEvents', () => {
  it('is deterministic: same options, same events', () => {
    const a = Array.from(syntheticEvents({ seed: 42, events: 3_000 }));
    const b = Array.from(syntheticEvents({ seed: 42, events: 3_000 }));
    expect(b).toEqual(a);
    expect(lines({ seed: 42, minutes: 0.5 })).toEqual(lines({ seed: 42, minutes: 0.5 }));
  });

  it('gives different events for different seeds', () => {
    const a = lines({ seed: 1, events: 500 });
    const b = lines({ seed: 2, events: 500 });
    expect(b).not.toEqual(a);
    const common = a.filter((line, i) => line === b[i]).length;
    expect(common).toBe(0); // even the opening snapshot's sizes differ
  });

  it('opens with the starting book: startPrice bid, one tick above it ask, at startTsUs', () => {
    const [first] = syntheticEvents({
      seed: 3,
      events: 1,
      startPrice: '2500.50',
      tickSize: '0.05',
    });
    expect(first).toMatchObject({
      type: 'quote',
      tsUs: START_US,
      bidPrice: '2500.50',
      askPrice: '2500.55',
    });
    const [other] = syntheticEvents({
      seed: 3,
      events: 1,
      startTsUs: 5_000_000,
      symbol: 'ETHUSDT',
      exchange: 'x',
    });
    expect(other).toMatchObject({
      tsUs: 5_000_000,
      symbol: 'ETHUSDT',
      exchange: 'x',
      bidPrice: '60000.00',
    });
  });

  it('is lazy: an endless run costs nothing until pulled', () => {
    const events = syntheticEvents({ seed: 1, events: Number.MAX_SAFE_INTEGER });
    const firstTen = Array.from({ length: 10 }, () => events.next().value as MarketEvent);
    expect(firstTen.map((e) => e.tsUs)).toEqual(
      [...firstTen.map((e) => e.tsUs)].sort((a, b) => a - b),
    );
    expect(lines({ seed: 1, events: 10 })).toEqual(firstTen.map(formatNormalizedCsvLine));
  });

  it('gives exactly `events` events, whatever minutes say', () => {
    for (const n of [1, 2, 7, 1_234]) expect(lines({ seed: n, events: n })).toHaveLength(n);
    expect(lines({ seed: 1, events: 300, minutes: 0.0001 })).toHaveLength(300);
  });

  it('covers `minutes` of event time and stops before its end', () => {
    const events: MarketEvent[] = Array.from(syntheticEvents({ seed: 9, minutes: 3 }));
    const endUs = START_US + 3 * 60_000_000;
    expect(events[0]!.tsUs).toBe(START_US);
    expect(events.at(-1)!.tsUs).toBeLessThan(endUs);
    expect(events.at(-1)!.tsUs).toBeGreaterThan(endUs - 5_000_000);
    // A tiny span still holds the opening snapshot.
    expect(lines({ seed: 9, minutes: 1e-9 })).toHaveLength(1);
  });

  it('keeps its invariants for any seed and instrument', () => {
    const instruments = [
      { tickSize: '0.01', startPrice: '60000.00', sizeDecimals: 5 },
      { tickSize: '0.1', startPrice: '61800.3', sizeDecimals: 3 },
      { tickSize: '0.25', startPrice: '4.75', sizeDecimals: 8 },
      { tickSize: '5', startPrice: '50', sizeDecimals: 0 },
      { tickSize: '0.00005', startPrice: '0.50000', sizeDecimals: 5 }, // wide: 1 tick = 1 bp
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.constantFrom(...instruments),
        fc.constantFrom('calm', 'normal', 'volatile'),
        (seed, instrument, initialRegime) => {
          const options = { seed, events: 2_500, initialRegime, ...instrument };
          const { problems, count } = checkInvariants(
            options,
            instrument.tickSize,
            instrument.sizeDecimals,
          );
          expect(problems).toEqual([]);
          expect(count).toBe(2_500);
        },
      ),
      { numRuns: 24 },
    );
  });

  it('keeps bid above zero even for a penny instrument in a crash', () => {
    const regimes = [
      {
        name: 'crash',
        annualVolPct: 1000,
        meanDurationMinutes: 60,
        activity: 3,
        wideSpreadProbability: 0.5,
        wideSpreadMeanTicks: 3,
        levelGapMeanTicks: 3,
        next: [1],
      },
    ];
    const options = { seed: 5, events: 20_000, tickSize: '0.01', startPrice: '0.05', regimes };
    const { problems, count } = checkInvariants(options, '0.01', 5);
    expect(problems).toEqual([]);
    expect(count).toBe(20_000);
  });

  it('makes a wide-tick instrument: on its grid, one-tick spreads of 1 bp, a moving book', () => {
    const options = { seed: 11, minutes: 10, startPrice: '0.50000', tickSize: '0.00005' };
    const { problems } = checkInvariants(options, '0.00005', 5);
    expect(problems).toEqual([]);
    let quotes = 0;
    let oneTick = 0;
    let trades = 0;
    let maxMoveBps = 0;
    const bids = new Set<string>();
    for (const event of syntheticEvents(options)) {
      if (event.type === 'trade') {
        trades++;
        continue;
      }
      quotes++;
      if (scaled(event.askPrice) - scaled(event.bidPrice) === 5) oneTick++;
      bids.add(event.bidPrice);
      const mid = (event.bidPriceNum + event.askPriceNum) / 2;
      maxMoveBps = Math.max(maxMoveBps, Math.abs(mid / 0.500025 - 1) * 1e4);
    }
    expect(trades).toBeGreaterThan(5_000);
    expect(oneTick / quotes).toBeGreaterThan(0.9); // 98 % here; the BTC default's book model
    // Ten minutes at 55 % annual volatility move the price by some bp: tens of ticks at most.
    expect(bids.size).toBeGreaterThan(10);
    expect(maxMoveBps).toBeGreaterThan(5);
    expect(maxMoveBps).toBeLessThan(200);
  });

  it('gives only trades with tradesOnly: those of the full run, `events` counting trades', () => {
    const full = Array.from(syntheticEvents({ seed: 6, minutes: 2 }));
    const trades = Array.from(syntheticEvents({ seed: 6, minutes: 2, tradesOnly: true }));
    expect(trades.length).toBeGreaterThan(1_000);
    expect(trades.every((e) => e.type === 'trade')).toBe(true);
    expect(trades).toEqual(full.filter((e) => e.type === 'trade'));
    const first = Array.from(syntheticEvents({ seed: 6, events: 500, tradesOnly: true }));
    expect(first).toEqual(trades.slice(0, 500));
  });
});
