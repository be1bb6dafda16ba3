import { isAscii } from 'node:buffer';
import { FeedError } from '../src/core/errors.js';
import type { MarketEvent, Side } from '../src/core/market-event.js';
import type { EventBytes } from './buffer-events.js';
import type { EventBatcher } from './event-batcher.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser, ParsedEventSink } from './line-parser.js';
import { TradeIdFilter } from './trade-id-filter.js';

interface FastDecode {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
const hasFastDecode =
  typeof (Buffer.prototype as unknown as Partial<FastDecode>).latin1Slice === 'function' &&
  typeof (Buffer.prototype as unknown as Partial<FastDecode>).utf8Slice === 'function';

/**
 * `buffer.toString('utf8', start, end)` without its argument checks (Node's own `utf8Slice`),
 * and as Latin-1 when the bytes are ASCII (identical text, cheaper to decode).
 */
function decodeLine(buffer: Buffer, start: number, end: number, ascii: boolean): string {
  if (!hasFastDecode) return buffer.toString('utf8', start, end);
  const fast = buffer as unknown as FastDecode;
  return ascii ? fast.latin1Slice(start, end) : fast.utf8Slice(start, end);
}

/** True when the bytes are spaces and tabs only (cheap: most lines fail on the first byte). */
function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = buffer[i];
    if (byte !== 32 && byte !== 9) return false;
  }
  return true;
}

/** Events per batch handed to consumers. */
export const BATCH_SIZE = 4096;

/** Longest line accepted, bytes: bounds memory on a file without newlines. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Splits raw text chunks (Buffers) into lines and parses them into batches of events, of the
 * kind its {@link EventBatcher} makes: event objects, or packed columns on the parsing thread. A
 * parser with a bytes fast path ({@link LineParser.parseBytes}) reads ASCII lines in place and
 * hands their fields to the reader (its {@link ParsedEventSink}); as objects, such events keep
 * their chunk alive while they are referenced (buffer-events.ts). Other lines are decoded one by
 * one, so their events' strings keep at most their own line alive. Accepts `\n` and `\r\n`;
 * drops a UTF-8 byte-order mark at the start. A trade whose id repeats a recent one of the same
 * exchange and symbol is skipped and counted (`skipped.duplicateTradeId`, {@link TradeIdFilter}).
 */
export class FeedReader<B> implements ParsedEventSink {
  readonly #ctx: FeedContext;
  readonly #parser: LineParser;
  readonly #skipBadLines: boolean;
  /** The unfinished last line, in pieces (joined once its newline arrives). */
  readonly #rest: Buffer[] = [];
  #restBytes = 0;
  /** Inside an over-long line (skip mode): drop bytes up to the next newline. */
  #discarding = false;
  #lineNo = 0;
  readonly #tradeIds = new TradeIdFilter();
  readonly #batcher: EventBatcher<B>;
  /** Full batches waiting to be handed out. */
  readonly ready: B[] = [];

  constructor(
    ctx: FeedContext,
    parser: LineParser,
    skipBadLines: boolean,
    batcher: EventBatcher<B>,
  ) {
    this.#ctx = ctx;
    this.#parser = parser;
    this.#skipBadLines = skipBadLines;
    this.#batcher = batcher;
  }

  /** Lines completed so far (the 1-based number of the last one). */
  get lineNo(): number {
    return this.#lineNo;
  }

