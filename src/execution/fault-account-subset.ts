import { hash64 } from './account-hash.js';

const TWO_32 = 4_294_967_296;

/**
 * An account's uniform score in [0, 1) for `accounts=P%` faults: a hash of the run seed and the
 * account id (`"execution/fault-accounts:" + accountId`). A pure function: the same on either arm,
 * whatever order accounts trade in, in every run with this seed; independent of the router's
 * salt, so the accounts hit are not the canary's or any lane's.
 */
export function faultSubsetScore(seed: number, accountId: string): number {
  const [score] = hash64(`execution/fault-accounts:${accountId}`, seed | 0);
  return score / TWO_32;
}

/**
 * True when `accountId` is one of the accounts an `accounts=P%` fault hits: its
 * {@link faultSubsetScore} is below `accountsPct / 100`.
 *
 * @example
 * isFaultSubsetAccount(7, 'acct-0001', 20); // true for about one account in five
 */
export function isFaultSubsetAccount(
  seed: number,
  accountId: string,
  accountsPct: number,
): boolean {
  return faultSubsetScore(seed, accountId) < accountsPct / 100;
}
