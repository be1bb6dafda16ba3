// MurmurHash3 x86_32 (Austin Appleby, public domain) over the UTF-8 bytes of JS strings, encoded
// on the fly: no TextEncoder, no buffer, no per-call allocation. The hash state lives in module
// variables (JS is single-threaded and nothing here calls out), so a key can be fed in parts
// (`murmurBegin`, `murmurFeed`, `murmurFeedByte`, `murmurEnd`) without building a joined string.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Running hash (int32). */
let stateH = 0;
/** Bytes of the current, incomplete 4-byte block, little-endian. */
let stateK = 0;
/** Bits already in `stateK`: 0, 8, 16 or 24. */
let stateShift = 0;
/** Bytes fed so far. */
let stateLength = 0;

/** Starts a hash with `seed` (taken modulo 2^32). */
export function murmurBegin(seed: number): void {
  stateH = seed | 0;
  stateK = 0;
  stateShift = 0;
  stateLength = 0;
}

/** Feeds one byte (0..255). */
export function murmurFeedByte(byte: number): void {
  let k = stateK | (byte << stateShift);
  stateLength++;
  if (stateShift !== 24) {
    stateK = k;
    stateShift += 8;
    return;
  }
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  let h = stateH ^ k;
  h = (h << 13) | (h >>> 19);
  stateH = (Math.imul(h, 5) + 0xe6546b64) | 0;
  stateK = 0;
  stateShift = 0;
}

/**
 * Feeds the UTF-8 encoding of `text`, as `TextEncoder` would produce it: surrogate pairs become one
 * 4-byte sequence, lone surrogates become U+FFFD (EF BF BD). A pair is never split across calls
 * because callers only split at ASCII separators.
 */
export function murmurFeed(text: string): void {
  let h = stateH;
  let k = stateK;
  let shift = stateShift;
  let length = stateLength;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    // `bytes` holds 1..4 UTF-8 bytes, first byte in the low 8 bits.
    let bytes: number;
    let count: number;
    if (c < 0x80) {
      bytes = c;
      count = 1;
    } else if (c < 0x800) {
      bytes = 0xc0 | (c >>> 6) | ((0x80 | (c & 0x3f)) << 8);
      count = 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = c <= 0xdbff && i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (low >= 0xdc00 && low <= 0xdfff) {
          i++;
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        } else {
          c = 0xfffd;
        }
      }
      if (c < 0x10000) {
        bytes =
          0xe0 | (c >>> 12) | ((0x80 | ((c >>> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
        count = 3;
      } else {
        bytes =
          0xf0 |
          (c >>> 18) |
          ((0x80 | ((c >>> 12) & 0x3f)) << 8) |
          ((0x80 | ((c >>> 6) & 0x3f)) << 16) |
          ((0x80 | (c & 0x3f)) << 24);
        count = 4;
      }
    }
    length += count;
    for (let j = 0; j < count; j++) {
      k |= ((bytes >>> (j << 3)) & 0xff) << shift;
      if (shift !== 24) {
        shift += 8;
        continue;
      }
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      h ^= k;
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
      shift = 0;
    }
  }
  stateH = h;
  stateK = k;
  stateShift = shift;
  stateLength = length;
}

/** Finishes the hash: tail block, length, final mix. Returns an unsigned 32-bit integer. */
export function murmurEnd(): number {
  let h = stateH;
  if (stateShift !== 0) {
    let k = Math.imul(stateK, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= stateLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of `text` (lone surrogates encoded as
 * U+FFFD, like `TextEncoder`). Equal to the reference C++ `MurmurHash3_x86_32(bytes, len, seed)`,
 * Python's `mmh3.hash(text, seed, signed=False)` and Rust's `murmur3::murmur3_32`.
 *
 * @param seed - taken modulo 2^32; default 0 (the router's seed).
 * @returns an unsigned 32-bit integer.
 * @example
 * murmur3x86_32('Hello, world!', 0x9747b28c); // 0x24884cba
 */
export function murmur3x86_32(text: string, seed = 0): number {
  murmurBegin(seed);
  murmurFeed(text);
  return murmurEnd();
}
