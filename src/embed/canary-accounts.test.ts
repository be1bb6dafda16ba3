import { describe, expect, it } from 'vitest';
import type { RolloutPlan } from '../rollout/index.js';
import type { CanaryAccount } from './canary-accounts.js';
import { createSegmentedCanary } from './create-segmented-canary.js';
import { TEST_PLAN, testCanary } from './test-support/bot-driver.js';

/** What createCanary throws for these accounts: its name, code and message. */
function refusal(accounts: readonly CanaryAccount[]) {
  try {
    testCanary({ accounts });
  } catch (error) {
    const { name, code, message } = error as { name: string; code: unknown; message: string };
    return { name, code, message };
  }
  return null;
}

describe('createCanary: the accounts', () => {
  it('refuses each bad account with a ConfigError E_USAGE naming it and the field', () => {
    const ok = { id: 'a', capital: '100' };
    const cases: [readonly CanaryAccount[], RegExp][] = [
      [[], /^accounts: none/u],
      [[{ id: 'a', capital: '-100' }], /^accounts\[0\] \("a"\)\.capital: "-100"/u],
      [[{ id: 'a', capital: 0 }], /^accounts\[0\] \("a"\)\.capital: 0 /u],
      [[{ id: 'a', capital: Number.NaN }], /^accounts\[0\] \("a"\)\.capital: NaN/u],
      [[{ id: 'a', capital: 'abc' }], /^accounts\[0\] \("a"\)\.capital: "abc"/u],
      [[{ id: 'a', capital: `1.${'0'.repeat(42)}1` }], /capital: more than 42 decimal places/u],
      [[ok, { id: '', capital: '100' }], /^accounts\[1\]\.id: "" is not a string of 1 to 256/u],
      [[{ id: 'x'.repeat(257), capital: '100' }], /^accounts\[0\]\.id: /u],
      [[ok, { id: 'b', capital: '1' }, ok], /^accounts\[2\] \("a"\)\.id: a duplicate id/u],
      [[{ ...ok, override: 'paper' as 'stable' }], /^accounts\[0\] \("a"\)\.override: "paper"/u],
    ];
    for (const [accounts, message] of cases) {
      expect(refusal(accounts), JSON.stringify(accounts)).toEqual({
        name: 'ConfigError',
        code: 'E_USAGE',
        message: expect.stringMatching(message) as string,
      });
    }
    expect(refusal([ok, { id: 'b', capital: 25_000.5, override: 'exclude' }])).toBeNull();
  });

  it('refuses an id repeated in two segments of a segmented canary', () => {
    const plan: RolloutPlan = {
      ...TEST_PLAN,
      segments: {
        mode: 'parallel',
        list: [
          { name: 'spot', venue: 'binance' },
          { name: 'usdm', venue: 'binance-futures' },
        ],
      },
    };
    const create = () =>
      createSegmentedCanary({
        stable: 'bot@1.0.0',
        canary: 'bot@2.0.0',
        plan,
        salt: 'segments',
        accounts: [
          { id: 'a', capital: '100', segment: 'spot' },
          { id: 'a', capital: '100', segment: 'usdm' },
        ],
      });
    expect(create).toThrow(expect.objectContaining({ code: 'E_USAGE' }) as Error);
  });
});
