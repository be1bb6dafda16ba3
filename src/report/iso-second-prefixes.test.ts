import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { US_PER_SECOND, usToIso } from '../core/time.js';
import { IsoSecondPrefixes } from './iso-second-prefixes.js';

describe('IsoSecondPrefixes', () => {
  it("gives each second's usToIso prefix, encoding only a second not among the last two (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 60 }),
        (starts, steps) => {
          // Runs of nearby seconds, as rows and their decisions bring them, and jumps.
          const seconds = starts.flatMap((start, i) => [start, start + (steps[i] ?? 0), start]);
          let encoded = 0;
          const prefixes = new IsoSecondPrefixes((prefix) => {
            encoded++;
            return `<${prefix}>`;
          }, '');
          let expectedEncodes = 0;
          const kept: number[] = [];
          for (const second of seconds) {
            if (!kept.includes(second)) {
              expectedEncodes++;
              kept.unshift(second);
              kept.length = Math.min(kept.length, 2);
            }
            const iso = usToIso(second * US_PER_SECOND);
            expect(prefixes.of(second)).toBe(`<${iso.slice(0, 20)}>`);
          }
          expect(encoded).toBe(expectedEncodes);
        },
      ),
    );
  });
});
