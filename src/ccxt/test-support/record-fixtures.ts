// Re-parses the raw exchange JSON of the ccxt fixtures with ccxt's own parsers, offline, and
// writes what they make of it as `parsed` (then `npx prettier --write` the files):
//
//   npx tsx src/ccxt/test-support/record-fixtures.ts
//
// The raw JSON follows each exchange's documented formats (Binance spot REST and user data
// stream, Bybit v5 REST and private websocket); ccxt-fixtures.test.ts checks the files still match
// what the installed ccxt makes of it.
import { writeFileSync } from 'node:fs';
import {
  fixturePath,
  loadFixture,
  offlineExchange,
  parsedMarkets,
  parseRecorded,
  recordedMarket,
  type CcxtFixture,
  type FixtureName,
} from './ccxt-fixtures.js';

for (const name of ['binance-spot', 'bybit-linear'] as const satisfies readonly FixtureName[]) {
  const fixture = loadFixture(name);
  const exchange = await offlineExchange(fixture);
  const market = recordedMarket(exchange);
  const markets = parsedMarkets(exchange);
  const recorded: CcxtFixture = {
    ...fixture,
    markets: fixture.markets.map((m, i) => ({ ...m, parsed: markets[i]! })),
    orders: Object.fromEntries(
      Object.entries(fixture.orders).map(([key, r]) => [
        key,
        { ...r, parsed: parseRecorded(exchange, r, market) as never },
      ]),
    ),
    trades: Object.fromEntries(
      Object.entries(fixture.trades).map(([key, r]) => [
        key,
        { ...r, parsed: parseRecorded(exchange, r, market) as never },
      ]),
    ),
  };
  writeFileSync(fixturePath(name), `${JSON.stringify(recorded, null, 2)}\n`);
  console.log(
    `${name}: ${Object.keys(recorded.orders).length} orders, ${Object.keys(recorded.trades).length} trades`,
  );
}
