import type { StrategyDefinition } from '../src/core/strategy.js';
import { meanReversionV1 } from './mean-reversion/mean-reversion-v1.js';
import { momentumV1 } from './momentum/momentum-v1.js';
import { momentumV2 } from './momentum/momentum-v2.js';
import { strategyId } from './strategy-id.js';

/** The bundled strategies, in the order `--help` and the docs list them. */
export const BUNDLED_STRATEGIES: readonly StrategyDefinition[] = [
  momentumV1,
  momentumV2,
  meanReversionV1,
];

const byId = new Map<string, StrategyDefinition>(
  BUNDLED_STRATEGIES.map((definition) => [strategyId(definition), definition]),
);

/**
 * The bundled definition with this id (`name@version`, exact), or undefined.
 *
 * @example
 * getStrategyDefinition('momentum@2.0.0')?.description;
 */
export function getStrategyDefinition(id: string): StrategyDefinition | undefined {
  return byId.get(id);
}

/** Every bundled definition, in registry order. */
export function listStrategies(): readonly StrategyDefinition[] {
  return BUNDLED_STRATEGIES;
}

/** The ids of the bundled strategies, e.g. `['momentum@1.0.0', 'momentum@2.0.0', …]`. */
export function listStrategyIds(): readonly string[] {
  return BUNDLED_STRATEGIES.map(strategyId);
}
