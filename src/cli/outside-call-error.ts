import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../core/errors.js';

/**
 * What an error thrown outside the replay's own calls becomes (an uncaught exception or an
 * unhandled rejection while a replay runs: a strategy module's timer or promise, say). One whose
 * stack runs through a strategy module given by path is the user's to fix: `E_STRATEGY_INVALID`
 * naming the module. Anything else is returned as it is (a bug of this tool, reported as one).
 * `modules` are the module paths as given, resolved against `cwd`.
 */
export function outsideCallError(error: unknown, modules: readonly string[], cwd: string): Error {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const module = modules.find((spec) => {
    const path = resolve(cwd, spec);
    // A stack frame names the file, then `:line:column`.
    return stack.includes(`${pathToFileURL(path).href}:`) || stack.includes(`${path}:`);
  });
  if (module === undefined) return error instanceof Error ? error : new Error(String(error));
  return new ConfigError(
    'E_STRATEGY_INVALID',
    `strategy ${module} threw outside its calls (from a timer, a callback or a promise): ${(error as Error).message}; a strategy does its work within onMarketEvent and its other calls`,
    { cause: error },
  );
}
