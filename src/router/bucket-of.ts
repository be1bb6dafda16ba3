import { UsageError } from '../core/errors.js';
import { murmurBegin, murmurEnd, murmurFeed, murmurFeedByte } from './murmur3-x86-32.js';

/** Number of buckets an account id can fall into: 10,000, one per basis point (0.01 %) of weight. */
export const BUCKET_COUNT = 10_000;

/** The byte between salt and account id in the hashed key (`:`). */
export const SALT_SEPARATOR = ':';

const SEPARATOR_BYTE = 0x3a;

/**
 * Throws a {@link UsageError} unless `salt` can frame a key unambiguously: it must not contain
 * `:`, so the first `:` of `salt:accountId` always ends the salt (account ids may contain anything).
 */
export function assertValidSalt(salt: string): void {
  if (typeof salt !== 'string' || salt.includes(SALT_SEPARATOR))
    throw new UsageError(
      `salt must be a string without "${SALT_SEPARATOR}", got ${JSON.stringify(salt)}`,
    );
}

/**
 * The bucket (0..9999) of an account under a salt: MurmurHash3 x86_32, seed 0, over the UTF-8
 * bytes of `salt + ":" + accountId`, modulo {@link BUCKET_COUNT}. Hashes the key in parts, so no
 * string is built. Throws a {@link UsageError} when the salt contains `:` (see
 * {@link assertValidSalt}). The algorithm, its bias bound and test vectors: docs/bucketing.md.
 *
 * @example
 * bucketOf('rollout-2024-08', 'acct-42') < 1000; // true when acct-42 is canary at 10 %
 */
export function bucketOf(salt: string, accountId: string): number {
  assertValidSalt(salt);
  murmurBegin(0);
  murmurFeed(salt);
  murmurFeedByte(SEPARATOR_BYTE);
  murmurFeed(accountId);
  return murmurEnd() % BUCKET_COUNT;
}
