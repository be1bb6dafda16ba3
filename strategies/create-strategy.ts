import { CanaryError, ConfigError } from '../src/core/errors.js';
import type { Strategy, StrategyDefinition } from '../src/core/strategy.js';
import { oneLine } from './shared/one-line.js';
import { strategyId } from './strategy-id.js';
import { strategyProblems } from './validate-strategy.js';

/**
 * Validates `params` with the definition and creates a fresh instance (one per arm).
 *
 * Throws {@link ConfigError}:
 * - `E_STRATEGY_PARAMS` when the parameters do not validate (one line naming the bad fields);
 * - `E_STRATEGY_INVALID` when `create()` throws or returns something that is not a
 *   {@link Strategy} whose `id` is the definition's `name@version`.
 *
 * @example
 * const strategy = createStrategy(momentumV2, { volMultiple: 1.5 });
 */
export function createStrategy<Params>(
  definition: StrategyDefinition<Params>,
  params?: unknown,
): Strategy {
  return createStrategyFromParsed(definition, parseStrategyParams(definition, params));
}

/**
 * `definition.parseParams(params)`, its error a {@link ConfigError} `E_STRATEGY_PARAMS` naming the
 * strategy and the bad fields on one line.
 */
export function parseStrategyParams<Params>(
  definition: StrategyDefinition<Params>,
  params: unknown,
): Params {
  try {
    return definition.parseParams(params);
  } catch (error) {
    if (error instanceof CanaryError && error.code === 'E_STRATEGY_PARAMS') throw error;
    throw new ConfigError(
      'E_STRATEGY_PARAMS',
      `${strategyId(definition)}: invalid params: ${describeParamsError(error)}`,
      { cause: error },
    );
  }
}

/**
 * A fresh instance from parameters `parseParams` already returned, which are not parsed again: a
 * parser need not accept its own output. Throws {@link ConfigError} `E_STRATEGY_INVALID` as
 * {@link createStrategy} does.
 */
export function createStrategyFromParsed<Params>(
  definition: StrategyDefinition<Params>,
  parsed: Params,
): Strategy {
  const id = strategyId(definition);
  let strategy: unknown;
  try {
    strategy = definition.create(parsed);
  } catch (error) {
    throw new ConfigError('E_STRATEGY_INVALID', `${id}: create() failed: ${oneLine(error)}`, {
      cause: error,
    });
  }
  const problems = strategyProblems(strategy, id);
  if (problems.length > 0) {
    throw new ConfigError(
      'E_STRATEGY_INVALID',
      `${id}: create() did not return a Strategy: missing or wrong ${problems.join(', ')}`,
    );
  }
  return strategy as Strategy;
}

/** Zod-style errors (an `issues` array with `path` and `message`) listed field by field; others as one line. */
function describeParamsError(error: unknown): string {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return oneLine(error);
  const parts: string[] = [];
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    const path =
      Array.isArray(issue.path) && issue.path.length > 0
        ? issue.path.map(String).join('.')
        : '(params)';
    parts.push(`${path}: ${String(issue.message)}`);
  }
  return oneLine(parts.join('; '));
}
