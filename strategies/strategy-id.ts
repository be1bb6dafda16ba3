import type { StrategyDefinition } from '../src/core/strategy.js';

/** The id of a definition, `name@version` (e.g. `momentum@1.0.0`), as strategies report it. */
export function strategyId(definition: Pick<StrategyDefinition, 'name' | 'version'>): string {
  return `${definition.name}@${definition.version}`;
}
