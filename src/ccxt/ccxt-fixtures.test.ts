import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadFixture,
  offlineExchange,
  parsedMarkets,
  parseRecorded,
  recordedMarket,
  type FixtureName,
} from './test-support/ccxt-fixtures.js';

describe('the recorded ccxt structures', () => {
  for (const name of ['binance-spot', 'bybit-linear'] as const satisfies readonly FixtureName[]) {
    it(`${name}: are what the installed ccxt’s own parsers make of the recorded exchange JSON`, async () => {
      const fixture = loadFixture(name);
      const exchange = await offlineExchange(fixture);
      expect(parsedMarkets(exchange)).toEqual(fixture.markets.map((m) => m.parsed));
      const market = recordedMarket(exchange);
      const recorded = { ...fixture.orders, ...fixture.trades };
      expect(Object.keys(recorded).length).toBeGreaterThanOrEqual(6);
      for (const [key, r] of Object.entries(recorded)) {
        expect(parseRecorded(exchange, r, market), key).toEqual(r.parsed);
      }
    });
  }
});

describe('the adapter needs no ccxt at run time', () => {
  it('imports only types from ccxt (an optional peer dependency)', () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const fromCcxt = [...text.matchAll(/^import (.*) from 'ccxt';$/gmu)].map((m) => m[1]!);
      for (const clause of fromCcxt) expect(clause, file).toMatch(/^type /u);
    }
  });
});
