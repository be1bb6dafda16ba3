import type { Account } from '../core/account.js';
import { Decimal } from '../core/money.js';
import { MONEY_DIGITS, rawToString, roundSignificant, type Ledger } from '../ledger/index.js';
import type { AccountResult } from '../report/account-result.js';

/**
 * Every account's own books at the end of a run, in the accounts' order (accounts.csv). Raw
 * money written straight to strings: with 100,000 accounts, a decimal.js object per figure took
 * most of a replay's closing seconds. `pnl` is rounded as the decimal sum `realized + unrealized
 * − fees` at {@link Decimal}'s precision always was (each operation to 40 significant digits, half
 * to even), so accounts.csv reads as it did.
 */
export function accountResults(ledger: Ledger, accounts: readonly Account[]): AccountResult[] {
  const precision = Decimal.precision;
  const money = (raw: bigint): string => rawToString(raw, MONEY_DIGITS);
  return accounts.map((account) => {
    const books = ledger.accountBooks(account.id);
    const pnl = roundSignificant(
      roundSignificant(books.realized + books.unrealized, precision) - books.fees,
      precision,
    );
    return {
      accountId: account.id,
      arm: books.arm,
      override: account.override ?? '',
      capital: money(books.capital),
      realizedPnl: money(books.realized),
      unrealizedPnl: money(books.unrealized),
      fees: money(books.fees),
      pnl: money(pnl),
      equity: money(books.equity),
    };
  });
}
