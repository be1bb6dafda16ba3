import { PRICE_DIGITS, QTY_DIGITS } from '../src/core/exact-scales.js';
import type { MarketEvent } from '../src/core/market-event.js';
import type { FeedContext } from './feed-context.js';
import type { FeedTime } from './feed-source.js';
import type { LineParser } from './line-parser.js';
import { sameText } from './csv-columns.js';
import { quoteValue, scanDecimal, scanUnsignedInteger } from './decimal-scan.js';
import { checkNotCrossed, positivePrice, validSize } from './field-checks.js';
import { FlatJsonScanner, INTEGER, NONE, STRING, TRUE, FALSE } from './flat-json-scanner.js';
import { quoteEvent, tradeEvent } from './market-event-factory.js';

type Json = Record<string, unknown>;

const SPOT = 'binance';
const FUTURES = 'binance-futures';
/** Field name used in errors for the capture's `<local receive time ns>` prefix. */
const LOCAL_TIME = 'local_time';
/** Returned by the fast path when the line needs the general one. */
const GENERAL = undefined;
const KEY_A = 65; // 'A'
const KEY_B = 66;
const KEY_E = 69;
const KEY_M = 77;
const KEY_T = 84;
const KEY_X = 88;
const KEY_a = 97;
const KEY_b = 98;
const KEY_e = 101;
const KEY_m = 109;
const KEY_p = 112;
const KEY_q = 113;
const KEY_s = 115;
const KEY_t = 116;
const KEY_u = 117;

/**
 * Reader of Binance websocket captures: `<local receive time ns> <json>` lines or bare JSON lines,
 * combined-stream envelopes or bare payloads. `trade`, `aggTrade` and `bookTicker` become events;
 * `depthUpdate`, REST depth snapshots and anything else are counted and skipped.
 *
 * The venue (`binance` or `binance-futures`) is decided once per file by the first valid trade,
 * aggTrade or bookTicker message: futures trades carry `X`, futures bookTickers carry `e`/`T`, spot
 * aggTrades carry `M`.
 *
 * Event time (`tsUs`): with `time: 'local'` (default) the line's local receive time prefix, else
 * (bare JSON lines) the exchange time. With `time: 'exchange'` always the exchange time, `T` else
 * `E` (the prefix is still checked but not used): the same value `exchangeTsUs` holds, clamped by
 * the out-of-order policy. A message without any exchange time (a spot bookTicker) gets the latest
 * event time of the feed, or is skipped as `untimed` before the first timed event.
 */
export class BinanceWsParser implements LineParser {
  readonly #ctx: FeedContext;
  readonly #flat: FlatJsonScanner | null;
  readonly #localTime: boolean;
  #exchange: string | null = null;

  /**
   * `fastPath: false` forces JSON.parse on every line (tests compare both paths); `time` picks
   * the event time: the local receive time prefix (`local`, default) or the exchange's time.
   */
  constructor(ctx: FeedContext, fastPath = true, time: FeedTime = 'local') {
    this.#ctx = ctx;
    this.#flat = fastPath ? new FlatJsonScanner() : null;
    this.#localTime = time === 'local';
  }

