import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GapDetector } from './gap-detector.js';

describe('GapDetector', () => {
  it('reports trade-id jumps, repeats and steps back, with the id expected', () => {
    const gaps = new GapDetector();
    const ids = [10, 11, 12, 15, 16, 16, 3, 4];
    const found = ids.map((id, i) => gaps.check('trade', 'BTCUSDT', id, 'btcusdt@trade', i));
    expect(found.map((gap) => (gap === null ? null : [gap.expected, gap.received]))).toEqual([
      null,
      null,
      null,
      [13, 15],
      null,
      [17, 16],
      [17, 3],
      null,
    ]);
    expect(found[3]).toEqual({
      type: 'gap',
      symbol: 'BTCUSDT',
      stream: 'btcusdt@trade',
      kind: 'trade-id',
      expected: 13,
      received: 15,
      atUs: 3,
    });
  });

  it('lets bookTicker update ids skip forward and reports only steps back and repeats', () => {
    const gaps = new GapDetector();
    const found = [100, 105, 230, 230, 200, 201].map((u) =>
      gaps.check('bookTicker', 'BTCUSDT', u, 'btcusdt@bookTicker', 0),
    );
    expect(found.map((gap) => gap?.received ?? null)).toEqual([null, null, null, 230, 200, null]);
    expect(found[4]).toMatchObject({ kind: 'update-id', expected: 231, received: 200 });
  });

  it('keeps one sequence per symbol and per stream kind', () => {
    const gaps = new GapDetector();
    expect(gaps.check('trade', 'BTCUSDT', 1, 's', 0)).toBeNull();
    expect(gaps.check('trade', 'ETHUSDT', 500, 's', 0)).toBeNull();
    expect(gaps.check('aggTrade', 'BTCUSDT', 90, 's', 0)).toBeNull();
    expect(gaps.check('trade', 'BTCUSDT', 2, 's', 0)).toBeNull();
    expect(gaps.check('aggTrade', 'BTCUSDT', 91, 's', 0)).toBeNull();
    expect(gaps.check('trade', 'ETHUSDT', 501, 's', 0)).toBeNull();
  });

  it('reports exactly k gaps for a sequence of trade ids with k jumps (fast-check)', () => {
    // A sequence of ids built from steps: +1 (no gap) or anything else (a jump: 0, back, ahead).
    const step = fc.oneof(
      { weight: 4, arbitrary: fc.constant(1) },
      { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(step, { maxLength: 300 }),
        (start, steps) => {
          const gaps = new GapDetector();
          let id = start;
          let reported = 0;
          if (gaps.check('trade', 'X', id, 'x@trade', 0) !== null) reported++;
          for (const s of steps) {
            id += s;
            const gap = gaps.check('trade', 'X', id, 'x@trade', 0);
            if (gap !== null) {
              reported++;
              expect(gap.received).toBe(id);
              expect(gap.expected).toBe(id - s + 1);
            }
          }
          expect(reported).toBe(steps.filter((s) => s !== 1).length);
        },
      ),
    );
  });

  it('reports exactly the update ids that do not go up (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (ids) => {
        const gaps = new GapDetector();
        const reported = ids.filter((u) => gaps.check('bookTicker', 'X', u, 'x', 0) !== null);
        const expected = ids.filter((u, i) => i > 0 && u <= ids[i - 1]!);
        expect(reported).toEqual(expected);
      }),
    );
  });
});
