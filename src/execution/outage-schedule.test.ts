import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTAGE_BLOCK_US, OutageSchedule, type OutageWindow } from './outage-schedule.js';

const T0 = 1_723_161_600_000_000; // 2024-08-09T00:00:00Z, an hour boundary
const HOUR = OUTAGE_BLOCK_US;

/** Reference: is `t` inside any of these windows? */
const inside = (windows: readonly OutageWindow[], t: number): boolean =>
  windows.some((w) => w.startUs <= t && t < w.endUs);

describe('OutageSchedule', () => {
  it('is a function of the seed and the time only: any query order, any start', () => {
    const model = { perHour: 36, durationMs: 1000 };
    const a = new OutageSchedule(model, 7);
    const b = new OutageSchedule(model, 7);
    const times = Array.from(
      { length: 2000 },
      (_, i) => T0 + Math.floor((i * 7919 * 1e6) % (6 * HOUR)),
    );
    const forward = [...times].sort((x, y) => x - y).map((t) => a.windowAt(t));
    const backward = [...times]
      .sort((x, y) => y - x)
      .map((t) => b.windowAt(t))
      .reverse();
    expect(backward).toEqual(forward);
    expect(
      new OutageSchedule(model, 7).windowsStartingBetween(T0 + 2 * HOUR, T0 + 3 * HOUR),
    ).toEqual(a.windowsStartingBetween(T0 + 2 * HOUR, T0 + 3 * HOUR));
    expect(new OutageSchedule(model, 8).windowsStartingBetween(T0, T0 + HOUR)).not.toEqual(
      a.windowsStartingBetween(T0, T0 + HOUR),
    );
  });

  it('answers windowAt exactly as the list of windows says, across hour boundaries and overlaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(1, 60, 3600),
        fc.constantFrom(1, 1000, 60_000, 3_600_000),
        fc.array(fc.integer({ min: 0, max: 3 * HOUR - 1 }), { minLength: 1, maxLength: 200 }),
        (seed, perHour, durationMs, offsets) => {
          const schedule = new OutageSchedule({ perHour, durationMs }, seed);
          const windows = new OutageSchedule({ perHour, durationMs }, seed).windowsStartingBetween(
            T0 - HOUR,
            T0 + 3 * HOUR,
          );
          for (const w of windows) expect(w.endUs - w.startUs).toBe(durationMs * 1000);
          for (const offset of offsets) {
            const t = T0 + offset;
            const found = schedule.windowAt(t);
            expect(found !== null).toBe(inside(windows, t));
            if (found !== null) {
              expect(found.startUs).toBeLessThanOrEqual(t);
              expect(t).toBeLessThan(found.endUs);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('has about perHour windows per hour and is down about 1 − e^(−rate × duration) of the time', () => {
    const perHour = 36;
    const hours = 500;
    const schedule = new OutageSchedule({ perHour, durationMs: 10_000 }, 3);
    const count = schedule.windowsStartingBetween(T0, T0 + hours * HOUR).length;
    // Poisson(18000): sd ≈ 134; 4 sd.
    expect(Math.abs(count - perHour * hours)).toBeLessThan(4 * Math.sqrt(perHour * hours));
    let down = 0;
    const samples = 200_000;
    for (let i = 0; i < samples; i++) {
      if (schedule.windowAt(T0 + Math.floor(((i + 0.5) / samples) * hours * HOUR)) !== null) down++;
    }
    const expected = 1 - Math.exp(-(perHour / 3600) * 10); // 0.0952
    expect(Math.abs(down / samples - expected)).toBeLessThan(0.01);
  });
});
