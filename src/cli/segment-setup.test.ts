import { describe, expect, it } from 'vitest';
import type { Account } from '../core/account.js';
import { Decimal } from '../core/money.js';
import { generateAccounts } from '../engine/generate-accounts.js';
import type { PlanSegments } from '../rollout/index.js';
import { accountsWithSegments } from './segment-setup.js';
import { thrown } from './test-support/thrown.js';

const SEGMENTS: PlanSegments = {
  mode: 'parallel',
  list: [
    { name: 'spot', venue: 'binance' },
    { name: 'usdm', venue: 'binance-futures' },
    { name: 'eth', venue: null },
  ],
};

const account = (id: string, segment?: string): Account => ({
  id,
  capital: new Decimal(100),
  ...(segment === undefined ? {} : { segment }),
});

describe('accountsWithSegments', () => {
  it('deals generated accounts to the segments in turn', () => {
    const accounts = accountsWithSegments(generateAccounts(7, 1), SEGMENTS, 'generated');
    expect(accounts.map((a) => a.segment)).toEqual([
      'spot',
      'usdm',
      'eth',
      'spot',
      'usdm',
      'eth',
      'spot',
    ]);
    expect(accounts.map((a) => a.capital.toFixed())).toEqual(
      generateAccounts(7, 1).map((a) => a.capital.toFixed()),
    );
  });

  it('refuses fewer generated accounts than segments', () => {
    expect(
      thrown(() => accountsWithSegments(generateAccounts(2, 1), SEGMENTS, 'generated')),
    ).toMatchObject({ code: 'E_USAGE' });
  });

  it("keeps a file's segments and names the first account without a known one", () => {
    const ok = [account('a', 'spot'), account('b', 'usdm'), account('c', 'eth')];
    expect(accountsWithSegments(ok, SEGMENTS, 'accounts.csv')).toEqual(ok);
    expect(
      thrown(() =>
        accountsWithSegments([...ok, account('d'), account('e', 'x')], SEGMENTS, 'accounts.csv'),
      ),
    ).toMatchObject({
      code: 'E_ACCOUNTS_FILE',
      message: /^accounts\.csv: account "d": no segment/,
    });
    expect(() => accountsWithSegments([...ok, account('e', 'x')], SEGMENTS, 'f.csv')).toThrow(
      /account "e": segment "x" is not one of the plan's \(its segments: spot, usdm, eth\)/,
    );
  });

  it('refuses a segment of the plan without accounts', () => {
    expect(() =>
      accountsWithSegments([account('a', 'spot'), account('b', 'spot')], SEGMENTS, 'f.csv'),
    ).toThrow(/no account in segments usdm, eth/);
  });
});
