import { describe, expect, it } from 'vitest';
import { IntervalBoundaries, MAX_BOUNDARIES_PER_GAP } from './interval-boundaries.js';

describe('IntervalBoundaries', () => {
  it('aligns to multiples of the interval; an event on a boundary belongs to the interval ending there', () => {
    const b = new IntervalBoundaries(1000);
    expect(b.started).toBe(false);
    b.start(1500);
    expect(b.boundaryUs).toBe(2000);
    expect(b.isPassedBy(2000)).toBe(false);
    expect(b.isPassedBy(2001)).toBe(true);
    expect(b.advance()).toBe(2000);
    expect(b.boundaryUs).toBe(3000);
    b.start(3000);
    expect(b.boundaryUs).toBe(3000);
  });

  it('rejects intervals that are not a positive whole number of µs', () => {
    expect(() => new IntervalBoundaries(0)).toThrow(RangeError);
    expect(() => new IntervalBoundaries(1.5)).toThrow(RangeError);
    expect(() => new IntervalBoundaries(-1000)).toThrow(RangeError);
  });
});

describe('IntervalBoundaries.passTo', () => {
  const collect = (b: IntervalBoundaries, tsUs: number): number[] => {
    const seen: number[] = [];
    b.passTo(tsUs, (boundary) => seen.push(boundary));
    return seen;
  };

  it('starts on the first call and passes each boundary once, in order', () => {
    const b = new IntervalBoundaries(1000);
    expect(collect(b, 1500)).toEqual([]);
    expect(collect(b, 2000)).toEqual([]);
    expect(collect(b, 4001)).toEqual([2000, 3000, 4000]);
    expect(b.boundaryUs).toBe(5000);
  });

  it('passes only the first and last boundary of a gap longer than the limit', () => {
    const b = new IntervalBoundaries(1000);
    b.passTo(500, () => undefined);
    const far = (MAX_BOUNDARIES_PER_GAP + 10) * 1000 + 1;
    expect(collect(b, far)).toEqual([1000, far - 1]);
    expect(b.boundaryUs).toBe(far - 1 + 1000);
    expect(collect(b, far + 1)).toEqual([]);
  });
});
