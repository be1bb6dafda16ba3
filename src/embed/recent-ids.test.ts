import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDS_KEPT } from './rebuild-from-journal.js';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps the latest ids up to its capacity, forgetting the oldest first', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c', 'b', 'd', 'e']) ids.add(id);
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => ids.has(id))).toEqual(['c', 'd', 'e']);
    expect(ids.size).toBe(3);
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });

  it('keeps each id’s note while it keeps the id, and forgets it with the id', () => {
    const ids = new RecentIds(2);
    ids.add('k-1', 'order o-1');
    ids.add('k-2');
    ids.add('k-1', 'order o-9'); // kept already: its first note stays
    expect([ids.noteOf('k-1'), ids.noteOf('k-2'), ids.noteOf('k-3')]).toEqual([
      'order o-1',
      '',
      undefined,
    ]);
    ids.add('k-3', 'fill f-3 of order o-3');
    ids.add('k-1'); // k-1 was forgotten: kept again, without its old note
    expect([ids.noteOf('k-1'), ids.noteOf('k-3'), ids.has('k-2')]).toEqual([
      '',
      'fill f-3 of order o-3',
      false,
    ]);
  });

  it('forgets without walking its ids, however many it has forgotten (V8 skips deleted entries)', () => {
    const ids = new RecentIds(IDS_KEPT);
    for (let i = 0; i < IDS_KEPT; i++) ids.add(`f-${i}`);
    const walks = [
      vi.spyOn(Set.prototype, 'values'),
      vi.spyOn(Set.prototype, 'keys'),
      vi.spyOn(Set.prototype, 'entries'),
      vi.spyOn(Set.prototype, 'forEach'),
    ];
    for (let i = IDS_KEPT; i < IDS_KEPT + 1000; i++) ids.add(`f-${i}`);
    for (const walk of walks) expect(walk).not.toHaveBeenCalled();
    expect(ids.size).toBe(IDS_KEPT);
    expect(ids.has('f-999')).toBe(false);
    expect(ids.has('f-1000')).toBe(true);
  });
});
