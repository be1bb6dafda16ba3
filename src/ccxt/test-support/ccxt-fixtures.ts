import { readFileSync } from 'node:fs';
import ccxt, { type Exchange, type MarketInterface, type Order, type Trade } from 'ccxt';
import { recordedFetch } from '../recorded-fetch.js';

/** A recorded exchange: its raw JSON and what ccxt's parsers make of it (fixtures/*.json). */
export interface CcxtFixture {
  readonly exchange: 'binance' | 'bybit';
  readonly about: string;
  readonly markets: readonly Recorded<MarketInterface>[];
  readonly orders: Readonly<Record<string, Recorded<Order>>>;
  readonly trades: Readonly<Record<string, Recorded<Trade>>>;
  readonly errors: Readonly<Record<string, RecordedError>>;
}

/** One structure: the parser that made it, the exchange's JSON, and ccxt's result. */
export interface Recorded<T> {
  readonly parser: string;
  readonly raw: Record<string, unknown>;
  readonly parsed: T;
}

/** An HTTP error the exchange answered, as recorded. */
export interface RecordedError {
  readonly request: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export type FixtureName = 'binance-spot' | 'bybit-linear';

export function fixturePath(name: FixtureName): string {
  return new URL(`./fixtures/${name}.json`, import.meta.url).pathname;
}

export function loadFixture(name: FixtureName): CcxtFixture {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CcxtFixture;
}

/** A ccxt.pro exchange of the fixture's kind with its recorded markets loaded, offline. */
export async function offlineExchange(fixture: CcxtFixture): Promise<Exchange> {
  if (fixture.exchange === 'binance') {
    const exchange = new ccxt.pro.binance({ options: { defaultType: 'spot' } });
    // fetchMarkets sets these from its margin requests; parseMarket reads them.
    exchange.options['crossMarginPairsData'] = [];
    exchange.options['isolatedMarginPairsData'] = [];
    exchange.setMarkets(fixture.markets.map((m) => exchange.parseMarket(m.raw)));
    return exchange;
  }
  const exchange = new ccxt.pro.bybit({ options: { defaultType: 'swap' } });
  exchange.fetchImplementation = recordedFetch([
    {
      method: 'GET',
      path: '/v5/market/instruments-info',
      params: { status: 'PreLaunch' },
      body: { retCode: 0, retMsg: 'OK', result: { category: 'linear', list: [] }, time: 0 },
    },
    {
      method: 'GET',
      path: '/v5/market/instruments-info',
      body: {
        retCode: 0,
        retMsg: 'OK',
        result: { category: 'linear', list: fixture.markets.map((m) => m.raw), nextPageCursor: '' },
        retExtInfo: {},
        time: 1723161600000,
      },
    },
  ]);
  const markets = await (
    exchange as unknown as { fetchFutureMarkets(params: object): Promise<MarketInterface[]> }
  ).fetchFutureMarkets({ category: 'linear' });
  exchange.setMarkets(markets);
  return exchange;
}

/** What ccxt's parsers make of a recorded raw structure, as JSON keeps it (no `undefined`). */
export function parseRecorded(
  exchange: Exchange,
  recorded: Recorded<unknown>,
  market?: MarketInterface,
): unknown {
  const parsers = exchange as unknown as Record<
    string,
    (raw: unknown, market?: MarketInterface) => unknown
  >;
  const parse = parsers[recorded.parser];
  if (typeof parse !== 'function') throw new Error(`${exchange.id} has no ${recorded.parser}`);
  return JSON.parse(JSON.stringify(parse.call(exchange, recorded.raw, market))) as unknown;
}

/** The exchange's loaded markets as JSON keeps them (the fixtures' `parsed` markets). */
export function parsedMarkets(exchange: Exchange): MarketInterface[] {
  return JSON.parse(JSON.stringify(Object.values(exchange.markets ?? {}))) as MarketInterface[];
}

/** The one market a fixture records. */
export function recordedMarket(exchange: Exchange): MarketInterface {
  const market = Object.values(exchange.markets ?? {})[0] as MarketInterface | undefined;
  if (market === undefined) throw new Error(`${exchange.id}: no market loaded`);
  return market;
}
