import { describe, expect, it } from 'vitest';
import { binanceStreamName, binanceStreamUrl, parseBinanceStreamPath } from './binance-streams.js';

describe('Binance stream paths', () => {
  it('reads combined and raw paths as Binance does', () => {
    expect(parseBinanceStreamPath('/stream?streams=btcusdt@trade/BTCUSDT@bookTicker')).toEqual({
      combined: true,
      streams: ['btcusdt@trade', 'btcusdt@bookTicker'],
    });
    expect(parseBinanceStreamPath('/ws/ethusdt@aggTrade')).toEqual({
      combined: false,
      streams: ['ethusdt@aggTrade'],
    });
    for (const path of ['/', '/stream', '/stream?streams=', '/ws/', '/ws/a/b', '/depth'])
      expect(parseBinanceStreamPath(path)).toBeNull();
  });

  it('names streams and builds combined URLs', () => {
    expect(binanceStreamName('BTCUSDT', 'bookTicker')).toBe('btcusdt@bookTicker');
    expect(binanceStreamUrl('ws://127.0.0.1:9443/', ['btcusdt@trade', 'btcusdt@bookTicker'])).toBe(
      'ws://127.0.0.1:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker',
    );
  });
});
