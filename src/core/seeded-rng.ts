import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** FNV-1a 32-bit over UTF-16 code units: only used to derive independent stream seeds from labels. */
function fnv1a32(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Seeded pseudo-random numbers (xoroshiro128+ from pure-rand). The only randomness allowed in the
 * engine: same seed and stream label, same sequence, on every platform.
 *
 * @example
 * const latencyRng = new SeededRng(7, 'latency/canary');
 * const u = latencyRng.nextFloat(); // in [0, 1)
 */
export class SeededRng {
  readonly #generator: Generator;
  readonly seed: number;
  readonly stream: string;

  constructor(seed: number, stream = '') {
    this.seed = seed;
    this.stream = stream;
    this.#generator = xoroshiro128plus(fnv1a32(stream, 0x811c9dc5 ^ (seed | 0)));
  }

  /** An independent generator for a named purpose, derived from this one's seed. */
  fork(stream: string): SeededRng {
    return new SeededRng(this.seed, `${this.stream}/${stream}`);
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return uniformFloat64(this.#generator);
  }

  /** Uniform integer in [min, max], both included. */
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  /** Standard normal (Box–Muller; one value per call, deterministic). */
  nextNormal(): number {
    const u1 = 1 - this.nextFloat(); // (0, 1]
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Exponential with the given mean. */
  nextExponential(mean: number): number {
    return -Math.log(1 - this.nextFloat()) * mean;
  }

  /** True with probability `p`. */
  nextBoolean(p: number): boolean {
    return this.nextFloat() < p;
  }
}
