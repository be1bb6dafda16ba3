import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a signed webhook request carries (docs/server.md, "Webhooks"). */
export const SIGNATURE_HEADER = 'x-strategy-canary-signature';
export const TIMESTAMP_HEADER = 'x-strategy-canary-timestamp';
export const EVENT_ID_HEADER = 'x-strategy-canary-event-id';

/**
 * `sha256=` and the hex HMAC-SHA256, keyed by the shared secret, of `timestamp.body`: the
 * receiver recomputes it from the raw body and the timestamp header, and refuses a request whose
 * timestamp is too old (a replay).
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether `signature` is {@link webhookSignature} of `timestamp.body` (compared in constant time). */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
