import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsTimestampFormatter } from './us-timestamp-formatter.js';

describe('UsTimestampFormatter', () => {
  it('writes what String() writes, for hand-picked edges', () => {
    const formatter = new UsTimestampFormatter();
    const cases = [
      0, 7, 999_999, 1_000_000, 1_000_001, 1_704_067_200_000_000, 1_704_067_200_000_001,
    ];
    for (const ts of [...cases, 1_704_067_200_999_999, Number.MAX_SAFE_INTEGER, 2 ** 53 - 2])
      expect(formatter.format(ts)).toBe(String(ts));
  });

  it('writes what String() writes, for any safe integer in any order (the cache never leaks)', () => {
    const formatter = new UsTimestampFormatter();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 20 }),
        (times) => {
          for (const ts of times) {
            expect(formatter.format(ts)).toBe(String(ts));
            expect(formatter.format(ts + (ts < Number.MAX_SAFE_INTEGER ? 1 : 0))).toBe(
              String(ts + (ts < Number.MAX_SAFE_INTEGER ? 1 : 0)),
            );
          }
        },
      ),
    );
  });
});
