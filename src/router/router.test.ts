import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account, RoutingOverride } from '../core/account.js';
import { UsageError } from '../core/errors.js';
import { Decimal } from '../core/money.js';
import { BUCKET_COUNT, bucketOf } from './bucket-of.js';
import { overridesOf } from './overrides-of.js';
import { Router } from './router.js';
import { referenceMurmur3 } from './test-support/reference-murmur3.js';
import { sequentialIds } from './test-support/statistics.js';

const SALT = 'rollout-2024-08';
const IDS = sequentialIds(2000);

/** The first acct-N whose bucket is `bucket`, found with the independent murmur3. */
function idInBucket(bucket: number): string {
  for (let i = 0; ; i++)
    if (referenceMurmur3(`${SALT}:acct-${i}`) % BUCKET_COUNT === bucket) return `acct-${i}`;
}

function canarySet(router: Router, ids: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const id of ids) if (router.route(id) === 'canary') set.add(id);
  return set;
}

const overrideArb = fc.option(fc.constantFrom<RoutingOverride>('stable', 'canary', 'exclude'), {
  nil: undefined,
});

describe('Router.route', () => {
  it('is canary exactly when bucket < weightBps (no override)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: BUCKET_COUNT }),
        (ids, weightBps) => {
          const router = new Router({ salt: SALT, weightBps });
          for (const id of ids) {
            const expected = referenceMurmur3(`${SALT}:${id}`) % BUCKET_COUNT < weightBps;
            expect(router.route(id)).toBe(expected ? 'canary' : 'stable');
            expect(router.route(id)).toBe(expected ? 'canary' : 'stable'); // cached path
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('compares strictly: bucket 999 is canary at 1000 bps, bucket 1000 is not', () => {
    const b999 = idInBucket(999);
    const b1000 = idInBucket(1000);
    const router = new Router({ salt: SALT, weightBps: 1000 });
    expect(router.route(b999)).toBe('canary');
    expect(router.route(b1000)).toBe('stable');
    router.setWeightBps(1001);
    expect(router.route(b1000)).toBe('canary');
    router.setWeightBps(999);
    expect(router.route(b999)).toBe('stable');
  });

  it('puts nobody on canary at weight 0 and everybody at 10000 bps', () => {
    const router = new Router({ salt: SALT, weightBps: 0 });
    expect(canarySet(router, IDS).size).toBe(0);
    router.setWeightBps(BUCKET_COUNT);
    expect(canarySet(router, IDS).size).toBe(IDS.length);
  });

  it('is monotone: raising the weight never moves a canary account back to stable', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 10 }), overrideArb), { maxLength: 40 }),
        fc.integer({ min: 0, max: BUCKET_COUNT }),
        fc.integer({ min: 0, max: BUCKET_COUNT }),
        (accounts, w1, w2) => {
          const [low, high] = w1 <= w2 ? [w1, w2] : [w2, w1];
          const overrides: Array<[string, RoutingOverride]> = [];
          for (const [id, override] of accounts) if (override) overrides.push([id, override]);
          const ids = accounts.map(([id]) => id);
          const router = new Router({ salt: SALT, weightBps: low, overrides });
          const atLow = canarySet(router, ids);
          router.setWeightBps(high);
          const atHigh = canarySet(router, ids);
          for (const id of atLow) expect(atHigh.has(id)).toBe(true);
          // A fresh router at the high weight agrees with the one whose weight was raised.
          expect(canarySet(new Router({ salt: SALT, weightBps: high, overrides }), ids)).toEqual(
            atHigh,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('raising the weight step by step only ever adds accounts', () => {
    const router = new Router({ salt: SALT, weightBps: 0 });
    let previous = canarySet(router, IDS);
    for (const weightBps of [1, 100, 500, 1000, 2500, 5000, 9999, 10000]) {
      router.setWeightBps(weightBps);
      const current = canarySet(router, IDS);
      for (const id of previous) expect(current.has(id)).toBe(true);
      expect(current.size).toBeGreaterThanOrEqual(previous.size);
      previous = current;
    }
    expect(previous.size).toBe(IDS.length);
  });
});

describe('Router.bucket', () => {
  it('is the account’s bucket under the salt, whatever its override or the kill switch', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        overrideArb,
        fc.boolean(),
        (id, override, killed) => {
          const router = new Router({ salt: 'bucket-salt', weightBps: 1234 });
          if (override) router.setOverride(id, override);
          if (killed) router.disableCanary();
          expect(router.bucket(id)).toBe(referenceMurmur3(`bucket-salt:${id}`) % BUCKET_COUNT);
          router.route(id);
          expect(router.bucket(id)).toBe(bucketOf('bucket-salt', id));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('overrides', () => {
  const top = idInBucket(9999); // stable below 100 %
  const bottom = idInBucket(0); // canary above 0

  it('stable pin: stable at any weight, back to hashing when cleared', () => {
    const router = new Router({
      salt: SALT,
      weightBps: BUCKET_COUNT,
      overrides: [[bottom, 'stable']],
    });
    expect(router.route(bottom)).toBe('stable');
    router.setOverride(bottom, null);
    expect(router.route(bottom)).toBe('canary');
    expect(router.overrideOf(bottom)).toBeUndefined();
  });

  it('canary pin: canary at weight 0, stable under the kill switch, canary again after', () => {
    const router = new Router({ salt: SALT, weightBps: 0 });
    expect(router.route(top)).toBe('stable'); // cached before the pin
    router.setOverride(top, 'canary');
    expect(router.route(top)).toBe('canary');
    router.disableCanary();
    expect(router.route(top)).toBe('stable');
    router.enableCanary();
    expect(router.route(top)).toBe('canary');
  });

  it('exclude: never canary, even at 100 % or pinned later; only null clears it', () => {
    const router = new Router({ salt: SALT, weightBps: BUCKET_COUNT });
    expect(router.route(bottom)).toBe('canary');
    router.setOverride(bottom, 'exclude');
    expect(router.route(bottom)).toBe('stable');
    router.setOverride(bottom, 'canary');
    expect(router.overrideOf(bottom)).toBe('exclude');
    expect(router.route(bottom)).toBe('stable');
    router.setOverride(bottom, null);
    expect(router.route(bottom)).toBe('canary');
  });

  it('pins replace each other and apply in order from the constructor', () => {
    const router = new Router({
      salt: SALT,
      weightBps: 0,
      overrides: [
        [top, 'stable'],
        [top, 'canary'],
        [bottom, 'exclude'],
        [bottom, 'canary'],
      ],
    });
    expect(router.overrideOf(top)).toBe('canary');
    expect(router.route(top)).toBe('canary');
    expect(router.route(bottom)).toBe('stable');
  });

  it('at 100 %: everyone canary but stable pins and excluded; at 0: nobody but canary pins', () => {
    const pins: Array<[string, RoutingOverride]> = [
      ['acct-1', 'stable'],
      ['acct-2', 'canary'],
      ['acct-3', 'exclude'],
    ];
    const router = new Router({ salt: SALT, weightBps: BUCKET_COUNT, overrides: pins });
    const full = canarySet(router, IDS);
    expect(full.size).toBe(IDS.length - 2);
    expect(full.has('acct-1') || full.has('acct-3')).toBe(false);
    router.setWeightBps(0);
    expect([...canarySet(router, IDS)]).toEqual(['acct-2']);
  });

  it('rejects an unknown override value', () => {
    const router = new Router({ salt: SALT, weightBps: 0 });
    expect(() => router.setOverride('a', 'both' as RoutingOverride)).toThrow(UsageError);
  });

  it('overridesOf collects the overrides carried by accounts', () => {
    const accounts: Account[] = [
      { id: 'a', capital: new Decimal('1') },
      { id: 'b', capital: new Decimal('1'), override: 'exclude' },
      { id: 'c', capital: new Decimal('1'), override: 'canary' },
    ];
    expect(overridesOf(accounts)).toEqual([
      ['b', 'exclude'],
      ['c', 'canary'],
    ]);
  });
});

describe('kill switch', () => {
  it('sends every account to stable, canary pins included, and keeps the weight for later', () => {
    const router = new Router({ salt: SALT, weightBps: 5000, overrides: [['acct-7', 'canary']] });
    const before = canarySet(router, IDS);
    expect(before.size).toBeGreaterThan(0);
    router.disableCanary();
    expect(router.canaryEnabled).toBe(false);
    expect(canarySet(router, IDS).size).toBe(0);
    router.setWeightBps(BUCKET_COUNT);
    expect(canarySet(router, IDS).size).toBe(0);
    expect(router.weightBps).toBe(BUCKET_COUNT);
    router.setWeightBps(5000);
    router.enableCanary();
    expect(router.canaryEnabled).toBe(true);
    expect(canarySet(router, IDS)).toEqual(before);
  });

  it('applies to accounts first seen while it is on', () => {
    const router = new Router({
      salt: SALT,
      weightBps: BUCKET_COUNT,
      overrides: [['new', 'canary']],
    });
    router.disableCanary();
    expect(router.route('new')).toBe('stable');
    expect(router.route('never-seen')).toBe('stable');
    router.enableCanary();
    expect(router.route('new')).toBe('canary');
    expect(router.route('never-seen')).toBe('canary');
  });
});

describe('promotion', () => {
  it('routes every account to the promoted version at once, pins and exclusions included', () => {
    const router = new Router({
      salt: SALT,
      weightBps: 100,
      overrides: [
        ['vip', 'stable'],
        ['mm', 'exclude'],
        ['tester', 'canary'],
      ],
    });
    for (const id of ['vip', 'mm']) expect(router.route(id)).toBe('stable');
    router.promoteCanary();
    expect(router.promoted).toBe(true);
    expect(router.weightBps).toBe(BUCKET_COUNT);
    expect(canarySet(router, [...IDS, 'vip', 'mm', 'tester', 'first-seen-later']).size).toBe(
      IDS.length + 4,
    );
    router.setWeightBps(10); // a promotion is not undone by a weight
    expect(router.route('vip')).toBe('canary');
  });

  it('is undone only by the kill switch', () => {
    const router = new Router({ salt: SALT, weightBps: 5000 });
    router.promoteCanary();
    router.disableCanary();
    expect(router.promoted).toBe(false);
    expect(canarySet(router, IDS).size).toBe(0);
  });
});

describe('Router.exposure', () => {
  // Weight 0, so only pins are on canary and the expected values do not depend on the hash.
  const accounts: Account[] = [
    { id: 'a', capital: new Decimal('0.1') },
    { id: 'b', capital: new Decimal('0.2') },
    { id: 'c', capital: new Decimal('1000.5') },
    { id: 'd', capital: new Decimal('2999.2') },
  ];

  it('counts canary accounts and capital exactly (hand-computed)', () => {
    const router = new Router({
      salt: SALT,
      weightBps: 0,
      overrides: [
        ['a', 'canary'],
        ['b', 'canary'],
        ['c', 'exclude'],
      ],
    });
    const exposure = router.exposure(accounts);
    expect(exposure.accounts).toBe(4);
    expect(exposure.canaryAccounts).toBe(2);
    expect(exposure.excludedAccounts).toBe(1);
    expect(exposure.accountSharePct).toBe(50);
    expect(exposure.capital.toString()).toBe('4000'); // 0.1 + 0.2 + 1000.5 + 2999.2
    expect(exposure.canaryCapital.toString()).toBe('0.3'); // not 0.30000000000000004
    expect(exposure.capitalSharePct).toBeCloseTo(0.0075, 12); // 0.3 / 4000 * 100
  });

  it('follows the weight and the kill switch', () => {
    const router = new Router({
      salt: SALT,
      weightBps: BUCKET_COUNT,
      overrides: [['c', 'exclude']],
    });
    let exposure = router.exposure(accounts);
    expect(exposure.canaryAccounts).toBe(3);
    expect(exposure.accountSharePct).toBe(75);
    expect(exposure.canaryCapital.toString()).toBe('2999.5');
    expect(exposure.capitalSharePct).toBeCloseTo(74.9875, 10); // 2999.5 / 4000 * 100
    router.disableCanary();
    exposure = router.exposure(accounts);
    expect(exposure.canaryAccounts).toBe(0);
    expect(exposure.canaryCapital.isZero()).toBe(true);
    expect(exposure.capitalSharePct).toBe(0);
  });

  it('matches per-account routing at a hashed weight', () => {
    const book: Account[] = IDS.map((id, i) => ({ id, capital: new Decimal(i + 1) }));
    const router = new Router({ salt: SALT, weightBps: 2500 });
    let canary = 0;
    let canaryCapital = 0;
    IDS.forEach((id, i) => {
      if (bucketOf(SALT, id) < 2500) {
        canary++;
        canaryCapital += i + 1;
      }
    });
    const exposure = router.exposure(book);
    expect(exposure.canaryAccounts).toBe(canary);
    expect(exposure.canaryCapital.toNumber()).toBe(canaryCapital);
    expect(exposure.capital.toNumber()).toBe((IDS.length * (IDS.length + 1)) / 2);
  });

  it('is all zeros for no accounts', () => {
    const exposure = new Router({ salt: SALT, weightBps: 5000 }).exposure([]);
    expect(exposure).toMatchObject({
      accounts: 0,
      canaryAccounts: 0,
      excludedAccounts: 0,
      accountSharePct: 0,
      capitalSharePct: 0,
    });
    expect(exposure.capital.isZero()).toBe(true);
  });
});

describe('validation', () => {
  it('rejects a salt with ":" and weights outside 0..10000 bps with UsageError', () => {
    expect(() => new Router({ salt: 'a:b', weightBps: 0 })).toThrow(UsageError);
    for (const bad of [-1, 10001, 12.5, NaN]) {
      expect(() => new Router({ salt: SALT, weightBps: bad })).toThrow(UsageError);
      expect(() => new Router({ salt: SALT, weightBps: 0 }).setWeightBps(bad)).toThrow(UsageError);
    }
  });

  it('keeps the previous weight when a new one is rejected', () => {
    const router = new Router({ salt: SALT, weightBps: 700 });
    expect(() => router.setWeightBps(20000)).toThrow(UsageError);
    expect(router.weightBps).toBe(700);
    expect(router.salt).toBe(SALT);
  });
});
