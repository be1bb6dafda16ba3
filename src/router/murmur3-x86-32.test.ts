import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  murmur3x86_32,
  murmurBegin,
  murmurEnd,
  murmurFeed,
  murmurFeedByte,
} from './murmur3-x86-32.js';
import { referenceMurmur3, referenceMurmur3Bytes } from './test-support/reference-murmur3.js';

/** Strings biased towards what breaks UTF-8 encoders: surrogates (paired, lone, reversed), boundaries. */
const trickyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\ud83d',
      '\ude80',
      '\ud800',
      '\udbff',
      '\udc00',
      '\udfff',
      '\u007f',
      '\u0080',
      '\u07ff',
      '\u0800',
      '\uffff',
      '\ufffd',
      '\0',
      ':',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 40,
});

describe('murmur3x86_32', () => {
  // Published MurmurHash3_x86_32 vectors (SMHasher reference implementation), UTF-8 keys.
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['aa', 0x9747b28c, 0x5d211726],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['Hello, world!', 1234, 0xfaf6cdb3],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ])('matches the published vector %j seed %d', (text, seed, expected) => {
    expect(murmur3x86_32(text, seed)).toBe(expected);
  });

  it('uses seed 0 by default and takes the seed modulo 2^32', () => {
    expect(murmur3x86_32('abc')).toBe(0xb3dd93fa);
    expect(murmur3x86_32('abc', -1)).toBe(murmur3x86_32('abc', 0xffffffff));
    expect(murmur3x86_32('abc', 2 ** 32 + 1234)).toBe(murmur3x86_32('abc', 1234));
  });

  it('encodes UTF-16 to UTF-8 like TextEncoder (pairs → 4 bytes, lone surrogates → U+FFFD)', () => {
    const cases: Array<[string, number[]]> = [
      ['é', [0xc3, 0xa9]],
      ['\u07ff', [0xdf, 0xbf]],
      ['\u0800', [0xe0, 0xa0, 0x80]],
      ['€', [0xe2, 0x82, 0xac]],
      ['\uffff', [0xef, 0xbf, 0xbf]],
      ['🚀', [0xf0, 0x9f, 0x9a, 0x80]],
      ['\u{10ffff}', [0xf4, 0x8f, 0xbf, 0xbf]],
      ['\ud800', [0xef, 0xbf, 0xbd]],
      ['a\udc00b', [0x61, 0xef, 0xbf, 0xbd, 0x62]],
      ['\ude80\ud83d', [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]],
      ['\ud83d\ud83d\ude80', [0xef, 0xbf, 0xbd, 0xf0, 0x9f, 0x9a, 0x80]],
    ];
    for (const [text, utf8] of cases) {
      const bytes = Uint8Array.from(utf8);
      expect(new TextEncoder().encode(text)).toEqual(bytes);
      expect(murmur3x86_32(text, 7)).toBe(referenceMurmur3Bytes(bytes, 7));
    }
  });

  it('equals the independent murmurhash3js-revisited on random strings and seeds', () => {
    fc.assert(
      fc.property(trickyString, fc.integer({ min: 0, max: 0xffffffff }), (text, seed) => {
        expect(murmur3x86_32(text, seed)).toBe(referenceMurmur3(text, seed));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same hash when a key is fed in parts split at an ASCII byte', () => {
    fc.assert(
      fc.property(
        trickyString,
        trickyString,
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b, seed) => {
          murmurBegin(seed);
          murmurFeed(a);
          murmurFeedByte(0x3a);
          murmurFeed(b);
          expect(murmurEnd()).toBe(referenceMurmur3(`${a}:${b}`, seed));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
