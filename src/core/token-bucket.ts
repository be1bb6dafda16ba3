/**
 * A token bucket rate limiter: `perSecond` tokens a second, at most `burst` saved up. Time is
 * the caller's (wall-clock ms), so tests drive it.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #lastMs: number;

  constructor(limit: { readonly perSecond: number; readonly burst: number }, nowMs: number) {
    this.#perMs = limit.perSecond / 1000;
    this.#burst = limit.burst;
    this.#tokens = limit.burst;
    this.#lastMs = nowMs;
  }

  /** Takes one token at `nowMs`: false (and nothing taken) when the bucket is empty. */
  take(nowMs: number): boolean {
    if (nowMs > this.#lastMs) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (nowMs - this.#lastMs) * this.#perMs);
      this.#lastMs = nowMs;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
