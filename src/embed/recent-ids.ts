/**
 * The latest `capacity` ids seen, each with an optional note (what a journaled key was for), for
 * duplicate detection with bounded memory: an id added beyond it forgets the oldest. The insertion
 * order is kept in a ring beside the set, so forgetting costs O(1). Taking the oldest from the set
 * itself (`values().next()`) walks the entries deleted at its front, which V8 keeps until it
 * rehashes: past the capacity, every add got slower, a million ids later ~0.5 ms each. Notes are
 * kept apart, only where there is one: ids alone (fill ids) cost a set's entry each, not a map's.
 *
 * @example
 * const fillIds = new RecentIds(1_000_000);
 * if (fillIds.has(fillId)) return 'DUPLICATE_FILL';
 * fillIds.add(fillId);
 */
export class RecentIds {
  readonly capacity: number;
  readonly #ids = new Set<string>();
  /** The ids' notes, those that have one (made with the first). */
  #notes: Map<string, string> | null = null;
  /** The ids in the order added: `#ring[#next]` is the oldest once the ring is full. */
  readonly #ring: string[] = [];
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`RecentIds: capacity must be a whole number ≥ 1, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** How many ids are kept (at most `capacity`). */
  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** The note `id` was added with ('' when none), or undefined when it is not kept. */
  noteOf(id: string): string | undefined {
    return this.#ids.has(id) ? (this.#notes?.get(id) ?? '') : undefined;
  }

  /**
   * Keeps `id` with `note` (an id already kept stays where it was, with its first note), forgetting
   * the oldest beyond `capacity`.
   */
  add(id: string, note = ''): void {
    if (this.#ids.has(id)) return;
    if (this.#ring.length < this.capacity) {
      this.#ring.push(id);
    } else {
      const oldest = this.#ring[this.#next]!;
      this.#ids.delete(oldest);
      this.#notes?.delete(oldest);
      this.#ring[this.#next] = id;
      this.#next = (this.#next + 1) % this.capacity;
    }
    this.#ids.add(id);
    if (note !== '') (this.#notes ??= new Map()).set(id, note);
  }
}
