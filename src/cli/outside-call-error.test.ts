import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CanaryError } from '../core/errors.js';
import { outsideCallError } from './outside-call-error.js';

function thrownAt(frame: string, message = 'boom'): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at Timeout._onTimeout (${frame}:38:32)\n    at listOnTimeout (node:internal/timers:581:17)`;
  return error;
}

describe('outsideCallError', () => {
  const cwd = '/work/project';
  const modules = ['./strategies/mine.mjs', 'momentum@1.0.0'];

  it("names a strategy module its stack runs through, as a file URL or a path (the user's to fix)", () => {
    const path = join(cwd, 'strategies', 'mine.mjs');
    for (const frame of [pathToFileURL(path).href, path]) {
      const error = outsideCallError(thrownAt(frame), modules, cwd);
      expect(error).toBeInstanceOf(CanaryError);
      expect((error as CanaryError).code).toBe('E_STRATEGY_INVALID');
      expect(error.message).toMatch(
        /^strategy \.\/strategies\/mine\.mjs threw outside its calls .*: boom;/u,
      );
    }
  });

  it('leaves any other error as it is (a bug is reported as one), and makes an Error of a non-error', () => {
    const own = thrownAt('file:///work/project/dist/cli/chunk.js');
    expect(outsideCallError(own, modules, cwd)).toBe(own);
    expect(outsideCallError('a string', modules, cwd).message).toBe('a string');
    // Another file whose name starts like the module's is not the module.
    const other = thrownAt('/work/project/strategies/mine.mjs.bak');
    expect(outsideCallError(other, modules, cwd)).toBe(other);
  });
});
