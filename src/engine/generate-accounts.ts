import type { Account } from '../core/account.js';
import { Decimal } from '../core/money.js';
import { SeededRng } from '../core/seeded-rng.js';

/** Median starting capital of generated accounts, quote currency. */
export const GENERATED_MEDIAN_CAPITAL = 10_000;
/** Log-normal shape of generated capital: a few large accounts hold much of the capital, as in real books. */
const CAPITAL_LOG_SIGMA = 1.0;
const MIN_CAPITAL_CENTS = 100_00;
const MAX_CAPITAL_CENTS = 10_000_000_00;

/**
 * `count` accounts with ids `acct-0001`… and seeded log-normal capital (median 10,000, whole cents,
 * between 100 and 10,000,000), so the canary's share of capital differs from its share of accounts
 * the way it does in a real book. Same count and seed, same accounts.
 *
 * @example
 * generateAccounts(3, 7).map((a) => a.id); // ['acct-0001', 'acct-0002', 'acct-0003']
 */
export function generateAccounts(count: number, seed: number): Account[] {
  const rng = new SeededRng(seed, 'accounts');
  const width = Math.max(4, String(count).length);
  const accounts: Account[] = [];
  for (let i = 1; i <= count; i++) {
    const capital = GENERATED_MEDIAN_CAPITAL * Math.exp(CAPITAL_LOG_SIGMA * rng.nextNormal());
    const cents = Math.min(
      MAX_CAPITAL_CENTS,
      Math.max(MIN_CAPITAL_CENTS, Math.round(capital * 100)),
    );
    accounts.push({
      id: `acct-${String(i).padStart(width, '0')}`,
      capital: new Decimal(cents).dividedBy(100),
    });
  }
  return accounts;
}
