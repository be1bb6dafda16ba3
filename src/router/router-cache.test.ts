import { describe, expect, it, vi } from 'vitest';
import type * as BucketOfModule from './bucket-of.js';
import { bucketOf } from './bucket-of.js';
import { Router } from './router.js';
import { sequentialIds } from './test-support/statistics.js';

// Wrap the real bucketOf in a spy, for the Router too, to count how often ids are hashed.
vi.mock('./bucket-of.js', async (importOriginal) => {
  const actual = await importOriginal<typeof BucketOfModule>();
  return { ...actual, bucketOf: vi.fn(actual.bucketOf) };
});

const hashCalls = () => vi.mocked(bucketOf).mock.calls.length;

describe('Router cache', () => {
  it('hashes each id once, on its first call, whatever happens after', () => {
    vi.mocked(bucketOf).mockClear();
    const ids = sequentialIds(1000);
    const router = new Router({ salt: 'cache', weightBps: 1000 });
    const first = ids.map((id) => router.route(id));
    expect(hashCalls()).toBe(1000);
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < ids.length; i++) expect(router.route(ids[i]!)).toBe(first[i]);
    for (const id of ids) router.bucket(id);
    router.setWeightBps(5000);
    router.setOverride('acct-1', 'canary');
    router.setOverride('acct-2', 'exclude');
    router.setOverride('acct-2', null);
    router.disableCanary();
    router.enableCanary();
    for (const id of ids) router.route(id);
    expect(hashCalls()).toBe(1000);
    router.route('a-new-id');
    router.route('a-new-id');
    expect(hashCalls()).toBe(1001);
  });

  it('hashes pinned and never-routed ids lazily, once', () => {
    vi.mocked(bucketOf).mockClear();
    const router = new Router({ salt: 'cache', weightBps: 0, overrides: [['pinned', 'canary']] });
    expect(hashCalls()).toBe(0);
    expect(router.route('pinned')).toBe('canary');
    expect(router.bucket('pinned')).toBe(router.bucket('pinned'));
    expect(hashCalls()).toBe(1);
  });
});
