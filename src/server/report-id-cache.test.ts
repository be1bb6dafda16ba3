import { describe, expect, it } from 'vitest';
import { ReportIdCache } from './report-id-cache.js';

describe('ReportIdCache', () => {
  it('keys by agent and report id', () => {
    const cache = new ReportIdCache<string>(10);
    cache.set('a1', 'r1', 'first');
    expect(cache.get('a1', 'r1')).toBe('first');
    expect(cache.get('a2', 'r1')).toBeUndefined();
    expect(cache.get('a1', 'r2')).toBeUndefined();
  });

  it('forgets the oldest beyond its capacity, overall', () => {
    const cache = new ReportIdCache<number>(3);
    for (let i = 1; i <= 5; i++) cache.set(i % 2 === 0 ? 'even' : 'odd', `r${i}`, i);
    expect(cache.size).toBe(3);
    expect(cache.get('odd', 'r1')).toBeUndefined();
    expect(cache.get('even', 'r2')).toBeUndefined();
    expect([cache.get('odd', 'r3'), cache.get('even', 'r4'), cache.get('odd', 'r5')]).toEqual([
      3, 4, 5,
    ]);
  });
});
