import type { Account } from '../core/account.js';
import { UsageError } from '../core/errors.js';
import { Decimal, isDecimalString } from '../core/money.js';
import { generateAccounts } from '../engine/generate-accounts.js';
import { loadAccountsFile } from '../engine/load-accounts-file.js';

/** How a bot names the accounts it trades. */
export interface LiveAccountsSpec {
  /**
   * `N` (the ids `serve --accounts N` and `replay` generate: acct-0001…), a range of such ids
   * (`acct-0001..acct-0500`), or a CSV file `account_id,capital[,override]`.
   */
  readonly accounts: string;
  /** `i/k`: the i-th of k equal parts (1-based), for k bots sharing the accounts. */
  readonly slice?: string;
  /** Starting capital of each account of `N` or a range (default 10,000, as `serve`'s). */
  readonly capital?: string;
}

const DEFAULT_CAPITAL = '10000';
const RANGE = /^(.*?)(\d+)\.\.(.*?)(\d+)$/u;

/**
 * The accounts a bot trades, in id order: generated ids, a range or a file, then its slice.
 * Throws `UsageError` for a bad spec.
 */
export async function liveAccounts(spec: LiveAccountsSpec): Promise<Account[]> {
  const text = spec.accounts.trim();
  let accounts: Account[];
  if (/^\d+$/u.test(text) || RANGE.test(text)) {
    const capital = spec.capital ?? DEFAULT_CAPITAL;
    if (!isDecimalString(capital) || new Decimal(capital).lte(0)) {
      throw new UsageError(`capital: expected a positive amount, got "${capital}"`);
    }
    accounts = accountIds(text).map((id) => ({ id, capital: new Decimal(capital) }));
  } else {
    if (spec.capital !== undefined) {
      throw new UsageError('capital is for generated accounts: an accounts file has its own');
    }
    accounts = await loadAccountsFile(text);
  }
  return spec.slice === undefined ? accounts : sliceOf(accounts, spec.slice);
}

/** `N` → the generated ids; `acct-0001..acct-0500` → the ids from one to the other. */
function accountIds(text: string): string[] {
  if (/^\d+$/u.test(text)) {
    const count = Number(text);
    if (!Number.isSafeInteger(count) || count < 1 || count > 1_000_000) {
      throw new UsageError(`accounts: expected 1 to 1000000 accounts, got ${text}`);
    }
    return generateAccounts(count, 1).map((a) => a.id);
  }
  const [, prefix = '', first = '', lastPrefix = '', last = ''] = RANGE.exec(text) ?? [];
  const from = Number(first);
  const to = Number(last);
  if (prefix !== lastPrefix || first.length !== last.length || from > to) {
    throw new UsageError(
      `accounts: a range is FIRST..LAST with one prefix and equal widths, e.g. acct-0001..acct-0500, got "${text}"`,
    );
  }
  if (to - from >= 1_000_000) throw new UsageError(`accounts: at most 1000000 in a range`);
  const ids: string[] = [];
  for (let n = from; n <= to; n++) ids.push(`${prefix}${String(n).padStart(first.length, '0')}`);
  return ids;
}

/** The i-th of k contiguous, nearly equal parts (sizes differ by at most one). */
function sliceOf(accounts: readonly Account[], slice: string): Account[] {
  const match = /^(\d+)\/(\d+)$/u.exec(slice.trim());
  const i = Number(match?.[1]);
  const k = Number(match?.[2]);
  if (match === null || !(k >= 1 && i >= 1 && i <= k)) {
    throw new UsageError(`slice: expected i/k with 1 ≤ i ≤ k (e.g. 2/4), got "${slice}"`);
  }
  const start = Math.floor(((i - 1) * accounts.length) / k);
  const end = Math.floor((i * accounts.length) / k);
  if (end <= start) {
    throw new UsageError(`slice ${slice} of ${accounts.length} accounts is empty`);
  }
  return accounts.slice(start, end);
}
