// The independent MurmurHash3 of the npm package murmurhash3js-revisited (CommonJS, untyped),
// fed with TextEncoder's UTF-8 bytes: the oracle the router's own murmur3 is checked against.
import { createRequire } from 'node:module';

interface MurmurLibrary {
  readonly x86: { hash32(bytes: Uint8Array, seed?: number): number | undefined };
}

const library = createRequire(import.meta.url)('murmurhash3js-revisited') as MurmurLibrary;
const encoder = new TextEncoder();

/** MurmurHash3 x86_32 of `bytes`, by murmurhash3js-revisited. */
export function referenceMurmur3Bytes(bytes: Uint8Array, seed = 0): number {
  const hash = library.x86.hash32(bytes, seed);
  if (hash === undefined) throw new Error('murmurhash3js-revisited rejected its input');
  return hash;
}

/** MurmurHash3 x86_32 of the UTF-8 bytes of `text` (TextEncoder), by murmurhash3js-revisited. */
export function referenceMurmur3(text: string, seed = 0): number {
  return referenceMurmur3Bytes(encoder.encode(text), seed);
}
