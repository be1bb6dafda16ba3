import type { RejectReason } from '../core/execution-report.js';

/**
 * ccxt errors after which an order's fate is unknown: the request may have reached the exchange
 * (a timeout, a dropped connection, Binance's 503 "execution status unknown"). No reject is
 * reported for them: the order is looked up by its client order id instead.
 */
const OUTCOME_UNKNOWN = new Set([
  'OperationFailed',
  'NetworkError',
  'RequestTimeout',
  'ExchangeNotAvailable',
  'OnMaintenance',
  'BadResponse',
  'NullResponse',
]);

/** The class names of an error and its ancestors: ccxt's error hierarchy, without loading ccxt. */
function classNames(error: object): string[] {
  const names: string[] = [];
  for (
    let proto: unknown = Object.getPrototypeOf(error);
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string') names.push(ctor.name);
  }
  return names;
}

/**
 * ccxt's network errors that are the exchange refusing a request before taking it (HTTP 429, a
 * request outside its time window): the order was never placed.
 */
const REFUSED_BEFORE_TAKEN = new Set(['RateLimitExceeded', 'DDoSProtection', 'InvalidNonce']);

/**
 * The canary's reject reason for an error thrown by ccxt's `createOrder`, or `null` when the
 * order's fate is unknown (a network error or timeout: it may be live), or the error is not
 * ccxt's. ccxt errors are recognised by class name (`InsufficientFunds`, `BadRequest`…), so
 * this needs no ccxt at run time.
 *
 * - `InsufficientFunds` → `INSUFFICIENT_BUYING_POWER`;
 * - a message that names the notional (Binance's "Filter failure: NOTIONAL", which ccxt raises as
 *   `BadRequest`; "MIN_NOTIONAL") → `MIN_NOTIONAL`; one that names a price band
 *   ("PERCENT_PRICE", price protection or limit) → `PRICE_PROTECTION`;
 * - any other ccxt exchange error (bad symbol, invalid order, rate limit, permission…) → `VENUE`.
 */
export function rejectReasonOfError(error: unknown): RejectReason | null {
  if (typeof error !== 'object' || error === null) return null;
  const names = classNames(error);
  if (!names.includes('BaseError')) return null; // not ccxt's
  const refused = names.some((name) => REFUSED_BEFORE_TAKEN.has(name));
  if (!refused && names.some((name) => OUTCOME_UNKNOWN.has(name))) return null;
  if (names.includes('InsufficientFunds')) return 'INSUFFICIENT_BUYING_POWER';
  const message = error instanceof Error ? error.message : '';
  if (/notional/iu.test(message)) return 'MIN_NOTIONAL';
  if (/percent_price|price protection|price limit|price band/iu.test(message)) {
    return 'PRICE_PROTECTION';
  }
  return 'VENUE';
}
