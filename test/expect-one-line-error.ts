import { expect } from 'vitest';

/** Exit code 2 and exactly one line on stderr that matches, with no stack trace. */
export function expectOneLineError(
  result: { code: number; stderr: string; stdout: string },
  line: RegExp,
): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^strategy-canary: /);
  expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
