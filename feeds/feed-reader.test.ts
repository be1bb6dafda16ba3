import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../src/core/market-event.js';
import { FeedContext } from './feed-context.js';
import { FeedReader } from './feed-reader.js';
import type { FeedStats } from './feed-source.js';
import { emptyFeedStats } from './feed-source.js';
import type { LineParser } from './line-parser.js';

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
  const reader = new FeedReader(new FeedContext('x', stats, 0), parser, false);
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
