import type { MarketEvent } from '../src/core/market-event.js';
import type { ParsedEventSink } from './line-parser.js';

/**
 * Collects a feed reader's events into batches of type `B`: event objects
 * (`EventArrayBatcher`) or packed columns (`PackedBatchWriter`, the parsing thread's).
 */
export interface EventBatcher<B> extends ParsedEventSink {
  /** Events in the batch being filled. */
  readonly size: number;
  /** An event a parser made as an object (its general path). */
  add(event: MarketEvent): void;
  /** The batch so far; the next one starts empty. */
  take(): B;
}
