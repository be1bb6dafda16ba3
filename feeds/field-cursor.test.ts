import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCursor } from './field-cursor.js';

/** What a field may be made of: digits, dots, letters, signs and the odd byte. */
const fieldText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789.'.split('')), maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(...'0123456789.-+eE xtrueTRUEfalsFALS'.split('')),
    maxLength: 8,
  }),
  fc.constantFrom('', 'true', 'True', 'false', 'False', 'TRUE', 'tru', 'falsey', 'buy', 'bu'),
  fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String),
  fc.tuple(fc.nat(), fc.nat({ max: 17 })).map(([n, d]) => (n / 10 ** d).toFixed(d)),
);

/** A line of fields, inside bytes with something before and after (the reads must stay inside). */
const line = fc
  .tuple(fc.array(fieldText, { minLength: 1, maxLength: 8 }), fc.string({ maxLength: 3 }))
  .map(([fields, junk]) => {
    const text = fields.join(',');
    const bytes = Buffer.from(`${junk},${text},${junk}`, 'latin1');
    const start = junk.length + 1;
    return { fields, bytes, start, end: start + text.length };
  });

/** The reference reading of a plain decimal: what the cursor must return (NaN: not its to read). */
function plainDecimal(text: string): number {
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return Number.NaN;
  const digits = text.replace('.', '').length;
  return digits >= 1 && digits <= 15 ? Number(text) : Number.NaN;
}

function plainUnsigned(text: string): number {
  if (!/^\d{1,16}$/.test(text)) return -1;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : -1;
}

function plainFlag(text: string): number {
  if (text === 'true' || text === 'True') return 1;
  if (text === 'false' || text === 'False') return 0;
  return -1;
}

type Read = 'skip' | 'decimal' | 'unsigned' | 'flag' | 'empty' | 'is';

describe('FieldCursor', () => {
  it('reads each field as the split line and Number() do, and stops at its comma', () => {
    const reads = fc.array(
      fc.constantFrom<Read>('skip', 'decimal', 'unsigned', 'flag', 'empty', 'is'),
      {
        minLength: 8,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(line, reads, ({ fields, bytes, start, end }, kinds) => {
        const cursor = new FieldCursor();
        cursor.reset(start, end);
        let fieldStart = start;
        for (let k = 0; k < fields.length; k++) {
          const field = fields[k]!;
          const kind = kinds[k]!;
          let moved = true;
          if (kind === 'decimal') {
            const value = cursor.decimal(bytes);
            const expected = plainDecimal(field);
            if (Number.isNaN(expected)) expect(value).toBeNaN();
            else expect(value).toBe(expected);
            moved = !Number.isNaN(value);
          } else if (kind === 'unsigned') {
            const value = cursor.unsigned(bytes);
            expect(value).toBe(plainUnsigned(field));
            moved = value >= 0;
          } else if (kind === 'flag') {
            const value = cursor.flag(bytes);
            expect(value).toBe(plainFlag(field));
            moved = value >= 0;
          } else if (kind === 'empty') {
            moved = cursor.empty(bytes);
            expect(moved).toBe(field === '');
          } else if (kind === 'is') {
            moved = cursor.is(bytes, [98, 117, 121]);
            expect(moved).toBe(field === 'buy');
            const sameText = new FieldCursor();
            sameText.reset(fieldStart, end);
            expect(sameText.isText(bytes, 'buy')).toBe(moved);
          } else cursor.skip(bytes);
          // A failed read says nothing of the field's end: the caller leaves the line.
          if (!moved) break;
          expect(cursor.fieldEnd).toBe(fieldStart + field.length);
          expect(cursor.endedByComma).toBe(k < fields.length - 1);
          fieldStart = cursor.fieldEnd + 1;
          expect(cursor.at).toBe(fieldStart);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads 16-digit times exactly and refuses what would round', () => {
    const cursor = new FieldCursor();
    const read = (text: string): number => {
      const bytes = Buffer.from(`${text},x`);
      cursor.reset(0, bytes.length);
      return cursor.unsigned(bytes);
    };
    expect(read('1723161255343000')).toBe(1_723_161_255_343_000);
    expect(read('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(read('9007199254740993')).toBe(-1); // above 2^53 − 1
    expect(read('17231612553430001')).toBe(-1); // 17 digits
    expect(read('')).toBe(-1);
  });

  it('reads an empty field at the end of the line, and nothing past it', () => {
    const bytes = Buffer.from('1,,9');
    const cursor = new FieldCursor();
    cursor.reset(0, 2); // "1,": the line ends before the second comma
    expect(cursor.unsigned(bytes)).toBe(1);
    expect(cursor.endedByComma).toBe(true);
    expect(cursor.empty(bytes)).toBe(true);
    expect(cursor.endedByComma).toBe(false);
    expect(cursor.fieldEnd).toBe(2);
  });
});
