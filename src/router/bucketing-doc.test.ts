import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf } from './bucket-of.js';
import { candidateOfBucket } from './candidate-of-bucket.js';
import {
  CANDIDATE_VECTOR_WEIGHTS_BPS,
  VECTOR_WEIGHT_BPS,
  bucketingVectors,
  renderVectorTable,
} from './test-support/bucketing-vectors.js';
import { referenceMurmur3 } from './test-support/reference-murmur3.js';
import { randomIds } from './test-support/statistics.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(REPO, 'docs/bucketing.md'), 'utf8');

/** The text between `<!-- name:begin... -->` and `<!-- name:end -->` in the doc, trimmed. */
function section(name: string): string {
  const match = new RegExp(`<!-- ${name}:begin[^>]*-->([\\s\\S]*?)<!-- ${name}:end -->`).exec(DOC);
  if (!match?.[1]) throw new Error(`docs/bucketing.md has no ${name} section`);
  return match[1].trim();
}

/** The cells of a markdown table, trimmed (so column padding by the formatter does not matter). */
function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

/** The code of the fenced block of a section. */
function snippet(name: string): string {
  const match = /^```\w+\n([\s\S]*)\n```$/.exec(section(name));
  if (!match?.[1]) throw new Error(`docs/bucketing.md: the ${name} section is not one code block`);
  return match[1];
}

function available(command: string): boolean {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Whether to skip a cross-check for want of `command`: only off CI. With `CI` set (.ci/run sets
 * it, and installs python3 and rustc when missing) the check runs, and a missing command fails it.
 */
function skipWithout(command: string): boolean {
  return !available(command) && ['', '0', 'false'].includes(process.env['CI'] ?? '');
}

function requireCommand(command: string): void {
  expect(available(command), `${command} is not installed (.ci/run installs it)`).toBe(true);
}

/** Candidates' weights the reference code is checked with: one to four candidates, edges of lanes included. */
const CANDIDATE_WEIGHT_SETS: readonly (readonly number[])[] = [
  [VECTOR_WEIGHT_BPS],
  [10_000],
  CANDIDATE_VECTOR_WEIGHTS_BPS,
  [5000, 1],
  [0, 2500, 17, 2500],
];

/** The candidate of `bucket` under each of {@link CANDIDATE_WEIGHT_SETS} (−1: stable). */
function candidatesOf(bucket: number): number[] {
  return CANDIDATE_WEIGHT_SETS.map((weights) => candidateOfBucket(bucket, weights));
}

/** {@link CANDIDATE_WEIGHT_SETS} as a Rust array of slices. */
function rustWeightSets(): string {
  return `[${CANDIDATE_WEIGHT_SETS.map((w) => `&[${w.join(', ')}][..]`).join(', ')}]`;
}

/** Vector inputs plus seeded random pairs (mixed Unicode ids, several salts). */
function pairs(): Array<[string, string]> {
  const list: Array<[string, string]> = bucketingVectors().map((v) => [v.salt, v.accountId]);
  const salts = ['rollout-2024-08', '', 'canary-v2', 'émoji-🚀'];
  randomIds(400, 7).forEach((id, i) => list.push([salts[i % salts.length]!, id]));
  return list;
}

describe('docs/bucketing.md', () => {
  it('publishes exactly the vector table the code computes', () => {
    const published = tableCells(section('vectors'));
    expect(published.slice(2)).toEqual(tableCells(renderVectorTable()).slice(2));
    expect(published[0]).toEqual(tableCells(renderVectorTable())[0]);
  });

  it('has vectors that the independent murmurhash3js-revisited reproduces', () => {
    const vectors = bucketingVectors();
    expect(vectors.length).toBeGreaterThanOrEqual(10);
    for (const v of vectors) {
      const key = `${v.salt}:${v.accountId}`;
      expect(v.hash).toBe(referenceMurmur3(key, 0));
      expect(v.bucket).toBe(referenceMurmur3(key, 0) % BUCKET_COUNT);
      expect(v.armAt10Pct).toBe(v.bucket < VECTOR_WEIGHT_BPS ? 'canary' : 'stable');
    }
    // Every candidate and stable appear under the three candidates' weights.
    const candidates = new Set(vectors.map((v) => v.candidateOf3));
    for (const c of [0, 1, 2, 'stable']) expect(candidates).toContain(c);
    // Both arms and both edges of `bucket < 1000` are represented.
    const buckets = vectors.map((v) => v.bucket);
    for (const edge of [0, 999, 1000, 9999]) expect(buckets).toContain(edge);
  });

  it('is reproduced by a separate node process', () => {
    const input = pairs();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'src/router/test-support/bucket-stdin.ts')],
      { cwd: REPO, input: JSON.stringify(input), encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(input.map(([salt, id]) => bucketOf(salt, id)));
  });

  it.skipIf(skipWithout('python3'))('is reproduced by the Python reference code', () => {
    requireCommand('python3');
    const input = [
      ...pairs(),
      ['s', '\ud800x'], // lone surrogate → U+FFFD, as in JavaScript
      ['s', 'a\udc00\ud83d'],
    ] as Array<[string, string]>;
    const program = `${snippet('python')}

import json, sys
weights = ${JSON.stringify(CANDIDATE_WEIGHT_SETS)}
print(json.dumps([[murmur3_x86_32(utf8(s + ":" + a)), bucket_of(s, a), [candidate(bucket_of(s, a), w) for w in weights]] for s, a in json.load(sys.stdin)]))
`;
    const child = spawnSync('python3', ['-c', program], {
      input: JSON.stringify(input),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(
      input.map(([salt, id]) => [
        referenceMurmur3(`${salt}:${id}`),
        bucketOf(salt, id),
        candidatesOf(bucketOf(salt, id)).map((k) => (k < 0 ? null : k)),
      ]),
    );
  });

  it.skipIf(skipWithout('rustc'))('is reproduced by the Rust reference code', () => {
    requireCommand('rustc');
    const dir = mkdtempSync(join(tmpdir(), 'bucketing-rs-'));
    try {
      const source = join(dir, 'main.rs');
      writeFileSync(
        source,
        `${snippet('rust')}

fn main() {
    use std::io::BufRead;
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let (salt, account_id) = line.split_once('\\t').unwrap();
        let key = format!("{salt}:{account_id}");
        let bucket = bucket_of(salt, account_id);
        let candidates: Vec<String> = ${rustWeightSets()}.iter().map(|w| match candidate_of_bucket(bucket, w) { Some(k) => k.to_string(), None => "-".to_string() }).collect();
        println!("{} {} {} {}", murmur3_x86_32(key.as_bytes(), 0), bucket, is_canary(salt, account_id, ${VECTOR_WEIGHT_BPS}), candidates.join(","));
    }
}
`,
      );
      const binary = join(dir, 'bucketing');
      const build = spawnSync('rustc', ['--edition', '2021', '-o', binary, source], {
        encoding: 'utf8',
      });
      expect(build.stderr).toBe('');
      const input = pairs();
      const run = spawnSync(binary, [], {
        input: input.map(([salt, id]) => `${salt}\t${id}\n`).join(''),
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(run.stdout.trimEnd().split('\n')).toEqual(
        input.map(([salt, id]) => {
          const bucket = bucketOf(salt, id);
          const candidates = candidatesOf(bucket).map((k) => (k < 0 ? '-' : String(k)));
          return `${referenceMurmur3(`${salt}:${id}`)} ${bucket} ${bucket < VECTOR_WEIGHT_BPS} ${candidates.join(',')}`;
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
