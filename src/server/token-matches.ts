import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` is the expected token. Both are hashed with sha256 and the digests compared
 * with `crypto.timingSafeEqual`, so the time taken says nothing about the expected token (not
 * even its length). A missing or non-string `given` never matches.
 */
export function tokenMatches(given: unknown, expected: string): boolean {
  const isString = typeof given === 'string';
  const a = createHash('sha256')
    .update(isString ? given : '')
    .digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && isString;
}
