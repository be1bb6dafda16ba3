import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { liveAccounts } from './live-accounts.js';

const ids = async (accounts: string, slice?: string): Promise<string[]> =>
  (await liveAccounts({ accounts, ...(slice === undefined ? {} : { slice }) })).map((a) => a.id);

describe('liveAccounts', () => {
  it("takes serve's generated ids, a range, and slices of them", async () => {
    expect(await ids('3')).toEqual(['acct-0001', 'acct-0002', 'acct-0003']);
    expect(await ids('acct-0009..acct-0011')).toEqual(['acct-0009', 'acct-0010', 'acct-0011']);
    const all = await ids('500');
    const slices = await Promise.all(['1/3', '2/3', '3/3'].map((s) => ids('500', s)));
    expect(slices.map((s) => s.length)).toEqual([166, 167, 167]);
    expect(slices.flat()).toEqual(all);
    const [first] = await liveAccounts({ accounts: '2', capital: '2500.5' });
    expect(first?.capital.toFixed()).toBe('2500.5');
  });

  it('refuses a bad range, slice or capital with a usage error', async () => {
    for (const spec of [
      { accounts: 'acct-0010..acct-0001' },
      { accounts: 'a-01..b-02' },
      { accounts: '0' },
      { accounts: '10', slice: '0/2' },
      { accounts: '10', slice: '3/2' },
      { accounts: '1', slice: '1/2' },
      { accounts: '10', capital: '-5' },
    ]) {
      await expect(liveAccounts(spec), JSON.stringify(spec)).rejects.toBeInstanceOf(UsageError);
    }
  });
});
