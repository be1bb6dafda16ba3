import { describe, expect, it } from 'vitest';
import { CanaryError } from '../src/core/errors.js';
import type { StrategyDefinition } from '../src/core/strategy.js';
import { createStrategy } from './create-strategy.js';
import { momentumV1 } from './momentum/momentum-v1.js';

/** The CanaryError `run` throws (fails the test if it does not throw one). */
function thrown(run: () => unknown): CanaryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CanaryError);
    expect((error as CanaryError).message).not.toContain('\n');
    return error as CanaryError;
  }
  throw new Error('expected a throw');
}

const userDefinition = (overrides: Partial<StrategyDefinition>): StrategyDefinition => ({
  name: 'user',
  version: '1.0.0',
  description: 'user strategy',
  parseParams: (input: unknown) => input,
  create: () => ({ id: 'user@1.0.0', onMarketEvent: () => null, targetQuantity: () => 0 }),
  ...overrides,
});

describe('createStrategy', () => {
  it('creates a bundled strategy with defaults or with valid params', () => {
    expect(createStrategy(momentumV1).id).toBe('momentum@1.0.0');
    expect(createStrategy(momentumV1, { entryBps: 2 }).id).toBe('momentum@1.0.0');
  });

  it('reports bad params as E_STRATEGY_PARAMS naming every bad field on one line', () => {
    const error = thrown(() =>
      createStrategy(momentumV1, { fastMs: 'soon', stopLossBps: -1, colour: 'red' }),
    );
    expect(error.code).toBe('E_STRATEGY_PARAMS');
    expect(error.message).toMatch(/^momentum@1\.0\.0: invalid params: /);
    for (const field of ['fastMs', 'stopLossBps', 'colour']) expect(error.message).toContain(field);
  });

  it('wraps a user parseParams error (zod-like issues or a plain Error) as E_STRATEGY_PARAMS', () => {
    const zodLike = userDefinition({
      parseParams: () => {
        throw Object.assign(new Error('multi\nline'), {
          issues: [{ path: ['window', 0], message: 'Too small' }],
        });
      },
    });
    const withIssues = thrown(() => createStrategy(zodLike, {}));
    expect(withIssues.code).toBe('E_STRATEGY_PARAMS');
    expect(withIssues.message).toBe('user@1.0.0: invalid params: window.0: Too small');

    const plain = userDefinition({
      parseParams: () => {
        throw new Error('window must be\npositive');
      },
    });
    expect(thrown(() => createStrategy(plain, {})).message).toBe(
      'user@1.0.0: invalid params: window must be positive',
    );
  });

  it('reports a create() that throws or returns a non-strategy as E_STRATEGY_INVALID', () => {
    const throwing = userDefinition({
      create: () => {
        throw new Error('boom');
      },
    });
    const failed = thrown(() => createStrategy(throwing));
    expect(failed.code).toBe('E_STRATEGY_INVALID');
    expect(failed.message).toContain('boom');

    const empty = userDefinition({ create: () => ({}) as never });
    const missing = thrown(() => createStrategy(empty));
    expect(missing.code).toBe('E_STRATEGY_INVALID');
    expect(missing.message).toContain('onMarketEvent()');
    expect(missing.message).toContain('targetQuantity()');

    const misnamed = userDefinition({
      create: () => ({ id: 'user@0.9.0', onMarketEvent: () => null, targetQuantity: () => 0 }),
    });
    expect(thrown(() => createStrategy(misnamed)).message).toContain(
      'id "user@1.0.0" (got "user@0.9.0")',
    );
  });
});
