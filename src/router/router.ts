import type { Account, RoutingOverride } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import { UsageError } from '../core/errors.js';
import { type Decimal, ZERO } from '../core/money.js';
import { assertValidSalt, BUCKET_COUNT, bucketOf } from './bucket-of.js';
import { laneBuckets, laneOfBucket, laneWidth } from './candidate-of-bucket.js';
import { assertValidWeightBps } from './weight-pct-to-bps.js';

// The route cache maps an account id to one number, its "route key", so that route() is a single
// Map lookup and one compare against `#thresholdBps`:
//   no override   key = bucket                    in [0, 9999]      canary iff bucket < weightBps
//   canary pin    key = bucket - BUCKET_COUNT     in [-10000, -1]   canary iff the canary is enabled
//   stable pin    key = bucket + BUCKET_COUNT     in [10000, 19999] never canary
//   exclude       key = bucket + 2 * BUCKET_COUNT in [20000, 29999] never canary
// and the threshold is weightBps (0..10000) while the canary is enabled, -BUCKET_COUNT when the kill
// switch is on. The bucket is recoverable from the key (key mod BUCKET_COUNT).
const CANARY_PIN_OFFSET = -BUCKET_COUNT;
const STABLE_PIN_OFFSET = BUCKET_COUNT;
const EXCLUDE_OFFSET = 2 * BUCKET_COUNT;
const DISABLED_THRESHOLD = -BUCKET_COUNT;
// Above every key: after promotion every account routes to the (promoted) canary version.
const PROMOTED_THRESHOLD = 3 * BUCKET_COUNT;

function offsetOf(override: RoutingOverride | undefined): number {
  switch (override) {
    case undefined:
      return 0;
    case 'canary':
      return CANARY_PIN_OFFSET;
    case 'stable':
      return STABLE_PIN_OFFSET;
    case 'exclude':
      return EXCLUDE_OFFSET;
  }
}

function bucketOfKey(key: number): number {
  return ((key % BUCKET_COUNT) + BUCKET_COUNT) % BUCKET_COUNT;
}

function assertValidOverride(accountId: string, override: unknown): void {
  if (override !== null && override !== 'stable' && override !== 'canary' && override !== 'exclude')
    throw new UsageError(
      `override for account ${JSON.stringify(accountId)} must be stable, canary, exclude or null, got ${JSON.stringify(override)}`,
    );
}

/** How much of the book the canary holds: by number of accounts and by starting capital. */
export interface CanaryExposure {
  /** Accounts considered (entries of the list given). */
  readonly accounts: number;
  /** Of those, accounts routed to canary now. */
  readonly canaryAccounts: number;
  /** Of those, accounts excluded from the rollout (override `exclude`). */
  readonly excludedAccounts: number;
  /** `canaryAccounts / accounts * 100`; 0 when there are no accounts. */
  readonly accountSharePct: number;
  /** Total starting capital (quote currency). */
  readonly capital: Decimal;
  /** Starting capital of the canary accounts. */
  readonly canaryCapital: Decimal;
  /** `canaryCapital / capital * 100` (float, for display and limits); 0 when capital is 0. */
  readonly capitalSharePct: number;
}

/** Options of {@link Router}. */
export interface RouterOptions {
  /** Salt of this rollout: a new salt reshuffles all accounts. Must not contain `:`. */
  readonly salt: string;
  /** Canary weight in basis points, integer 0..10000 (10 % = 1000; see `weightPctToBps`). */
  readonly weightBps: number;
  /** Per-account overrides, applied in order as by {@link Router.setOverride}. */
  readonly overrides?: Iterable<readonly [string, RoutingOverride]>;
  /**
   * Routes one candidate's lane of an A/B/n rollout (docs/bucketing.md, "Several candidates"):
   * candidate `index` of `candidates` holds the first `laneBuckets(weightBps, candidates)` buckets
   * of its lane, so `weightBps` is a share of the lane (10,000: all of it). Only accounts of the
   * lane (`laneOfBucket`) may be routed. Absent: the whole book, `bucket < weightBps`.
   */
  readonly lane?: { readonly index: number; readonly candidates: number };
}

