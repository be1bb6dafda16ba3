import { isAscii } from 'node:buffer';
import { FeedError } from '../src/core/errors.js';
import type { MarketEvent, TradeEvent } from '../src/core/market-event.js';
import { BufferTradeEvent } from './buffer-events.js';
import type { FeedContext } from './feed-context.js';
import type { LineParser } from './line-parser.js';
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
 * Splits raw text chunks (Buffers) into lines and parses them into batches of events. A parser
 * with a bytes fast path ({@link LineParser.parseBytes}) reads ASCII lines in place, and its
 * events keep their chunk alive while they are referenced (buffer-events.ts); other lines are
 * decoded one by one, so their events' strings keep at most their own line alive. Accepts `\n`
 * and `\r\n`; drops a UTF-8 byte-order mark at the start. A trade whose id repeats a recent one
 * of the same exchange and symbol is skipped and counted (`skipped.duplicateTradeId`,
 * {@link TradeIdFilter}).
 */
export class FeedReader {
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
  #batch: MarketEvent[] = [];
  /** Full batches waiting to be handed out. */
  readonly ready: MarketEvent[][] = [];

  constructor(ctx: FeedContext, parser: LineParser, skipBadLines: boolean) {
    this.#ctx = ctx;
    this.#parser = parser;
    this.#skipBadLines = skipBadLines;
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

  /** Parses the last line when the file does not end with a newline; returns the last batch. */
  finish(): MarketEvent[] {
    if (this.#restBytes > 0) {
      const rest = this.#takeRest();
      this.#line(rest, 0, rest.length, isAscii(rest));
    }
    return this.flush();
  }

  /** Drops an unfinished last line (a truncated file: it cannot be trusted); returns the last batch. */
  abandon(): MarketEvent[] {
    this.#rest.length = 0;
    this.#restBytes = 0;
    return this.flush();
  }

  /** The partial batch, handed out now. */
  flush(): MarketEvent[] {
    const batch = this.#batch;
    this.#batch = [];
    return batch;
  }

  /** True when the trade's id (a non-empty one) repeats a recent trade's of its stream. */
  #isRepeatedTrade(trade: TradeEvent): boolean {
    if (trade instanceof BufferTradeEvent) {
      const { idStart, idEnd } = trade;
      return (
        idStart >= 0 &&
        idEnd > idStart &&
        this.#tradeIds.isDuplicateBytes(trade.exchange, trade.symbol, trade.bytes, idStart, idEnd)
      );
    }
    const id = trade.id;
    return id !== null && id !== '' && this.#tradeIds.isDuplicate(trade.exchange, trade.symbol, id);
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
    let event: MarketEvent | null | undefined;
    try {
      const parser = this.#parser;
      if (ascii && parser.parseBytes !== undefined)
        event = parser.parseBytes(buffer, start, end, lineNo);
      if (event === undefined)
        event = parser.parseLine(decodeLine(buffer, start, end, ascii), lineNo);
    } catch (error) {
      if (this.#skipBadLines && error instanceof FeedError) {
        stats.badLines++;
        return;
      }
      throw error;
    }
    if (event === null) return;
    if (event.type === 'trade' && this.#isRepeatedTrade(event)) {
      this.#ctx.skip('duplicateTradeId');
      return;
    }
    stats.events++;
    if (event.type === 'trade') stats.trades++;
    else stats.quotes++;
    if (stats.firstTsUs === null) stats.firstTsUs = event.tsUs;
    stats.lastTsUs = event.tsUs;
    const batch = this.#batch;
    batch.push(event);
    if (batch.length >= BATCH_SIZE) {
      this.ready.push(batch);
      this.#batch = [];
    }
  }
}
