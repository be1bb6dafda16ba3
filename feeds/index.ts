/**
 * Market-data feed readers: open files of any supported format (gzipped or not) as streams of
 * normalized {@link MarketEvent} batches, and merge several files into one time-ordered stream.
 * Formats, detection and policies: docs/feed-formats.md.
 */

// Reading files
export { openFeed } from './open-feed.js';
export { openFeedInWorker } from './worker-feed-source.js';
export { ParsedFeedCache, DEFAULT_CACHED_EVENTS } from './parsed-feed-cache.js';
export { mergeFeeds } from './merge-feeds.js';
export { detectFeedFormat } from './detect-feed-format.js';
export type { FeedFormat, FeedOptions, FeedSource, FeedStats } from './feed-source.js';
export { BufferQuoteEvent, BufferTradeEvent, plainMarketEvent } from './buffer-events.js';
export { PackedQuoteEvent, PackedTradeEvent } from './packed-events.js';
export { FEED_FORMATS } from './feed-source.js';

// The normalized CSV format (written by generate-feed, read by openFeed)
export { NORMALIZED_CSV_HEADER, formatNormalizedCsvLine } from './normalized-csv-format.js';

// Shared types, re-exported for convenience
export { FeedError } from '../src/core/errors.js';
export type { MarketEvent, QuoteEvent, TradeEvent } from '../src/core/market-event.js';

// Live websocket feeds (Binance-compatible streams) and the local replay server, serve-feed
export { BinanceStreamClient } from './live/binance-stream-client.js';
export type { BinanceStreamClientOptions, LiveFeedStats } from './live/binance-stream-client.js';
export type {
  LiveBadMessageItem,
  LiveDroppedItem,
  LiveEventItem,
  LiveFeedItem,
  LiveGapItem,
  LiveStatusItem,
} from './live/live-feed-item.js';
export { DEFAULT_BACKOFF, backoffDelayMs } from '../src/core/backoff.js';
export type { BackoffOptions } from '../src/core/backoff.js';
export { serveFeed } from './live/serve-feed.js';
export type { FeedServer, FeedServerEvent, ServeFeedOptions } from './live/serve-feed.js';
export {
  binanceStreamName,
  binanceStreamUrl,
  parseBinanceStreamPath,
} from './live/binance-streams.js';
export type { BinanceStreamRequest, BinanceStreamType } from './live/binance-streams.js';
