import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { tokenMatches } from './token-matches.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('tokenMatches', () => {
  it('matches the expected token only', () => {
    expect(tokenMatches('s3cret-operator', 's3cret-operator')).toBe(true);
    expect(tokenMatches('s3cret-operatoR', 's3cret-operator')).toBe(false);
    expect(tokenMatches('s3cret', 's3cret-operator')).toBe(false); // a prefix
    expect(tokenMatches('s3cret-operator-and-more', 's3cret-operator')).toBe(false);
    expect(tokenMatches('', 's3cret-operator')).toBe(false);
  });

  it('never matches a missing or non-string token, even against an empty-looking one', () => {
    expect(tokenMatches(undefined, 'x')).toBe(false);
    expect(tokenMatches(null, 'x')).toBe(false);
    expect(tokenMatches(42, '42')).toBe(false);
    expect(tokenMatches(undefined, '')).toBe(false);
  });

  it('compares sha256 digests with crypto.timingSafeEqual, whatever the lengths', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    tokenMatches('short', 'a-much-longer-expected-token');
    tokenMatches('a-much-longer-expected-token', 'a-much-longer-expected-token');
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      // Equal-length digests: the comparison's time says nothing about the token's length.
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    const expected = crypto.createHash('sha256').update('a-much-longer-expected-token').digest();
    expect(spy.mock.calls[1]?.[1]).toEqual(expected);
  });
});
