import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import type { BackoffOptions } from './backoff.js';
import { backoffDelayMs, DEFAULT_BACKOFF, resolveBackoff } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles from initialMs up to maxMs, with the jitter share taken off by random()', () => {
    const options: BackoffOptions = { ...DEFAULT_BACKOFF, initialMs: 100, maxMs: 1000, factor: 2 };
    const schedule = (random: number): number[] =>
      [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelayMs(attempt, options, () => random));
    expect(schedule(0)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    // equal jitter (0.5): random 0.999… takes almost half off
    expect(schedule(0.5)).toEqual([75, 150, 300, 600, 750, 750, 750]);
    const full = { ...options, jitter: 1 };
    expect(backoffDelayMs(3, full, () => 0.25)).toBe(300);
    const none = { ...options, jitter: 0 };
    expect(backoffDelayMs(3, none, () => 0.9)).toBe(400);
  });

  it('stays within [cap × (1 − jitter), cap] and never exceeds maxMs (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        fc.double({ min: 0, max: 100_000, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialMs, extraMs, factor, jitter, random) => {
          const options = {
            initialMs,
            maxMs: initialMs + extraMs,
            factor,
            jitter,
            resetAfterMs: 0,
          };
          const cap = Math.min(options.maxMs, initialMs * factor ** (attempt - 1));
          const delay = backoffDelayMs(attempt, options, () => random);
          expect(delay).toBeGreaterThanOrEqual(cap * (1 - jitter) - 1e-9);
          expect(delay).toBeLessThanOrEqual(cap + 1e-9);
          expect(delay).toBeLessThanOrEqual(options.maxMs + 1e-9);
          // the cap never shrinks from one attempt to the next
          const nextCap = Math.min(options.maxMs, initialMs * factor ** attempt);
          expect(nextCap).toBeGreaterThanOrEqual(cap);
        },
      ),
    );
  });
});

describe('resolveBackoff', () => {
  it('fills in defaults and refuses nonsense', () => {
    expect(resolveBackoff({ initialMs: 10 })).toEqual({ ...DEFAULT_BACKOFF, initialMs: 10 });
    expect(() => resolveBackoff({ jitter: 1.5 })).toThrow(UsageError);
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(/backoff\.factor/);
    expect(() => resolveBackoff({ initialMs: 100, maxMs: 10 })).toThrow(/backoff\.maxMs/);
  });
});
