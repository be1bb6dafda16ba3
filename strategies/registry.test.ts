import { describe, expect, it } from 'vitest';
import { getStrategyDefinition, listStrategies, listStrategyIds } from './registry.js';
import { isStrategyDefinition } from './validate-strategy.js';

describe('strategy registry', () => {
  it('bundles the three strategies the CLI documents, by exact id', () => {
    expect(listStrategyIds()).toEqual(['momentum@1.0.0', 'momentum@2.0.0', 'mean-reversion@1.0.0']);
    for (const id of listStrategyIds()) {
      const definition = getStrategyDefinition(id);
      expect(definition).toBeDefined();
      expect(`${definition!.name}@${definition!.version}`).toBe(id);
      expect(isStrategyDefinition(definition)).toBe(true);
    }
    expect(listStrategies()).toHaveLength(3);
  });

  it('knows no other id, and no partial one', () => {
    for (const id of ['momentum', 'momentum@1', 'momentum@3.0.0', 'mean-reversion@1.0.0 ', ''])
      expect(getStrategyDefinition(id)).toBeUndefined();
  });

  it('creates a fresh instance on every create()', () => {
    for (const definition of listStrategies()) {
      const params = definition.parseParams(undefined);
      expect(definition.create(params)).not.toBe(definition.create(params));
    }
  });
});