/**
 * Assigns each account to an arm: canary when its bucket (see `bucketOf`) is below the weight in
 * basis points, unless an override says otherwise. Raising the weight only ever moves accounts
 * from stable to canary; the kill switch ({@link Router.disableCanary}) sends everyone to stable.
 *
 * Override semantics (`RoutingOverride`, src/core/account.ts): `stable` pins to stable; `canary`
 * pins to canary while the canary is enabled; `exclude` is never canary and is sticky: a later
 * `stable`/`canary` pin leaves it excluded, only `setOverride(id, null)` clears it.
 *
 * Each id is hashed once, on first use, and its route key cached: memory grows with the number of
 * distinct account ids seen, never with the number of calls.
 *
 * @example
 * const router = new Router({ salt: 'rollout-2024-08', weightBps: weightPctToBps(10) });
 * router.route('acct-42'); // 'stable' | 'canary'
 */
export class Router {
  /** Salt of this rollout (part of the hashed key). */
  readonly salt: string;
  readonly #routeKeys = new Map<string, number>();
  readonly #overrides = new Map<string, RoutingOverride>();
  #weightBps: number;
  #canaryEnabled = true;
  #promoted = false;
  #thresholdBps: number;
  /** The lane routed (null: the whole book), its first bucket and its candidates. */
  readonly #lane: { readonly index: number; readonly candidates: number } | null;
  readonly #laneOffset: number;

  constructor(options: RouterOptions) {
    assertValidSalt(options.salt);
    assertValidWeightBps(options.weightBps);
    this.salt = options.salt;
    this.#lane = options.lane ?? null;
    if (this.#lane !== null) {
      const { index, candidates } = this.#lane;
      const width = laneWidth(candidates);
      if (!(Number.isSafeInteger(index) && index >= 0 && index < candidates))
        throw new UsageError(`lane index must be 0 to ${candidates - 1}, got ${index}`);
      this.#laneOffset = index * width;
    } else this.#laneOffset = 0;
    this.#weightBps = options.weightBps;
    this.#thresholdBps = this.#thresholdOf(options.weightBps);
    if (options.overrides !== undefined)
      for (const [accountId, override] of options.overrides) this.setOverride(accountId, override);
  }

  /** The arm `accountId` trades now. Hot path: after the first call for an id, one Map lookup. */
  route(accountId: string): Arm {
    const key = this.#routeKeys.get(accountId);
    if (key === undefined) return this.#routeFirst(accountId);
    return key < this.#thresholdBps ? 'canary' : 'stable';
  }

