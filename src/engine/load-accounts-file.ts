import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Account, RoutingOverride } from '../core/account.js';
import { ConfigError } from '../core/errors.js';
import { MONEY_DIGITS } from '../ledger/fixed-point.js';
import { Decimal, isDecimalString } from '../core/money.js';

const OVERRIDES: readonly string[] = ['stable', 'canary', 'exclude'];

/**
 * Reads accounts from a CSV file with a header: `account_id,capital[,override][,segment]`.
 * `capital` is a positive decimal in quote currency; `override` is empty or one of `stable`,
 * `canary`, `exclude` (see {@link RoutingOverride}); `segment` is empty or the name of a segment
 * of the plan (checked against the plan by the replay). Quoted fields, a BOM and CRLF are accepted.
 * Throws a ConfigError (`E_ACCOUNTS_FILE`) naming the file, line and field on the first bad row.
 */
export async function loadAccountsFile(path: string): Promise<Account[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw accountsError(path, 0, '-', `cannot read the file (${(error as Error).message})`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw accountsError(path, 0, '-', `not valid CSV (${(error as Error).message})`);
  }
  const header = rows[0];
  if (header === undefined) throw accountsError(path, 0, '-', 'the file is empty');
  const idColumn = header.indexOf('account_id');
  const capitalColumn = header.indexOf('capital');
  const overrideColumn = header.indexOf('override');
  const segmentColumn = header.indexOf('segment');
  if (idColumn < 0 || capitalColumn < 0) {
    throw accountsError(
      path,
      1,
      'header',
      'expected columns account_id,capital[,override][,segment]',
    );
  }
  const seen = new Set<string>();
  const accounts: Account[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const line = i + 1;
    const id = row[idColumn] ?? '';
    const capitalText = row[capitalColumn] ?? '';
    const override = overrideColumn >= 0 ? (row[overrideColumn] ?? '') : '';
    const segment = segmentColumn >= 0 ? (row[segmentColumn] ?? '') : '';
    if (id === '') throw accountsError(path, line, 'account_id', 'empty');
    if (seen.has(id)) throw accountsError(path, line, 'account_id', `duplicate id "${id}"`);
    if (
      !isDecimalString(capitalText) ||
      !new Decimal(capitalText).isPositive() ||
      new Decimal(capitalText).isZero()
    ) {
      throw accountsError(path, line, 'capital', `not a positive number ("${capitalText}")`);
    }
    if (new Decimal(capitalText).decimalPlaces() > MONEY_DIGITS) {
      throw accountsError(
        path,
        line,
        'capital',
        `more than ${MONEY_DIGITS} decimal places, finer than the exact books keep ("${capitalText}")`,
      );
    }
    if (override !== '' && !OVERRIDES.includes(override)) {
      throw accountsError(
        path,
        line,
        'override',
        `"${override}" is not one of stable, canary, exclude`,
      );
    }
    seen.add(id);
    accounts.push({
      id,
      capital: new Decimal(capitalText),
      ...(override === '' ? {} : { override: override as RoutingOverride }),
      ...(segment === '' ? {} : { segment }),
    });
  }
  if (accounts.length === 0) throw accountsError(path, 0, '-', 'no accounts in the file');
  return accounts;
}

function accountsError(path: string, line: number, field: string, reason: string): ConfigError {
  const where = line > 0 ? `${path}:${line}` : path;
  return new ConfigError('E_ACCOUNTS_FILE', `${where}: ${field}: ${reason}`);
}
