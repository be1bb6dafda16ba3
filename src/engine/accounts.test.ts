import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAccounts } from './generate-accounts.js';
import { loadAccountsFile } from './load-accounts-file.js';

async function csvFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'accounts-'));
  const path = join(dir, 'accounts.csv');
  await writeFile(path, text);
  return path;
}

describe('generateAccounts', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateAccounts(50, 7).map((x) => `${x.id}=${x.capital.toString()}`);
    expect(generateAccounts(50, 7).map((x) => `${x.id}=${x.capital.toString()}`)).toEqual(a);
    expect(generateAccounts(50, 8).map((x) => `${x.id}=${x.capital.toString()}`)).not.toEqual(a);
  });

  it('numbers ids with padding and gives whole-cent capital in range around the median', () => {
    const accounts = generateAccounts(2000, 1);
    expect(accounts[0]!.id).toBe('acct-0001');
    expect(accounts[1999]!.id).toBe('acct-2000');
    expect(new Set(accounts.map((a) => a.id)).size).toBe(2000);
    for (const a of accounts) {
      expect(a.capital.decimalPlaces()).toBeLessThanOrEqual(2);
      expect(a.capital.gte(100) && a.capital.lte(10_000_000)).toBe(true);
    }
    const sorted = accounts.map((a) => a.capital.toNumber()).sort((x, y) => x - y);
    const median = sorted[1000]!;
    expect(median).toBeGreaterThan(8_000);
    expect(median).toBeLessThan(12_500);
  });
});

describe('loadAccountsFile', () => {
  it('reads ids, capital and overrides, with quotes, BOM and CRLF', async () => {
    const path = await csvFile(
      '\ufeffaccount_id,capital,override\r\n"a,1",1000.50,\r\nb,25000,canary\r\nc,10,exclude\r\n',
    );
    const accounts = await loadAccountsFile(path);
    expect(accounts.map((a) => [a.id, a.capital.toString(), a.override])).toEqual([
      ['a,1', '1000.5', undefined],
      ['b', '25000', 'canary'],
      ['c', '10', 'exclude'],
    ]);
  });

  it('reads a segment column (empty: none), in any column order', async () => {
    const path = await csvFile('segment,account_id,capital\nspot,a,100\n,b,200\nusdm,c,300\n');
    const accounts = await loadAccountsFile(path);
    expect(accounts.map((a) => [a.id, a.segment])).toEqual([
      ['a', 'spot'],
      ['b', undefined],
      ['c', 'usdm'],
    ]);
  });

  it.each([
    ['account_id,capital\nx,abc\n', /:2: capital: not a positive number \("abc"\)/],
    ['account_id,capital\nx,-5\n', /:2: capital: not a positive number/],
    ['account_id,capital\nx,0\n', /:2: capital: not a positive number/],
    [`account_id,capital\nx,1.${'0'.repeat(42)}1\n`, /:2: capital: more than 42 decimal places/],
    ['account_id,capital\nx,5\nx,6\n', /:3: account_id: duplicate id "x"/],
    ['account_id,capital,override\nx,5,both\n', /:2: override: "both" is not one of/],
    ['id,money\nx,5\n', /:1: header: expected columns/],
    ['account_id,capital\n', /no accounts in the file/],
    ['', /the file is empty/],
  ])('rejects bad input with file, line and field: %j', async (text, message) => {
    const path = await csvFile(text);
    await expect(loadAccountsFile(path)).rejects.toMatchObject({
      code: 'E_ACCOUNTS_FILE',
      message,
    });
  });

  it('names a missing file', async () => {
    await expect(loadAccountsFile('/nonexistent/accounts.csv')).rejects.toMatchObject({
      code: 'E_ACCOUNTS_FILE',
      message: /nonexistent\/accounts.csv: -: cannot read the file/,
    });
  });
});
