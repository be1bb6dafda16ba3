import { hasCapitalAtRisk, intervalReturn } from './interval-return.js';

/** One point of an equity curve, for charts. */
export interface EquityPoint {
  readonly tsUs: number;
  /** Arm equity, quote currency. */
  readonly equity: number;
  /** Time-weighted return since the start, percent. */
  readonly returnPct: number;
}

/** Options of {@link EquityCurve}. */
export interface EquityCurveOptions {
  /** Most points the chart series keeps (even, ≥ 2; default 1024). Memory never grows past it. */
  readonly capacity?: number;
  /** Event time of the start (the drawdown's first peak); default: the first sample's time. */
  readonly startTsUs?: number;
}

/**
 * An arm's equity sampled on an event-time interval, as streaming statistics: time-weighted return,
 * max drawdown (with peak and trough times), per-interval returns, and a bounded chart series.
 *
 * Each sample carries `contributed`, the equity put into the arm so far (starting capital, plus
 * accounts moved in, minus accounts moved out: `ArmTotals.contributed`). Its change since the last
 * sample is a flow, not a return: the interval return is {@link intervalReturn}, exact when a sample
 * is taken just before each flow (the engine does), 0 for an empty arm. Returns compound into a
 * unit value, so a rollback that empties the canary arm is not a 100 % drawdown; without moves the
 * return is simply `(equity − capital) / capital`.
 *
 * The series keeps every `stride`-th sample; when it is full it drops every other point and doubles
 * the stride (deterministic; first point always kept; the latest sample is appended on read).
 *
 * @example
 * const curve = new EquityCurve();
 * curve.add(60_000_000, 10_100, 10_000); // +1 %
 * curve.returnPct; // 1
 */
export class EquityCurve {
  readonly #capacity: number;
  #startTsUs: number | null;
  #samples = 0;
  #lastTsUs = 0;
  #lastEquity = 0;
  #lastContributed = 0;
  #lastReturn = 0;
  #unitValue = 1;
  #peakValue = 1;
  #peakTsUs = 0;
  #maxDrawdown = 0;
  #drawdownPeakTsUs: number | null = null;
  #drawdownTroughTsUs: number | null = null;
  #riskIntervals = 0;
  #returnMean = 0;
  #returnM2 = 0;
  #downsideSquares = 0;
  readonly #seriesTsUs: Float64Array;
  readonly #seriesEquity: Float64Array;
  readonly #seriesValue: Float64Array;
  #seriesLength = 0;
  #stride = 1;

