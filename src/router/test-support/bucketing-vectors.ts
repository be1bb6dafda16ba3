// The test vectors published in docs/bucketing.md: inputs here, outputs computed by the code, the
// table rendered from both. A test asserts the doc holds exactly this table, and checks every row
// against an independent murmur3 and the doc's Python and Rust snippets.
import { bucketOf } from '../bucket-of.js';
import { candidateOfBucket } from '../candidate-of-bucket.js';
import { murmur3x86_32 } from '../murmur3-x86-32.js';

/** Salt and account id of one published vector. */
export interface BucketingVectorInput {
  readonly salt: string;
  readonly accountId: string;
}

/** A published vector: inputs, the murmur3 of the key, the bucket and the arm at 10 % (1000 bps). */
export interface BucketingVector extends BucketingVectorInput {
  readonly keyUtf8Bytes: number;
  readonly hash: number;
  readonly bucket: number;
  readonly armAt10Pct: 'stable' | 'canary';
  /** With three candidates at {@link CANDIDATE_VECTOR_WEIGHTS_BPS}: the candidate (0, 1, 2) or stable. */
  readonly candidateOf3: number | 'stable';
}

/** The three candidates' weights the table shows: 10 %, 20 % and 33.33 % (a full lane). */
export const CANDIDATE_VECTOR_WEIGHTS_BPS: readonly number[] = [1000, 2000, 3333];

/** Weight at which the table shows the arm: 10 % = 1000 bps. */
export const VECTOR_WEIGHT_BPS = 1000;

const SALT = 'rollout-2024-08';

/** Inputs: plain ids, the buckets 0 / 999 / 1000 / 9999 (edges at 10 %), empty and `:` ids, 2-, 3- and 4-byte UTF-8, other salts. */
export const VECTOR_INPUTS: readonly BucketingVectorInput[] = [
  { salt: SALT, accountId: 'acct-1' },
  { salt: SALT, accountId: 'acct-2' },
  { salt: SALT, accountId: 'acct-42' },
  { salt: SALT, accountId: 'acct-325' },
  { salt: SALT, accountId: 'acct-2417' },
  { salt: SALT, accountId: 'acct-7766' },
  { salt: SALT, accountId: 'acct-8677' },
  { salt: SALT, accountId: 'alice@example.com' },
  { salt: SALT, accountId: '' },
  { salt: SALT, accountId: 'a:b' },
  { salt: SALT, accountId: 'josé' },
  { salt: SALT, accountId: '日本-001' },
  { salt: SALT, accountId: '🚀-trader' },
  { salt: 'canary-v2', accountId: 'acct-1' },
  { salt: 'canary-v2', accountId: 'acct-42' },
  { salt: '', accountId: 'acct-2' },
  { salt: '', accountId: 'acct-42' },
];

/** The vectors, computed by the router's code. */
export function bucketingVectors(): BucketingVector[] {
  const encoder = new TextEncoder();
  return VECTOR_INPUTS.map(({ salt, accountId }) => {
    const bucket = bucketOf(salt, accountId);
    return {
      salt,
      accountId,
      keyUtf8Bytes: encoder.encode(`${salt}:${accountId}`).length,
      hash: murmur3x86_32(`${salt}:${accountId}`, 0),
      bucket,
      armAt10Pct: bucket < VECTOR_WEIGHT_BPS ? 'canary' : 'stable',
      candidateOf3: candidateOrStable(bucket),
    };
  });
}

function candidateOrStable(bucket: number): number | 'stable' {
  const k = candidateOfBucket(bucket, CANDIDATE_VECTOR_WEIGHTS_BPS);
  return k < 0 ? 'stable' : k;
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** The markdown table of docs/bucketing.md (strings shown as JSON literals). */
export function renderVectorTable(): string {
  const lines = [
    '| salt | account id | key bytes | murmur3 x86_32 | bucket | arm at 10 % | 3 candidates at 10, 20, 33.33 % |',
    '| --- | --- | ---: | --- | ---: | --- | --- |',
  ];
  for (const v of bucketingVectors())
    lines.push(
      `| \`${JSON.stringify(v.salt)}\` | \`${JSON.stringify(v.accountId)}\` | ${v.keyUtf8Bytes} | \`${hex32(v.hash)}\` | ${v.bucket} | ${v.armAt10Pct} | ${v.candidateOf3} |`,
    );
  return lines.join('\n');
}