  /** The bucket of `accountId` (0..9999) under this router's salt, whatever its override. */
  bucket(accountId: string): number {
    return bucketOfKey(this.#routeKey(accountId)) + this.#laneOffset;
  }

  /** Canary weight in basis points (0..10000), kept while the kill switch is on. */
  get weightBps(): number {
    return this.#weightBps;
  }

  /** Sets the canary weight (integer bps, 0..10000; else throws a `UsageError`). */
  setWeightBps(weightBps: number): void {
    assertValidWeightBps(weightBps);
    this.#weightBps = weightBps;
    if (this.#canaryEnabled && !this.#promoted) this.#thresholdBps = this.#thresholdOf(weightBps);
  }

  /** The route-key threshold of a weight: the weight, or its buckets of the lane. */
  #thresholdOf(weightBps: number): number {
    return this.#lane === null ? weightBps : laneBuckets(weightBps, this.#lane.candidates);
  }

  /** The override of `accountId`, if any. */
  overrideOf(accountId: string): RoutingOverride | undefined {
    return this.#overrides.get(accountId);
  }

  /**
   * Sets (or with `null` clears) the override of `accountId`. An `exclude` is sticky: pinning an
   * excluded account leaves it excluded; clear it with `null` first.
   */
  setOverride(accountId: string, override: RoutingOverride | null): void {
    assertValidOverride(accountId, override);
    const current = this.#overrides.get(accountId);
    if (current === 'exclude' && override !== null) return;
    if (override === null) this.#overrides.delete(accountId);
    else this.#overrides.set(accountId, override);
    const key = this.#routeKeys.get(accountId);
    if (key !== undefined)
      this.#routeKeys.set(accountId, bucketOfKey(key) + offsetOf(override ?? undefined));
  }

  /**
   * Kill switch: every account to stable, canary pins included, until {@link enableCanary}.
   * Undoes a promotion.
   */
  disableCanary(): void {
    this.#canaryEnabled = false;
    this.#promoted = false;
    this.#thresholdBps = DISABLED_THRESHOLD;
  }

  /** Lifts the kill switch: routing by weight and overrides again. */
  enableCanary(): void {
    this.#canaryEnabled = true;
    if (!this.#promoted) this.#thresholdBps = this.#thresholdOf(this.#weightBps);
  }

  /** False while the kill switch is on. */
  get canaryEnabled(): boolean {
    return this.#canaryEnabled;
  }

  /**
   * Promotion: the canary version becomes the version of **every** account at once, stable pins
   * and excluded accounts included (there is no other version left to keep them on). The weight is
   * set to 100 %. Still one compare per {@link route}.
   */
  promoteCanary(): void {
    this.#promoted = true;
    this.#canaryEnabled = true;
    this.#weightBps = BUCKET_COUNT;
    this.#thresholdBps = PROMOTED_THRESHOLD;
  }

  /** True after {@link promoteCanary}. */
  get promoted(): boolean {
    return this.#promoted;
  }

  /**
   * The canary's share of `accounts` (each entry counted once per occurrence) and of their
   * starting capital, as routed now. Routing uses this router's overrides; `Account.override` is
   * not read here (pass it to the constructor, e.g. with `overridesOf(accounts)`).
   */
  exposure(accounts: readonly Account[]): CanaryExposure {
    let canaryAccounts = 0;
    let excludedAccounts = 0;
    let capital: Decimal = ZERO;
    let canaryCapital: Decimal = ZERO;
    for (const account of accounts) {
      capital = capital.plus(account.capital);
      if (this.route(account.id) === 'canary') {
        canaryAccounts++;
        canaryCapital = canaryCapital.plus(account.capital);
      }
      if (this.#overrides.get(account.id) === 'exclude') excludedAccounts++;
    }
    return {
      accounts: accounts.length,
      canaryAccounts,
      excludedAccounts,
      accountSharePct: accounts.length === 0 ? 0 : (canaryAccounts / accounts.length) * 100,
      capital,
      canaryCapital,
      capitalSharePct: capital.isZero()
        ? 0
        : canaryCapital.dividedBy(capital).times(100).toNumber(),
    };
  }

  #routeFirst(accountId: string): Arm {
    return this.#routeKey(accountId) < this.#thresholdBps ? 'canary' : 'stable';
  }

  #routeKey(accountId: string): number {
    let key = this.#routeKeys.get(accountId);
    if (key === undefined) {
      const bucket = bucketOf(this.salt, accountId);
      const lane = this.#lane;
      if (lane !== null && laneOfBucket(bucket, lane.candidates) !== lane.index)
        throw new UsageError(
          `account ${JSON.stringify(accountId)} (bucket ${bucket}) is not in lane ${lane.index} of ${lane.candidates}: route it with its own lane's router`,
        );
      key = bucket - this.#laneOffset + offsetOf(this.#overrides.get(accountId));
      this.#routeKeys.set(accountId, key);
    }
    return key;
  }
}
