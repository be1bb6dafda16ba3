import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trimmedDecimalString } from '../engine/quantity-steps.js';
import { CsvBytes } from './csv-bytes.js';

/** What `write` puts through a CsvBytes of `capacity` bytes, as text. */
function written(write: (out: CsvBytes) => void, capacity = 64): string {
  const chunks: string[] = [];
  const out = new CsvBytes(
    (bytes, length) => chunks.push(bytes.toString('utf8', 0, length)),
    capacity,
  );
  write(out);
  out.flush();
  return chunks.join('');
}

const wholeBelow2To53 = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.maxSafeNat(),
  fc.constantFrom(0, 9, 10, 99, 100, Number.MAX_SAFE_INTEGER),
);

describe('CsvBytes', () => {
  it('writes whole numbers as String() does (fast-check)', () => {
    fc.assert(
      fc.property(wholeBelow2To53, (value) => {
        expect(
          written((out) => {
            out.room(16);
            out.unsigned(value);
          }),
        ).toBe(String(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes fixed-point decimals as trimmedDecimalString does, any sign (fast-check)', () => {
    fc.assert(
      fc.property(
        wholeBelow2To53,
        fc.boolean(),
        fc.integer({ min: 1, max: 24 }),
        (magnitude, negative, places) => {
          const value = negative ? -magnitude : magnitude;
          expect(
            written((out) => {
              out.room(64);
              out.fixedTrimmed(value, places);
            }),
          ).toBe(trimmedDecimalString(value, places));
        },
      ),
      { numRuns: 3000 },
    );
    expect(
      written((out) => {
        out.room(64);
        out.fixedTrimmed(-0, 8);
        out.byte(44);
        out.fixedTrimmed(120_000, 4);
        out.byte(44);
        out.fixedTrimmed(5, 3);
        out.byte(44);
        out.padded(42, 6);
        out.padded(0, 3);
        out.padded(123_456_789, 9);
      }),
    ).toBe('0,12,0.005,000042000123456789');
  });

  it('hands full buffers on in order, text and bytes alike', () => {
    const parts = ['héllo', ',', 'wörld', '\n'];
    const text = written((out) => {
      for (let i = 0; i < 200; i++) {
        for (const part of parts) {
          out.room(part.length * 3);
          out.text(part);
        }
        out.room(8);
        out.bytes(Buffer.from([49, 50]));
        out.unsigned(i);
      }
    }, 16);
    const expected = Array.from({ length: 200 }, (_, i) => `${parts.join('')}12${i}`).join('');
    expect(text).toBe(expected);
  });
});
