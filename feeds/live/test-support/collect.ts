import type { MarketEvent } from '../../../src/core/market-event.js';
import type { FeedOptions } from '../../feed-source.js';
import { mergeFeeds } from '../../merge-feeds.js';
import { openFeed } from '../../open-feed.js';
import type { BinanceStreamClient } from '../binance-stream-client.js';
import type { LiveFeedItem } from '../live-feed-item.js';

/** The events the file readers give for these files, merged. */
export async function fileEvents(
  files: readonly string[],
  options: FeedOptions = {},
): Promise<MarketEvent[]> {
  const sources = await Promise.all(files.map((file) => openFeed(file, options)));
  const events: MarketEvent[] = [];
  for await (const batch of mergeFeeds(sources)) events.push(...batch);
  return events;
}

/** An event without its local receive time, which differs between a file and a live feed. */
export function withoutLocalTime(event: MarketEvent): Omit<MarketEvent, 'tsUs'> {
  const { tsUs: _, ...rest } = event;
  return rest;
}

/**
 * Items of a client until `stop` says so (checked after each item, with the number of events so
 * far) or `timeoutMs` passes; then closes the client. Rejects on timeout with what was collected.
 */
export async function collectItems(
  client: BinanceStreamClient,
  stop: (item: LiveFeedItem, events: number) => boolean,
  timeoutMs = 20_000,
): Promise<LiveFeedItem[]> {
  const items: LiveFeedItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void client.close();
      reject(new Error(`timed out after ${timeoutMs} ms: ${describe(items)}`));
    }, timeoutMs);
  });
  const read = (async () => {
    let events = 0;
    for await (const item of client) {
      items.push(item);
      if (item.type === 'event') events++;
      if (stop(item, events)) break;
    }
    return items;
  })();
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
    await client.close();
  }
}

/** The items other than events, for failure messages. */
export function describe(items: readonly LiveFeedItem[]): string {
  const events = items.filter((item) => item.type === 'event').length;
  const others = items
    .filter((item) => item.type !== 'event')
    .slice(-20)
    .map((item) => JSON.stringify(item));
  return `${events} events; ${others.join(' ')}`;
}

/** Events of the items, in order. */
export function eventsOf(items: readonly LiveFeedItem[]): MarketEvent[] {
  return items.flatMap((item) => (item.type === 'event' ? [item.event] : []));
}
