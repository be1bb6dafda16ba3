import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import { EventArrayBatcher } from './event-array-batcher.js';
import { FeedContext } from './feed-context.js';
import { FeedReader, MAX_LINE_BYTES } from './feed-reader.js';
import type { FeedStats } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import type { LineParser, ParsedEventSink } from './line-parser.js';

/** Records the lines it is given; produces no events. */
class RecordingParser implements LineParser {
  readonly lines: [number, string][] = [];
  parseLine(line: string, lineNo: number): MarketEvent | null {
    this.lines.push([lineNo, line]);
    return null;
  }
}

/** Feeds `bytes` to a reader in pieces cut at `cuts` (byte offsets). */
function readInPieces(
  bytes: Buffer,
  cuts: readonly number[],
): { parser: RecordingParser; stats: FeedStats } {
  const stats = emptyFeedStats();
  const parser = new RecordingParser();
  const reader = new FeedReader(
    new FeedContext('x', stats, 0),
    parser,
    false,
    new EventArrayBatcher(),
  );
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...offsets, bytes.length]) {
    if (to > from) reader.consume(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  reader.finish();
  return { parser, stats };
}

describe('FeedReader line splitting', () => {
  it('gives the same lines however the bytes are cut into chunks (property, incl. UTF-8 split mid-character)', () => {
    const lineArbitrary = fc.string({
      unit: fc.constantFrom('a', 'b', ',', '1', '€', '😀', ' ', '\r'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (lines, cuts, finalNewline) => {
          const text = lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
          const { parser, stats } = readInPieces(Buffer.from(text), cuts);
          // expected: split on \n, drop one trailing \r per line; the text after the last \n is
          // a line only when not empty
          const pieces = text.split('\n');
          if (pieces.at(-1) === '') pieces.pop();
          const expected = pieces
            .map((line, i): [number, string] => [
              i + 1,
              line.endsWith('\r') ? line.slice(0, -1) : line,
            ])
            .filter(([, line]) => /[^ \t]/.test(line));
          expect(parser.lines).toEqual(expected);
          expect(stats.lines).toBe(pieces.length);
          expect(stats.skipped.blank ?? 0).toBe(pieces.length - expected.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('drops a byte-order mark on the first line only', () => {
    const { parser } = readInPieces(Buffer.from('\uFEFFa,b\n\uFEFFc\n'), [1, 2]);
    expect(parser.lines).toEqual([
      [1, 'a,b'],
      [2, '\uFEFFc'],
    ]);
  });
});

describe('FeedReader line limit (issue 11, item 11)', () => {
  const long = MAX_LINE_BYTES + 512 * 1024; // 16.5 MiB
  it.each([
    ['in one chunk', [Buffer.from(`a\n${'x'.repeat(long)}\nb\n`)]],
    [
      'ending in the chunk with its newline',
      [
        Buffer.from(`a\n${'x'.repeat(MAX_LINE_BYTES - 8)}`),
        Buffer.from(`${'x'.repeat(long - MAX_LINE_BYTES + 8)}\nb\n`),
      ],
    ],
    ['left at the end of a chunk', [Buffer.from(`a\n${'x'.repeat(long)}`), Buffer.from('\nb\n')]],
  ])('refuses a line over 16 MiB %s, or skips and counts it', (_how, chunks) => {
    const strict = new FeedReader(
      new FeedContext('x', emptyFeedStats(), 0),
      new RecordingParser(),
      false,
      new EventArrayBatcher(),
    );
    expect(() => {
      for (const chunk of chunks) strict.consume(chunk);
      strict.finish();
    }).toThrow(`x:2: -: line longer than ${MAX_LINE_BYTES} bytes`);
    const stats = emptyFeedStats();
    const parser = new RecordingParser();
    const lenient = new FeedReader(
      new FeedContext('x', stats, 0),
      parser,
      true,
      new EventArrayBatcher(),
    );
    for (const chunk of chunks) lenient.consume(chunk);
    lenient.finish();
    expect(parser.lines).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
    expect(stats).toMatchObject({ lines: 3, badLines: 1 });
  });

  it('accepts a line of exactly 16 MiB', () => {
    const { parser, stats } = readInPieces(Buffer.from(`${'x'.repeat(MAX_LINE_BYTES)}\nb\n`), [
      1 << 20,
    ]);
    expect(parser.lines.map(([n, line]) => [n, line.length])).toEqual([
      [1, MAX_LINE_BYTES],
      [2, 1],
    ]);
    expect(stats.badLines).toBe(0);
  });
});

/** Lines `exchange,symbol,id` become trades. */
class TradeParser implements LineParser {
  parseLine(line: string): MarketEvent | null {
    const [exchange = '', symbol = '', id = ''] = line.split(',');
    return {
      type: 'trade',
      tsUs: 1,
      exchangeTsUs: null,
      exchange,
      symbol,
      id: id === '' ? null : id,
      side: null,
      price: '1',
      priceNum: 1,
      size: '1',
      sizeNum: 1,
    };
  }
}

/**
 * {@link TradeParser} reading bytes in place: its trades go to the reader as fields (ids as
 * bytes).
 */
class BytesTradeParser extends TradeParser {
  parseBytes(
    bytes: Buffer,
    start: number,
    end: number,
    _lineNo: number,
    sink: ParsedEventSink,
  ): boolean {
    const first = bytes.indexOf(44, start);
    const second = bytes.indexOf(44, first + 1);
    const hasId = second + 1 < end;
    sink.trade(
      1,
      null,
      bytes.toString('latin1', start, first),
      bytes.toString('latin1', first + 1, second),
      null,
      1,
      1,
      bytes,
      start,
      start,
      start,
      start,
      hasId ? second + 1 : -1,
      hasId ? end : -1,
    );
    return true;
  }
}

describe.each([
  ['plain events', () => new TradeParser()],
  ['buffer events', () => new BytesTradeParser()],
])('FeedReader duplicate trade ids (issue 11, item 11), %s', (_kind, parser) => {
  function read(lines: readonly string[]): { ids: (string | null)[]; stats: FeedStats } {
    const stats = emptyFeedStats();
    const reader = new FeedReader(
      new FeedContext('x', stats, 0),
      parser(),
      false,
      new EventArrayBatcher(),
    );
    reader.consume(Buffer.from(lines.join('\n') + '\n'));
    const events = [...reader.ready.flat(), ...(reader.finish() ?? [])];
    return { ids: events.map((e) => (e.type === 'trade' ? e.id : null)), stats };
  }

  it('skips and counts a repeated id of the same exchange and symbol', () => {
    const { ids, stats } = read([
      'binance,BTCUSDT,100',
      'binance,BTCUSDT,101',
      'binance,BTCUSDT,101',
      'binance,ETHUSDT,101', // another symbol: its own ids
      'binance-futures,BTCUSDT,101', // another venue
      'binance,BTCUSDT,100',
      'binance,BTCUSDT,102',
      'binance,BTCUSDT,', // no id: never a duplicate
      'binance,BTCUSDT,',
      'bitmex,XBTUSD,a-b-c',
      'bitmex,XBTUSD,a-b-c',
      'bitmex,XBTUSD,99999999999999999999',
      'bitmex,XBTUSD,99999999999999999999',
    ]);
    expect(ids).toEqual([
      '100',
      '101',
      '101',
      '101',
      '102',
      null,
      null,
      'a-b-c',
      '99999999999999999999',
    ]);
    expect(stats.skipped).toEqual({ duplicateTradeId: 4 });
    expect(stats.events).toBe(9);
  });

  it('keeps ids that go back without repeating one', () => {
    const { ids, stats } = read(['k,S,5', 'k,S,3', 'k,S,4', 'k,S,1', 'k,S,05']);
    expect(ids).toEqual(['5', '3', '4', '1', '05']);
    expect(stats.skipped).toEqual({});
  });
});
