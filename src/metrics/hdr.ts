/** log2 of the number of counts summed per block of the rank index. */
const BLOCK_SHIFT = 6;

/**
 * log2 of half the sub-buckets per bucket. Three significant digits need single-unit resolution
 * up to 2·10³, so 2,048 sub-buckets (HdrHistogram's rule: the next power of two).
 */
const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
const TWO_POW_32 = 2 ** 32;
/** 2ⁿ, n = 0 … 63. */
const POW2: readonly number[] = Array.from({ length: 64 }, (_, n) => 2 ** n);

/**
 * HdrHistogram's bucket of a value (lowest discernible value 1): how many powers of two it lies
 * above the 2,048 values of bucket 0. `Math.clz32` below 2³², `⌊log2⌋` above, as hdr-histogram-js
 * computes it, so the two agree bit for bit.
 */
function bucketOf(value: number): number {
  const log2 = value < TWO_POW_32 ? 31 - Math.clz32(value) : Math.floor(Math.log2(value));
  return log2 > HALF_MAGNITUDE ? log2 - HALF_MAGNITUDE : 0;
}

/** The index of `value`'s count (HdrHistogram's `countsArrayIndex`). */
export function countsIndexOf(value: number): number {
  const bucket = bucketOf(value);
  const subBucket = Math.floor(value / POW2[bucket]!);
  return ((bucket + 1) << HALF_MAGNITUDE) + subBucket - HALF_COUNT;
}

/** The highest value whose count sits at `index` (HdrHistogram's `highestEquivalentValue(valueFromIndex(index))`). */
export function highestValueAt(index: number): number {
  let bucket = (index >> HALF_MAGNITUDE) - 1;
  let subBucket = (index & (HALF_COUNT - 1)) + HALF_COUNT;
  if (bucket < 0) {
    subBucket -= HALF_COUNT;
    bucket = 0;
  }
  return (subBucket + 1) * POW2[bucket]! - 1;
}

/**
 * A deterministic HDR histogram of non-negative integers: HdrHistogram's log-linear buckets at 3
 * significant digits (relative precision better than 1/1000; lowest discernible value 1), growing
 * as values grow, float counts, plus a block index of its counts so that finding a rank scans
 * O(blocks + 64) entries instead of the whole counts array.
 *
 * Written here rather than wrapping hdr-histogram-js: the bucketing is the same to the index (a
 * property test records the same values into both), but recording is a `clz32`, a shift and two
 * increments, where the library's `recordValue` (a `log2`, two `pow`s and virtual calls, twice
 * per value with the rank index) was a fifteenth of a replay's engine thread: two records per fill.
 */
export class RankedHistogram {
  #counts = new Float64Array(2 * HALF_COUNT);
  #blocks = new Float64Array((2 * HALF_COUNT) >> BLOCK_SHIFT);
  #total = 0;
  #max = 0;

  /**
   * Records a non-negative integer. O(1); allocates only when the value range grows.
   * @throws RangeError for a negative value.
   */
  record(value: number): void {
    if (!(value >= 0)) throw new RangeError(`a histogram value cannot be negative, got ${value}`);
    const index = countsIndexOf(value);
    if (index >= this.#counts.length) this.#grow(index);
    this.#counts[index]! += 1;
    this.#blocks[index >> BLOCK_SHIFT]! += 1;
    this.#total += 1;
    if (value > this.#max) this.#max = value;
  }

  #grow(index: number): void {
    let length = this.#counts.length;
    while (length <= index) length += HALF_COUNT;
    const counts = new Float64Array(length);
    counts.set(this.#counts);
    this.#counts = counts;
    const blocks = new Float64Array(Math.ceil(length / (1 << BLOCK_SHIFT)));
    blocks.set(this.#blocks);
    this.#blocks = blocks;
  }

  /** Number of values recorded. */
  get totalCount(): number {
    return this.#total;
  }

  /**
   * The k-th smallest recorded values (1-based; `ranks` ascending, each in [1, totalCount]), each
   * its bucket's highest equivalent value capped at the largest recorded value.
   */
  valuesAtRanks(ranks: readonly number[]): number[] {
    const counts = this.#counts;
    const blocks = this.#blocks;
    const values: number[] = [];
    let cumulative = 0;
    let block = 0;
    for (const rank of ranks) {
      // Skip whole blocks that end before the rank, then walk the block that holds it.
      while (block < blocks.length && cumulative + blocks[block]! < rank) {
        cumulative += blocks[block]!;
        block += 1;
      }
      let running = cumulative;
      const end = Math.min((block + 1) << BLOCK_SHIFT, counts.length);
      for (let i = block << BLOCK_SHIFT; i < end; i++) {
        running += counts[i]!;
        if (running >= rank) {
          values.push(Math.min(highestValueAt(i), this.#max));
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
