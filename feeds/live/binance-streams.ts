/** The Binance streams a feed server can fill from market events. */
export type BinanceStreamType = 'trade' | 'aggTrade' | 'bookTicker';

/** What a client asked for with its connection's path. */
export interface BinanceStreamRequest {
  /** `/stream?streams=…` (messages wrapped as `{"stream","data"}`) or `/ws/<stream>` (bare). */
  readonly combined: boolean;
  /** Stream names, the symbol part lower case, e.g. `btcusdt@trade`. */
  readonly streams: readonly string[];
}

/** `btcusdt@trade` for (`BTCUSDT`, `trade`): Binance's names have the symbol in lower case. */
export function binanceStreamName(symbol: string, type: BinanceStreamType): string {
  return `${symbol.toLowerCase()}@${type}`;
}

/**
 * Reads a connection's path as Binance does: `/stream?streams=a/b/c` (combined) or `/ws/<stream>`
 * (raw). Null for any other path or an empty stream list.
 */
export function parseBinanceStreamPath(path: string): BinanceStreamRequest | null {
  let url: URL;
  try {
    url = new URL(path, 'ws://localhost');
  } catch {
    return null;
  }
  if (url.pathname === '/stream' || url.pathname === '/stream/') {
    const streams = (url.searchParams.get('streams') ?? '')
      .split('/')
      .filter((name) => name.length > 0)
      .map(canonical);
    return streams.length === 0 ? null : { combined: true, streams };
  }
  const match = /^\/ws\/([^/]+)\/?$/.exec(url.pathname);
  if (match === null) return null;
  return { combined: false, streams: [canonical(decodeURIComponent(match[1] as string))] };
}

/**
 * The combined-stream URL of a Binance-compatible server for these streams.
 *
 * @example
 * binanceStreamUrl('ws://127.0.0.1:9443', ['btcusdt@trade', 'btcusdt@bookTicker']);
 * // 'ws://127.0.0.1:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker'
 */
export function binanceStreamUrl(baseUrl: string, streams: readonly string[]): string {
  return `${baseUrl.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
}

function canonical(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name.toLowerCase() : name.slice(0, at).toLowerCase() + name.slice(at);
}
