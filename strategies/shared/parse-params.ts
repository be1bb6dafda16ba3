import type { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';

/** One line for a list of zod issues: `fastMs: Too small: expected number to be >0; slowMs: …`. */
export function formatZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts: string[] = [];
  for (const issue of issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(params)';
    parts.push(`${path}: ${issue.message}`);
  }
  return parts.join('; ');
}

/**
 * Validates strategy parameters with a zod schema: `undefined` and `null` mean "all defaults".
 * Throws a {@link ConfigError} `E_STRATEGY_PARAMS` naming the strategy and every bad field on one
 * line, e.g. `momentum@1.0.0: invalid params: fastMs: Invalid input: expected number, received string`.
 */
export function parseParamsWith<T>(schema: z.ZodType<T>, input: unknown, strategyId: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    'E_STRATEGY_PARAMS',
    `${strategyId}: invalid params: ${formatZodIssues(result.error.issues)}`,
  );
}