  parseLine(line: string, lineNo: number): MarketEvent | null {
    const ctx = this.#ctx;
    let localUs = -1;
    let jsonStart = 0;
    if (line.charCodeAt(0) !== 123) {
      const space = line.indexOf(' ');
      if (space < 0)
        throw ctx.malformed(lineNo, 'expected "<local receive time ns> <JSON>" or a JSON object');
      // ns → µs exactly: drop the last three digits of the integer string.
      if (space > 3 && scanUnsignedInteger(line, space - 3, space) >= 0)
        localUs = scanUnsignedInteger(line, 0, space - 3);
      if (localUs <= 0)
        throw ctx.badField(
          lineNo,
          LOCAL_TIME,
          `not an integer time in ns (${quoteValue(line.slice(0, space))})`,
        );
      jsonStart = space + 1;
      // Exchange time: the prefix is checked above, then read as if the line were bare JSON.
      if (!this.#localTime) localUs = -1;
    }
    // Depth updates are skipped anyway: recognise Binance's own layout without parsing the book.
    if (line.startsWith('{"stream":"', jsonStart)) {
      const quote = line.indexOf('"', jsonStart + 11);
      if (
        quote > 0 &&
        line.startsWith(',"data":{"e":"depthUpdate"', quote + 1) &&
        line.charCodeAt(line.length - 1) === 125
      )
        return ctx.skip('depthUpdate');
    }
    if (this.#flat !== null) {
      const event = this.#fast(this.#flat, line, jsonStart, lineNo, localUs);
      if (event !== GENERAL) return event;
    }
    let message: unknown;
    try {
      message = JSON.parse(jsonStart === 0 ? line : line.slice(jsonStart));
    } catch {
      throw ctx.malformed(lineNo, 'not valid JSON');
    }
    if (!isObject(message)) throw ctx.malformed(lineNo, 'not a JSON object');
    let payload = message;
    if ('stream' in payload) {
      const data = payload['data'];
      if (!isObject(data)) throw ctx.badField(lineNo, 'data', 'missing or not an object');
      payload = data;
    }
    switch (payload['e']) {
      case 'trade':
        return this.#trade(payload, lineNo, localUs, 't', 'X' in payload ? FUTURES : SPOT);
      case 'aggTrade':
        return this.#trade(payload, lineNo, localUs, 'a', 'M' in payload ? SPOT : FUTURES);
      case 'bookTicker':
        return this.#quote(payload, lineNo, localUs);
      case 'depthUpdate':
        return ctx.skip('depthUpdate');
      case undefined:
        if ('lastUpdateId' in payload) return ctx.skip('depthSnapshot');
        if ('u' in payload && 's' in payload && 'b' in payload && 'a' in payload)
          return this.#quote(payload, lineNo, localUs);
        return ctx.skip('other');
      default:
        return ctx.skip('other');
    }
  }

  /**
   * The fast path: Binance's own flat layout read in place with {@link FlatJsonScanner}. Returns
   * GENERAL, before touching any state, for anything it does not fully validate; the general path
   * then gives the same result or the same error (a test compares both on the real captures).
   */
  #fast(
    flat: FlatJsonScanner,
    line: string,
    pos: number,
    lineNo: number,
    localUs: number,
  ): MarketEvent | null | typeof GENERAL {
    let end: number;
    if (line.startsWith('{"stream":"', pos)) {
      let quote = pos + 11;
      for (;;) {
        if (quote >= line.length) return GENERAL;
        const c = line.charCodeAt(quote);
        if (c === 34) break;
        if (c === 92 || c < 32) return GENERAL;
        quote++;
      }
      if (!line.startsWith(',"data":', quote + 1)) return GENERAL;
      end = flat.scanObject(line, quote + 9);
      if (end < 0 || end !== line.length - 1 || line.charCodeAt(end) !== 125) return GENERAL;
    } else {
      end = flat.scanObject(line, pos);
      if (end !== line.length) return GENERAL;
    }
    const kind = flat.kind;
    if (kind[KEY_e] === STRING) {
      const start = flat.start[KEY_e] as number;
      const stop = flat.end[KEY_e] as number;
      if (sameText(line, start, stop, 'trade'))
        return this.#fastTrade(
          flat,
          line,
          lineNo,
          localUs,
          KEY_t,
          kind[KEY_X] !== NONE ? FUTURES : SPOT,
        );
      if (sameText(line, start, stop, 'aggTrade'))
        return this.#fastTrade(
          flat,
          line,
          lineNo,
          localUs,
          KEY_a,
          kind[KEY_M] !== NONE ? SPOT : FUTURES,
        );
      if (sameText(line, start, stop, 'bookTicker'))
        return this.#fastQuote(flat, line, lineNo, localUs);
      return GENERAL;
    }
    if (
      kind[KEY_e] === NONE &&
      kind[KEY_u] !== NONE &&
      kind[KEY_s] !== NONE &&
      kind[KEY_b] !== NONE &&
      kind[KEY_a] !== NONE
    )
      return this.#fastQuote(flat, line, lineNo, localUs);
    return GENERAL;
  }

  #fastTrade(
    flat: FlatJsonScanner,
    line: string,
    lineNo: number,
    localUs: number,
    idKey: number,
    venue: string,
  ): MarketEvent | typeof GENERAL {
    const { kind, start, end } = flat;
    if (kind[KEY_s] !== STRING || start[KEY_s] === end[KEY_s]) return GENERAL;
    if (
      kind[idKey] !== INTEGER ||
      scanUnsignedInteger(line, start[idKey] as number, end[idKey] as number) < 0
    )
      return GENERAL;
    if (kind[KEY_p] !== STRING || kind[KEY_q] !== STRING) return GENERAL;
    const priceNum = scanDecimal(line, start[KEY_p] as number, end[KEY_p] as number, PRICE_DIGITS);
    if (!(priceNum > 0 && priceNum !== Infinity)) return GENERAL;
    const sizeNum = scanDecimal(line, start[KEY_q] as number, end[KEY_q] as number, QTY_DIGITS);
    if (!(sizeNum > 0 && sizeNum !== Infinity)) return GENERAL;
    const maker = kind[KEY_m];
    if (maker !== TRUE && maker !== FALSE) return GENERAL;
    const timeKey = kind[KEY_T] !== NONE ? KEY_T : KEY_E;
    const exchangeTsUs = fastMsToUs(flat, line, timeKey);
    if (exchangeTsUs <= 0) return GENERAL;
    const exchange = (this.#exchange ??= venue);
    const tsUs =
      localUs > 0
        ? this.#ctx.eventTime(localUs, lineNo, LOCAL_TIME)
        : this.#ctx.eventTime(exchangeTsUs, lineNo, timeKey === KEY_T ? 'T' : 'E');
    return tradeEvent(
      tsUs,
      exchangeTsUs,
      exchange,
      line.slice(start[KEY_s], end[KEY_s]),
      line.slice(start[idKey], end[idKey]),
      maker === TRUE ? 'sell' : 'buy',
      line.slice(start[KEY_p], end[KEY_p]),
      priceNum,
      line.slice(start[KEY_q], end[KEY_q]),
      sizeNum,
    );
  }

  #fastQuote(
    flat: FlatJsonScanner,
    line: string,
    lineNo: number,
    localUs: number,
  ): MarketEvent | null | typeof GENERAL {
    const { kind, start, end } = flat;
    if (kind[KEY_s] !== STRING || start[KEY_s] === end[KEY_s]) return GENERAL;
    if (
      kind[KEY_b] !== STRING ||
      kind[KEY_B] !== STRING ||
      kind[KEY_a] !== STRING ||
      kind[KEY_A] !== STRING
    )
      return GENERAL;
    const bidPriceNum = scanDecimal(
      line,
      start[KEY_b] as number,
      end[KEY_b] as number,
      PRICE_DIGITS,
    );
    if (!(bidPriceNum > 0 && bidPriceNum !== Infinity)) return GENERAL;
    const bidSizeNum = scanDecimal(line, start[KEY_B] as number, end[KEY_B] as number, QTY_DIGITS);
    if (!((bidSizeNum > 0 || bidSizeNum === 0) && bidSizeNum !== Infinity)) return GENERAL;
    const askPriceNum = scanDecimal(
      line,
      start[KEY_a] as number,
      end[KEY_a] as number,
      PRICE_DIGITS,
    );
    if (!(askPriceNum > 0 && askPriceNum !== Infinity)) return GENERAL;
    const askSizeNum = scanDecimal(line, start[KEY_A] as number, end[KEY_A] as number, QTY_DIGITS);
    if (!((askSizeNum > 0 || askSizeNum === 0) && askSizeNum !== Infinity)) return GENERAL;
    if (bidPriceNum > askPriceNum) return GENERAL;
    const futures = kind[KEY_e] !== NONE || kind[KEY_T] !== NONE;
    const timeKey = kind[KEY_T] !== NONE ? KEY_T : kind[KEY_E] !== NONE ? KEY_E : -1;
    let exchangeTsUs: number | null = null;
    if (timeKey >= 0) {
      exchangeTsUs = fastMsToUs(flat, line, timeKey);
      if (exchangeTsUs <= 0) return GENERAL;
    }
    const exchange = (this.#exchange ??= futures ? FUTURES : SPOT);
    const ctx = this.#ctx;
    if (ctx.tradesOnly) return ctx.dropQuote();
    let tsUs: number;
    if (localUs > 0) tsUs = ctx.eventTime(localUs, lineNo, LOCAL_TIME);
    else if (exchangeTsUs !== null)
      tsUs = ctx.eventTime(exchangeTsUs, lineNo, timeKey === KEY_T ? 'T' : 'E');
    else if (ctx.latestTsUs > 0) tsUs = ctx.latestTsUs;
    else return ctx.skip('untimed');
    return quoteEvent(
      tsUs,
      exchangeTsUs,
      exchange,
      line.slice(start[KEY_s], end[KEY_s]),
      line.slice(start[KEY_b], end[KEY_b]),
      bidPriceNum,
      line.slice(start[KEY_B], end[KEY_B]),
      bidSizeNum,
      line.slice(start[KEY_a], end[KEY_a]),
      askPriceNum,
      line.slice(start[KEY_A], end[KEY_A]),
      askSizeNum,
    );
  }

  #trade(p: Json, lineNo: number, localUs: number, idKey: 't' | 'a', venue: string): MarketEvent {
    const ctx = this.#ctx;
    const symbol = this.#symbol(p, lineNo);
    const id = p[idKey];
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
      throw ctx.badField(lineNo, idKey, `not an integer id (${describe(id)})`);
    const price = this.#decimalText(p, 'p', lineNo);
    const priceNum = positivePrice(ctx, price, 0, price.length, lineNo, 'p');
    const size = this.#decimalText(p, 'q', lineNo);
    const sizeNum = validSize(ctx, size, 0, size.length, lineNo, 'q', false);
    const buyerIsMaker = p['m'];
    if (typeof buyerIsMaker !== 'boolean')
      throw ctx.badField(lineNo, 'm', `not true or false (${describe(buyerIsMaker)})`);
    const exchangeTsUs = this.#exchangeTime(p, lineNo);
    if (exchangeTsUs === null) throw ctx.badField(lineNo, 'T', 'missing (no T or E)');
    const exchange = (this.#exchange ??= venue);
    const tsUs =
      localUs > 0
        ? ctx.eventTime(localUs, lineNo, LOCAL_TIME)
        : ctx.eventTime(exchangeTsUs, lineNo, 'T' in p ? 'T' : 'E');
    // m (buyer is maker): the seller crossed the spread, so the aggressor sold.
    const side = buyerIsMaker ? 'sell' : 'buy';
    return tradeEvent(
      tsUs,
      exchangeTsUs,
      exchange,
      symbol,
      String(id),
      side,
      price,
      priceNum,
      size,
      sizeNum,
    );
  }

  #quote(p: Json, lineNo: number, localUs: number): MarketEvent | null {
    const ctx = this.#ctx;
    const symbol = this.#symbol(p, lineNo);
    const bidPrice = this.#decimalText(p, 'b', lineNo);
    const bidPriceNum = positivePrice(ctx, bidPrice, 0, bidPrice.length, lineNo, 'b');
    const bidSize = this.#decimalText(p, 'B', lineNo);
    const bidSizeNum = validSize(ctx, bidSize, 0, bidSize.length, lineNo, 'B', true);
    const askPrice = this.#decimalText(p, 'a', lineNo);
    const askPriceNum = positivePrice(ctx, askPrice, 0, askPrice.length, lineNo, 'a');
    const askSize = this.#decimalText(p, 'A', lineNo);
    const askSizeNum = validSize(ctx, askSize, 0, askSize.length, lineNo, 'A', true);
    checkNotCrossed(ctx, bidPriceNum, askPriceNum, bidPrice, askPrice, lineNo, 'b');
    const exchangeTsUs = this.#exchangeTime(p, lineNo);
    // The venue is decided by the first valid classified message of the file.
    const exchange = (this.#exchange ??= 'e' in p || 'T' in p ? FUTURES : SPOT);
    if (ctx.tradesOnly) return ctx.dropQuote();
    let tsUs: number;
    if (localUs > 0) tsUs = ctx.eventTime(localUs, lineNo, LOCAL_TIME);
    else if (exchangeTsUs !== null)
      tsUs = ctx.eventTime(exchangeTsUs, lineNo, 'T' in p ? 'T' : 'E');
    // A bare spot bookTicker has no time at all: it happened at the latest time seen.
    else if (ctx.latestTsUs > 0) tsUs = ctx.latestTsUs;
    else return ctx.skip('untimed');
    return quoteEvent(
      tsUs,
      exchangeTsUs,
      exchange,
      symbol,
      bidPrice,
      bidPriceNum,
      bidSize,
      bidSizeNum,
      askPrice,
      askPriceNum,
      askSize,
      askSizeNum,
    );
  }

  /** Exchange time in µs: `T` (trade / transaction time), else `E` (event time), else null. */
  #exchangeTime(p: Json, lineNo: number): number | null {
    const key = 'T' in p ? 'T' : 'E' in p ? 'E' : null;
    if (key === null) return null;
    const ms = p[key];
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_MS)
      throw this.#ctx.badField(lineNo, key, `not an integer time in ms (${describe(ms)})`);
    return ms * 1000;
  }

  #symbol(p: Json, lineNo: number): string {
    const symbol = p['s'];
    if (typeof symbol !== 'string' || symbol.length === 0)
      throw this.#ctx.badField(lineNo, 's', `not a symbol (${describe(symbol)})`);
    return symbol;
  }

  #decimalText(p: Json, key: string, lineNo: number): string {
    const value = p[key];
    if (typeof value === 'string') return value;
    throw this.#ctx.badField(
      lineNo,
      key,
      value === undefined ? 'missing' : `expected a decimal string (${describe(value)})`,
    );
  }
}

/** Largest ms time whose µs value is still a safe integer. */
const MAX_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** The integer ms time under `key` as µs, or -1 when it is not a valid one. */
function fastMsToUs(flat: FlatJsonScanner, line: string, key: number): number {
  if (flat.kind[key] !== INTEGER) return -1;
  const ms = scanUnsignedInteger(line, flat.start[key] as number, flat.end[key] as number);
  return ms > 0 && ms <= MAX_MS ? ms * 1000 : -1;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return quoteValue(value);
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
