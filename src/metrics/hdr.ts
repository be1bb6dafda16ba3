import { JsHistogram, build } from 'hdr-histogram-js';

/** log2 of the number of counts summed per block of the rank index. */
const BLOCK_SHIFT = 6;

/**
 * A deterministic HDR histogram of non-negative integers (the pure JS implementation, never
 * WebAssembly: 3 significant digits, so relative precision better than 1/1000; auto-resizing;
 * 64-bit float counts) plus a block index of its counts, so that finding a rank scans
 * O(blocks + 64) entries instead of the whole counts array.
 */
export class RankedHistogram {
  readonly #histogram: JsHistogram;
  #blocks = new Float64Array(64);

  constructor() {
    const histogram = build({
      bitBucketSize: 64,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 2048,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
    if (!(histogram instanceof JsHistogram)) {
      throw new Error('hdr-histogram-js: expected the JS implementation');
    }
    this.#histogram = histogram;
  }

  /** Records a non-negative integer. O(1); allocates only when the value range grows. */
  record(value: number): void {
    this.#histogram.recordValue(value);
    const block = this.#histogram.countsArrayIndex(value) >> BLOCK_SHIFT;
    if (block >= this.#blocks.length) {
      const grown = new Float64Array(Math.max(block + 1, this.#blocks.length * 2));
      grown.set(this.#blocks);
      this.#blocks = grown;
    }
    this.#blocks[block] = (this.#blocks[block] ?? 0) + 1;
  }

  /** Number of values recorded. */
  get totalCount(): number {
    return this.#histogram.totalCount;
  }

  /**
   * The k-th smallest recorded values (1-based; `ranks` ascending, each in [1, totalCount]), each
   * its bucket's highest equivalent value capped at the largest recorded value.
   */
  valuesAtRanks(ranks: readonly number[]): number[] {
    const histogram = this.#histogram;
    const blocks = this.#blocks;
    const values: number[] = [];
    let cumulative = 0;
    let block = 0;
    for (const rank of ranks) {
      // Skip whole blocks that end before the rank, then walk the block that holds it.
      while (block < blocks.length && cumulative + (blocks[block] ?? 0) < rank) {
        cumulative += blocks[block] ?? 0;
        block += 1;
      }
      let running = cumulative;
      const end = Math.min((block + 1) << BLOCK_SHIFT, histogram.countsArrayLength);
      for (let i = block << BLOCK_SHIFT; i < end; i++) {
        running += histogram.getCountAtIndex(i);
        if (running >= rank) {
          const top = histogram.highestEquivalentValue(histogram.valueFromIndex(i));
          values.push(Math.min(top, histogram.maxValue));
          break;
        }
      }
    }
    return values;
  }
}

/** Nearest rank of quantile `q` in `n` values: ⌈q·n⌉ within [1, n]. */
export function nearestRank(q: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(q * n)));
}