  constructor(options: EquityCurveOptions = {}) {
    const capacity = options.capacity ?? 1024;
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
      throw new RangeError(`capacity must be an even integer >= 2, got ${capacity}`);
    }
    this.#capacity = capacity;
    this.#startTsUs = options.startTsUs ?? null;
    this.#seriesTsUs = new Float64Array(capacity);
    this.#seriesEquity = new Float64Array(capacity);
    this.#seriesValue = new Float64Array(capacity);
  }

  /**
   * Adds a sample: the arm's equity at `tsUs` and the equity contributed to it so far. Returns the
   * interval's return (a fraction) since the previous sample. O(1), allocation-free.
   */
  add(tsUs: number, equity: number, contributed: number): number {
    if (this.#startTsUs === null) this.#startTsUs = tsUs;
    if (this.#samples === 0) this.#peakTsUs = this.#startTsUs;
    const flow = contributed - this.#lastContributed;
    const r = intervalReturn(this.#lastEquity, equity, flow);
    const atRisk = hasCapitalAtRisk(this.#lastEquity, flow);
    const sampleIndex = this.#samples;
    this.#samples += 1;
    this.#lastTsUs = tsUs;
    this.#lastEquity = equity;
    this.#lastContributed = contributed;
    this.#lastReturn = r;
    this.#unitValue *= 1 + r;

    if (atRisk) {
      // Welford's running mean and variance of the returns of intervals with capital at risk.
      this.#riskIntervals += 1;
      const delta = r - this.#returnMean;
      this.#returnMean += delta / this.#riskIntervals;
      this.#returnM2 += delta * (r - this.#returnMean);
      if (r < 0) this.#downsideSquares += r * r;
    }

    if (this.#unitValue > this.#peakValue) {
      this.#peakValue = this.#unitValue;
      this.#peakTsUs = tsUs;
    } else {
      const drawdown = 1 - this.#unitValue / this.#peakValue;
      if (drawdown > this.#maxDrawdown) {
        this.#maxDrawdown = drawdown;
        this.#drawdownPeakTsUs = this.#peakTsUs;
        this.#drawdownTroughTsUs = tsUs;
      }
    }

    if (sampleIndex % this.#stride === 0) {
      if (this.#seriesLength === this.#capacity) this.#halveSeries();
      const i = this.#seriesLength;
      this.#seriesTsUs[i] = tsUs;
      this.#seriesEquity[i] = equity;
      this.#seriesValue[i] = this.#unitValue;
      this.#seriesLength += 1;
    }
    return r;
  }

  /** Number of samples so far. */
  get samples(): number {
    return this.#samples;
  }

  /** Latest equity, or null before the first sample. */
  get equity(): number | null {
    return this.#samples === 0 ? null : this.#lastEquity;
  }

  /** Time-weighted return since the start, as a fraction (0 before the first sample). */
  get return(): number {
    return this.#unitValue - 1;
  }

  /** Time-weighted return since the start, percent. */
  get returnPct(): number {
    return (this.#unitValue - 1) * 100;
  }

  /** The latest interval's return, a fraction (0 before the first sample). */
  get lastIntervalReturn(): number {
    return this.#lastReturn;
  }

  /** Intervals with capital at risk: the ones the interval-return statistics below are over. */
  get riskIntervals(): number {
    return this.#riskIntervals;
  }

  /** Mean of the interval returns, a fraction (0 before any interval with capital at risk). */
  get intervalReturnMean(): number {
    return this.#returnMean;
  }

  /** Sample standard deviation of the interval returns (0 with fewer than two). */
  get intervalReturnStdDev(): number {
    return this.#riskIntervals < 2 ? 0 : Math.sqrt(this.#returnM2 / (this.#riskIntervals - 1));
  }

  /**
   * Downside deviation of the interval returns, target 0: `√(Σ min(r, 0)² / n)` (Sortino's
   * denominator; 0 before any interval with capital at risk).
   */
  get intervalReturnDownsideDev(): number {
    return this.#riskIntervals === 0 ? 0 : Math.sqrt(this.#downsideSquares / this.#riskIntervals);
  }

  /** Largest peak-to-trough fall of the unit value so far, as a fraction in [0, 1]. */
  get maxDrawdown(): number {
    return this.#maxDrawdown;
  }

  /** {@link maxDrawdown} in percent. */
  get maxDrawdownPct(): number {
    return this.#maxDrawdown * 100;
  }

  /** Event time of the peak before the max drawdown, or null while there has been none. */
  get maxDrawdownPeakTsUs(): number | null {
    return this.#drawdownPeakTsUs;
  }

  /** Event time of the max drawdown's trough, or null while there has been none. */
  get maxDrawdownTroughTsUs(): number | null {
    return this.#drawdownTroughTsUs;
  }

  /** Current stride of the chart series: it keeps samples 0, stride, 2·stride, … */
  get stride(): number {
    return this.#stride;
  }

  /** The chart series: at most `capacity` kept points plus the latest sample. */
  series(): EquityPoint[] {
    const points: EquityPoint[] = [];
    for (let i = 0; i < this.#seriesLength; i++) {
      points.push({
        tsUs: this.#seriesTsUs[i] ?? 0,
        equity: this.#seriesEquity[i] ?? 0,
        returnPct: ((this.#seriesValue[i] ?? 1) - 1) * 100,
      });
    }
    const last = points[points.length - 1];
    if (last !== undefined && (this.#samples - 1) % this.#stride !== 0) {
      points.push({ tsUs: this.#lastTsUs, equity: this.#lastEquity, returnPct: this.returnPct });
    }
    return points;
  }

  /** Keeps points 0, 2, 4, … and doubles the stride. */
  #halveSeries(): void {
    const kept = this.#seriesLength / 2;
    for (let i = 0; i < kept; i++) {
      this.#seriesTsUs[i] = this.#seriesTsUs[2 * i] ?? 0;
      this.#seriesEquity[i] = this.#seriesEquity[2 * i] ?? 0;
      this.#seriesValue[i] = this.#seriesValue[2 * i] ?? 1;
    }
    this.#seriesLength = kept;
    this.#stride *= 2;
  }
}
