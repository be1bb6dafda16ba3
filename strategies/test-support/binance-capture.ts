import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { MarketEvent, Side } from '../../src/core/market-event.js';

/**
 * A minimal reader of the bundled Binance websocket captures (`feeds/samples/*.gz`), for strategy
 * tests and calibration only (the real readers live in `feeds/`, which strategies must not import).
 *
 * Lines are `<local receive ns> <combined-stream json>`; `trade` gives p, q, T, m and `bookTicker`
 * gives b, B, a, A; depth updates and snapshots are skipped. `tsUs` is the local receive time / 1000.
 */
export function readBinanceCapture(file: string, exchange = 'binance'): MarketEvent[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const events: MarketEvent[] = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const tsUs = Math.floor(Number(line.slice(0, space)) / 1000);
    const envelope = JSON.parse(line.slice(space + 1)) as { stream?: string; data?: BinanceData };
    const data = envelope.data;
    if (envelope.stream === undefined || data === undefined) continue; // depth snapshot
    if (envelope.stream.endsWith('@trade')) {
      const side: Side = data.m === true ? 'sell' : 'buy';
      events.push({
        type: 'trade',
        tsUs,
        exchangeTsUs: (data.T ?? 0) * 1000,
        exchange,
        symbol: String(data.s),
        id: data.t === undefined ? null : String(data.t),
        side,
        price: String(data.p),
        priceNum: Number(data.p),
        size: String(data.q),
        sizeNum: Number(data.q),
      });
    } else if (envelope.stream.endsWith('@bookTicker')) {
      events.push({
        type: 'quote',
        tsUs,
        exchangeTsUs: data.T === undefined ? null : data.T * 1000,
        exchange,
        symbol: String(data.s),
        bidPrice: String(data.b),
        bidPriceNum: Number(data.b),
        bidSize: String(data.B),
        bidSizeNum: Number(data.B),
        askPrice: String(data.a),
        askPriceNum: Number(data.a),
        askSize: String(data.A),
        askSizeNum: Number(data.A),
      });
    }
  }
  return events;
}

interface BinanceData {
  readonly s?: string;
  readonly p?: string;
  readonly q?: string;
  readonly T?: number;
  readonly t?: number;
  readonly m?: boolean;
  readonly b?: string;
  readonly B?: string;
  readonly a?: string;
  readonly A?: string;
}
