/** One recorded HTTP answer of an exchange, for {@link recordedFetch}. */
export interface RecordedResponse {
  readonly method: string;
  /** The URL's path, `/api/v3/order`. */
  readonly path: string;
  /** Parameters the request must carry, in its query or its form body (all of them). */
  readonly params?: Readonly<Record<string, string>>;
  /** Answer only one request (the next recording of the same request answers the next one). */
  readonly once?: boolean;
  /** HTTP status (default 200). */
  readonly status?: number;
  /** The exchange's JSON answer. */
  readonly body: unknown;
}

/** A request {@link recordedFetch} answered, or could not. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly answered: boolean;
}

/** What ccxt calls as `exchange.fetchImplementation`: WHATWG fetch's shape. */
export type FetchImplementation = (
  url: string,
  init: { readonly method?: string; readonly body?: unknown },
) => Promise<Response>;

/**
 * A `fetchImplementation` for a ccxt exchange that answers from recordings, so the whole of ccxt
 * (signing, parsing, its error mapping) runs with no network: for tests and for demos
 * (`examples/ccxt-bot.ts --recorded`). The first unused recording that matches answers; a
 * request none matches fails (ccxt raises it as a `NetworkError`) and is logged with
 * `answered: false`.
 *
 * @example
 * exchange.fetchImplementation = recordedFetch([
 *   { method: 'GET', path: '/api/v3/exchangeInfo', body: exchangeInfo },
 * ]);
 */
export function recordedFetch(
  recordings: readonly RecordedResponse[],
  log: RecordedRequest[] = [],
): FetchImplementation {
  const used = new Set<number>();
  return (url, init) => {
    const parsed = new URL(url);
    const method = init.method ?? 'GET';
    const params: Record<string, string> = Object.fromEntries(parsed.searchParams);
    if (typeof init.body === 'string' && !init.body.startsWith('{')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(init.body)));
    }
    const index = recordings.findIndex(
      (r, i) =>
        !used.has(i) &&
        r.method === method &&
        r.path === parsed.pathname &&
        Object.entries(r.params ?? {}).every(([k, v]) => params[k] === v),
    );
    log.push({ method, url, params, answered: index >= 0 });
    const recording = recordings[index];
    if (recording === undefined) {
      return Promise.reject(new TypeError(`no recorded answer for ${method} ${parsed.pathname}`));
    }
    if (recording.once === true) used.add(index);
    return Promise.resolve(
      new Response(JSON.stringify(recording.body), {
        status: recording.status ?? 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
}
