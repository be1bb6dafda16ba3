/** One account's own books at the end of a run (accounts.csv). Money as exact decimal strings. */
export interface AccountResult {
  readonly accountId: string;
  /** The arm the account is on at the end. */
  readonly arm: 'stable' | 'canary';
  /** `stable`, `canary` or `exclude` when the accounts file pinned it, else empty. */
  readonly override: string;
  readonly capital: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  /** `realizedPnl + unrealizedPnl − fees` = `equity − capital`. */
  readonly pnl: string;
  readonly equity: string;
}

const HEADER = [
  'account_id',
  'arm',
  'override',
  'capital',
  'realized_pnl',
  'unrealized_pnl',
  'fees',
  'pnl',
  'equity',
];

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * accounts.csv: one line per account, in the accounts' order, header first; money exact as booked,
 * so a spreadsheet's sums equal the report's totals over both arms.
 */
export function renderAccountsCsv(accounts: readonly AccountResult[]): string {
  const lines = [HEADER.join(',')];
  for (const a of accounts) {
    lines.push(
      [
        a.accountId,
        a.arm,
        a.override,
        a.capital,
        a.realizedPnl,
        a.unrealizedPnl,
        a.fees,
        a.pnl,
        a.equity,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
