import type { SeededRng } from '../core/seeded-rng.js';
import { DEFAULT_JITTER_SIGMA, type LatencyModel } from './execution-config.js';

/**
 * Draws one arm's order latencies: `(baseMs + jitter) × scale + extraMs`, the jitter log-normal
 * with mean `jitterMs` (`exp(mu + sigma·Z)` with `mu = ln(jitterMs) - sigma²/2`). Exactly one normal
 * draw per order, whatever the parameters, so a changed parameter never shifts later draws.
 *
 * @example
 * const sampler = new LatencySampler({ baseMs: 15, jitterMs: 5 }, 0, new SeededRng(7, 'latency/canary'));
 * sampler.nextMs(); // e.g. 18.7
 */
export class LatencySampler {
  readonly #rng: SeededRng;
  readonly #floorMs: number;
  readonly #mu: number;
  readonly #sigma: number;
  readonly #jittered: boolean;
  readonly #scale: number;

  /**
   * `extraMs` (the fault injection's latency) is added to every draw after `scale` (1 plus the
   * injection's relative latency) multiplies base and jitter.
   */
  constructor(model: LatencyModel, extraMs: number, rng: SeededRng, scale = 1) {
    this.#rng = rng;
    this.#scale = scale;
    this.#floorMs = model.baseMs * scale + extraMs;
    this.#sigma = model.jitterSigma ?? DEFAULT_JITTER_SIGMA;
    this.#jittered = model.jitterMs > 0;
    this.#mu = this.#jittered ? Math.log(model.jitterMs) - (this.#sigma * this.#sigma) / 2 : 0;
  }

  /** Smallest latency this sampler can return, ms. */
  get floorMs(): number {
    return this.#floorMs;
  }

  /** The next order's latency, ms (float, >= {@link floorMs}). */
  nextMs(): number {
    const z = this.#rng.nextNormal();
    return this.#jittered
      ? this.#floorMs + Math.exp(this.#mu + this.#sigma * z) * this.#scale
      : this.#floorMs;
  }
}
