import type { Account } from '../core/account.js';
import { moneyToString } from '../core/money.js';
import type { Ledger } from '../ledger/index.js';
import type { AccountResult } from '../report/account-result.js';

/** Every account's own books at the end of a run, in the accounts' order (accounts.csv). */
export function accountResults(ledger: Ledger, accounts: readonly Account[]): AccountResult[] {
  return accounts.map((account) => {
    const books = ledger.accountSnapshot(account.id);
    const pnl = books.realizedPnl.plus(books.unrealizedPnl).minus(books.fees);
    return {
      accountId: account.id,
      arm: books.arm,
      override: account.override ?? '',
      capital: moneyToString(books.capital),
      realizedPnl: moneyToString(books.realizedPnl),
      unrealizedPnl: moneyToString(books.unrealizedPnl),
      fees: moneyToString(books.fees),
      pnl: moneyToString(pnl),
      equity: moneyToString(books.equity),
    };
  });
}
