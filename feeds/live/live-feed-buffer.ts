import type { LiveDroppedItem, LiveFeedItem } from './live-feed-item.js';

/**
 * The items waiting for a slow consumer, at most `limit` of them. When it is full, room is made
 * by dropping the oldest waiting market event; gap, status and bad-message items are kept (only a
 * buffer holding nothing but those drops the oldest of them). Drops are counted and surface as
 * one `dropped` item before the next item taken out. Memory is O(limit) whatever the consumer does.
 */
export class LiveFeedBuffer {
  readonly limit: number;
  #items: LiveFeedItem[] = [];
  #head = 0;
  #pendingDrops = 0;
  #lastDropUs = 0;
  #totalDrops = 0;

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`buffer limit must be a whole number >= 1, got ${limit}`);
    this.limit = limit;
  }

  /** Items waiting (a pending `dropped` notice not included). */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Items dropped since the buffer was created. */
  get dropped(): number {
    return this.#totalDrops;
  }

  /** Adds an item, dropping one first when full; returns the item dropped, if any. */
  push(item: LiveFeedItem): LiveFeedItem | null {
    let dropped: LiveFeedItem | null = null;
    if (this.length >= this.limit) {
      dropped = this.#dropOne(item);
      this.#pendingDrops++;
      this.#totalDrops++;
      this.#lastDropUs = item.type === 'event' ? item.event.tsUs : item.atUs;
      if (dropped === item) return dropped;
    }
    this.#items.push(item);
    return dropped;
  }

  /** The next item: a `dropped` notice when drops happened since the last one, else the oldest. */
  shift(): LiveFeedItem | undefined {
    if (this.#pendingDrops > 0) {
      const notice: LiveDroppedItem = {
        type: 'dropped',
        count: this.#pendingDrops,
        total: this.#totalDrops,
        atUs: this.#lastDropUs,
      };
      this.#pendingDrops = 0;
      return notice;
    }
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head] as LiveFeedItem;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Whether {@link shift} has something to give. */
  get ready(): boolean {
    return this.#pendingDrops > 0 || this.#head < this.#items.length;
  }

  /** Removes the item to drop to make room for `incoming`; returns it (`incoming` itself when that is the one). */
  #dropOne(incoming: LiveFeedItem): LiveFeedItem {
    const items = this.#items;
    for (let i = this.#head; i < items.length; i++) {
      const item = items[i] as LiveFeedItem;
      if (item.type !== 'event') continue;
      if (i === this.#head) this.#head++;
      else items.splice(i, 1);
      return item;
    }
    if (incoming.type === 'event') return incoming;
    const oldest = items[this.#head] as LiveFeedItem;
    this.#head++;
    return oldest;
  }
}
