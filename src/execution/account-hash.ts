/**
 * A seeded 64-bit hash of a string as two well-mixed 32-bit halves: cyrb53's two lanes, then
 * MurmurHash3's 32-bit finalizer on each. The per-account draws of the fill model (slippage
 * offsets, fault subsets) are pure functions of it, so they consume no random stream and do not
 * depend on the order in which accounts trade.
 */

/** MurmurHash3's 32-bit finalizer: full avalanche. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two well-mixed unsigned 32-bit halves of a hash of `text` under `seed`. */
export function hash64(text: string, seed: number): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [fmix32(h1 ^ fmix32(seed)), fmix32(h2 + text.length)];
}