  /** Parses every complete line of `chunk`; keeps the unfinished end for the next call. */
  consume(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    if (newline < 0) {
      if (this.#discarding) return;
      this.#rest.push(chunk);
      this.#restBytes += chunk.length;
      if (this.#restBytes > MAX_LINE_BYTES) this.#tooLong();
      return;
    }
    if (this.#discarding) {
      this.#discarding = false;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    } else if (this.#restBytes > 0) {
      if (this.#restBytes + newline > MAX_LINE_BYTES) {
        this.#tooLong(false);
      } else {
        this.#rest.push(chunk.subarray(0, newline + 1));
        const head = this.#takeRest();
        this.#line(head, 0, head.length - 1, isAscii(head));
      }
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    const ascii = isAscii(chunk);
    while (newline >= 0) {
      if (newline - start > MAX_LINE_BYTES) this.#tooLong(false);
      else this.#line(chunk, start, newline, ascii);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.#rest.push(chunk.subarray(start));
      this.#restBytes = chunk.length - start;
      if (this.#restBytes > MAX_LINE_BYTES) this.#tooLong();
    }
  }

  #takeRest(): Buffer {
    const rest = this.#rest.length === 1 ? (this.#rest[0] as Buffer) : Buffer.concat(this.#rest);
    this.#rest.length = 0;
    this.#restBytes = 0;
    return rest;
  }

  /**
   * An over-long line (its bytes before the newline, a `\r` included, over {@link MAX_LINE_BYTES}):
   * a bad line, thrown, or counted and dropped up to the next newline (`discard`: it is not in
   * this chunk).
   */
  #tooLong(discard = true): void {
    this.#rest.length = 0;
    this.#restBytes = 0;
    const lineNo = ++this.#lineNo;
    this.#ctx.stats.lines++;
    const error = this.#ctx.malformed(lineNo, `line longer than ${MAX_LINE_BYTES} bytes`);
    if (!this.#skipBadLines) throw error;
    this.#ctx.stats.badLines++;
    this.#discarding = discard;
  }

  /**
   * Parses the last line when the file does not end with a newline; returns the last batch, null
   * when it would be empty.
   */
  finish(): B | null {
    if (this.#restBytes > 0) {
      const rest = this.#takeRest();
      this.#line(rest, 0, rest.length, isAscii(rest));
    }
    return this.flush();
  }

  /**
   * Drops an unfinished last line (a truncated file: it cannot be trusted); returns the last
   * batch, null when it would be empty.
   */
  abandon(): B | null {
    this.#rest.length = 0;
    this.#restBytes = 0;
    return this.flush();
  }

  /** The partial batch, handed out now; null when it is empty. */
  flush(): B | null {
    return this.#batcher.size === 0 ? null : this.#batcher.take();
  }

  /** The line in `buffer[start, end)`, `end` at the newline or the end of data. */
  #line(buffer: Buffer, start: number, end: number, ascii: boolean): void {
    const lineNo = ++this.#lineNo;
    const stats = this.#ctx.stats;
    stats.lines++;
    if (end > start && buffer[end - 1] === 13) end--;
    if (
      lineNo === 1 &&
      end - start >= 3 &&
      buffer[start] === 0xef &&
      buffer[start + 1] === 0xbb &&
      buffer[start + 2] === 0xbf
    )
      start += 3;
    const first = buffer[start];
    if (end === start || ((first === 32 || first === 9) && isBlank(buffer, start, end))) {
      this.#ctx.skip('blank');
      return;
    }
    let event: MarketEvent | null;
    try {
      const parser = this.#parser;
      if (ascii && parser.parseBytes?.(buffer, start, end, lineNo, this) === true) {
        this.#handOutIfFull();
        return;
      }
      event = parser.parseLine(decodeLine(buffer, start, end, ascii), lineNo);
    } catch (error) {
      if (this.#skipBadLines && error instanceof FeedError) {
        stats.badLines++;
        return;
      }
      throw error;
    }
    if (event === null) return;
    if (event.type === 'trade') {
      const id = event.id;
      if (
        id !== null &&
        id !== '' &&
        this.#tradeIds.isDuplicate(event.exchange, event.symbol, id)
      ) {
        this.#ctx.skip('duplicateTradeId');
        return;
      }
    }
    this.#count(event.type === 'trade', event.tsUs);
    this.#batcher.add(event);
    this.#handOutIfFull();
  }

  /** A trade read by the parser's bytes fast path: skipped when its id repeats, else batched. */
  trade(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    side: Side | null,
    priceNum: number,
    sizeNum: number,
    bytes: Uint8Array,
    priceStart: number,
    priceEnd: number,
    sizeStart: number,
    sizeEnd: number,
    idStart: number,
    idEnd: number,
  ): void {
    if (
      idStart >= 0 &&
      idEnd > idStart &&
      this.#tradeIds.isDuplicateBytes(exchange, symbol, bytes as EventBytes, idStart, idEnd)
    ) {
      this.#ctx.skip('duplicateTradeId');
      return;
    }
    this.#count(true, tsUs);
    this.#batcher.trade(
      tsUs,
      exchangeTsUs,
      exchange,
      symbol,
      side,
      priceNum,
      sizeNum,
      bytes,
      priceStart,
      priceEnd,
      sizeStart,
      sizeEnd,
      idStart,
      idEnd,
    );
  }

  /** A quote read by the parser's bytes fast path: batched. */
  quote(
    tsUs: number,
    exchangeTsUs: number | null,
    exchange: string,
    symbol: string,
    bidPriceNum: number,
    bidSizeNum: number,
    askPriceNum: number,
    askSizeNum: number,
    bytes: Uint8Array,
    bidPriceStart: number,
    bidPriceEnd: number,
    bidSizeStart: number,
    bidSizeEnd: number,
    askPriceStart: number,
    askPriceEnd: number,
    askSizeStart: number,
    askSizeEnd: number,
  ): void {
    this.#count(false, tsUs);
    this.#batcher.quote(
      tsUs,
      exchangeTsUs,
      exchange,
      symbol,
      bidPriceNum,
      bidSizeNum,
      askPriceNum,
      askSizeNum,
      bytes,
      bidPriceStart,
      bidPriceEnd,
      bidSizeStart,
      bidSizeEnd,
      askPriceStart,
      askPriceEnd,
      askSizeStart,
      askSizeEnd,
    );
  }

  #count(trade: boolean, tsUs: number): void {
    const stats = this.#ctx.stats;
    stats.events++;
    if (trade) stats.trades++;
    else stats.quotes++;
    if (stats.firstTsUs === null) stats.firstTsUs = tsUs;
    stats.lastTsUs = tsUs;
  }

  #handOutIfFull(): void {
    if (this.#batcher.size >= BATCH_SIZE) this.ready.push(this.#batcher.take());
  }
}
