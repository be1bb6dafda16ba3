import { UsageError } from './errors.js';

/** Reconnect delays: exponential, capped, with jitter. */
export interface BackoffOptions {
  /** Delay cap of the first retry, ms. */
  readonly initialMs: number;
  /** Largest delay, ms. */
  readonly maxMs: number;
  /** Growth of the cap per failed attempt (>= 1). */
  readonly factor: number;
  /**
   * Share of the cap that is random, in [0, 1]: 1 is "full jitter" (uniform in [0, cap]), 0.5
   * "equal jitter" (uniform in [cap/2, cap]), 0 none.
   */
  readonly jitter: number;
  /** A connection that stayed open this long resets the schedule to the first retry, ms. */
  readonly resetAfterMs: number;
}

/** Equal jitter from 0.5 s up to 30 s; reset after 10 s of a good connection. */
export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.5,
  resetAfterMs: 10_000,
};

/**
 * The delay before reconnect attempt `attempt` (1 = the first retry), ms:
 * `cap = min(maxMs, initialMs × factor^(attempt − 1))`, `delay = cap × (1 − jitter × random())`,
 * so a delay lies in `[cap × (1 − jitter), cap]`.
 *
 * @param random uniform in [0, 1)
 * @example
 * backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5); // cap 2000 ms → 1500 ms
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const cap = Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
  const u = Math.min(Math.max(random(), 0), 1);
  return cap * (1 - options.jitter * u);
}

/** Defaults filled in and every value checked; throws `UsageError`. */
export function resolveBackoff(options: Partial<BackoffOptions> = {}): BackoffOptions {
  const resolved = { ...DEFAULT_BACKOFF, ...options };
  const check = (name: keyof BackoffOptions, ok: boolean): void => {
    if (!ok) throw new UsageError(`backoff.${name}: invalid value ${resolved[name]}`);
  };
  check('initialMs', Number.isFinite(resolved.initialMs) && resolved.initialMs >= 0);
  check('maxMs', Number.isFinite(resolved.maxMs) && resolved.maxMs >= resolved.initialMs);
  check('factor', Number.isFinite(resolved.factor) && resolved.factor >= 1);
  check('jitter', resolved.jitter >= 0 && resolved.jitter <= 1);
  check('resetAfterMs', Number.isFinite(resolved.resetAfterMs) && resolved.resetAfterMs >= 0);
  return resolved;
}
