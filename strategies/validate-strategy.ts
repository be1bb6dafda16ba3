import type { StrategyDefinition } from '../src/core/strategy.js';

/**
 * What keeps `value` from being a {@link StrategyDefinition}: the missing or mistyped members, e.g.
 * `['version (non-empty string)', 'create() (function)']`; empty when it is one.
 */
export function strategyDefinitionProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null)
    return ['an object with name, version, description, parseParams(), create()'];
  const candidate = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['name', 'version'] as const) {
    const member = candidate[key];
    if (typeof member !== 'string' || member.trim() === '')
      problems.push(`${key} (non-empty string)`);
  }
  if (typeof candidate['description'] !== 'string') problems.push('description (string)');
  for (const key of ['parseParams', 'create'] as const) {
    if (typeof candidate[key] !== 'function') problems.push(`${key}() (function)`);
  }
  return problems;
}

/** True when `value` has the shape of a {@link StrategyDefinition} (checked at runtime). */
export function isStrategyDefinition(value: unknown): value is StrategyDefinition {
  return strategyDefinitionProblems(value).length === 0;
}

/**
 * What keeps `value` from being a `Strategy` with the given id: missing members or an id
 * that does not match its definition's `name@version`; empty when it is one.
 */
export function strategyProblems(value: unknown, expectedId: string): string[] {
  if (typeof value !== 'object' || value === null)
    return ['an object with id, onMarketEvent(), targetQuantity()'];
  const candidate = value as Record<string, unknown>;
  const problems: string[] = [];
  const id = candidate['id'];
  if (typeof id !== 'string') problems.push('id (string)');
  else if (id !== expectedId) problems.push(`id "${expectedId}" (got "${id}")`);
  for (const key of ['onMarketEvent', 'targetQuantity'] as const) {
    if (typeof candidate[key] !== 'function') problems.push(`${key}() (function)`);
  }
  return problems;
}
