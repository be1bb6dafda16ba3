import { SeededRng } from '../core/seeded-rng.js';
import type { OutageModel } from './execution-config.js';

/** One venue outage: down from `startUs` (included) to `endUs` (excluded), event time. */
export interface OutageWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** Event time is cut into blocks of one hour (from the epoch), each with its own random stream. */
export const OUTAGE_BLOCK_US = 3_600_000_000;

/** Blocks kept generated; others are regenerated (identically) when asked again. */
const CACHED_BLOCKS = 4;

/**
 * The venue's outage windows: a Poisson process of window starts (`perHour` per hour of event
 * time) with fixed-length windows, a pure function of the run seed and event time. Event time is
 * cut into hours from the epoch; the starts in hour `k` are exponential gaps from the hour's start
 * drawn from their own stream `SeededRng(seed, "execution/outages/<k>")`, until one passes the
 * hour's end (memorylessness makes the concatenation a Poisson process). Hours are generated
 * lazily, when asked about, so the windows never depend on which orders were sent or when the
 * data starts. Windows may overlap; a window never outlasts the next hour (duration <= 1 h).
 *
 * @example
 * const outages = new OutageSchedule({ perHour: 36, durationMs: 1000 }, 7);
 * outages.windowAt(event.tsUs); // the window the venue is down in, or null
 */
export class OutageSchedule {
  readonly #seed: number;
  readonly #meanGapUs: number;
  readonly #durationUs: number;
  readonly #blocks = new Map<number, readonly number[]>();

  constructor(model: OutageModel, seed: number) {
    this.#seed = seed;
    this.#meanGapUs = OUTAGE_BLOCK_US / model.perHour;
    this.#durationUs = Math.max(1, Math.round(model.durationMs * 1000));
  }

  /** The window containing `tsUs` (the latest-starting one if several overlap), or null. */
  windowAt(tsUs: number): OutageWindow | null {
    const block = Math.floor(tsUs / OUTAGE_BLOCK_US);
    let starts = this.#starts(block);
    let i = lastAtOrBefore(starts, tsUs);
    if (i < 0) {
      starts = this.#starts(block - 1); // a window of the hour before may reach into this one
      i = starts.length - 1;
      if (i < 0) return null;
    }
    // The latest start at or before tsUs: no earlier window ends later (all have one length).
    const startUs = starts[i]!;
    return tsUs < startUs + this.#durationUs
      ? { startUs, endUs: startUs + this.#durationUs }
      : null;
  }

  /** Every window starting in `[fromUs, toUs)`, in order. */
  windowsStartingBetween(fromUs: number, toUs: number): OutageWindow[] {
    const windows: OutageWindow[] = [];
    const last = Math.floor((toUs - 1) / OUTAGE_BLOCK_US);
    for (let b = Math.floor(fromUs / OUTAGE_BLOCK_US); b <= last; b++) {
      for (const startUs of this.#starts(b)) {
        if (startUs >= fromUs && startUs < toUs)
          windows.push({ startUs, endUs: startUs + this.#durationUs });
      }
    }
    return windows;
  }

  /** Window starts of one hour block, ascending (generated once, kept for the latest blocks). */
  #starts(block: number): readonly number[] {
    const cached = this.#blocks.get(block);
    if (cached !== undefined) return cached;
    const rng = new SeededRng(this.#seed, `execution/outages/${block}`);
    const begin = block * OUTAGE_BLOCK_US;
    const end = begin + OUTAGE_BLOCK_US;
    const starts: number[] = [];
    for (let t = begin + rng.nextExponential(this.#meanGapUs); t < end;) {
      starts.push(Math.min(Math.floor(t), end - 1));
      t += rng.nextExponential(this.#meanGapUs);
    }
    if (this.#blocks.size >= CACHED_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value!);
    this.#blocks.set(block, starts);
    return starts;
  }
}

/** Index of the last element <= `value` in an ascending array, or -1. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
