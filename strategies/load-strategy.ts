import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../src/core/errors.js';
import type { StrategyDefinition } from '../src/core/strategy.js';
import { getStrategyDefinition, listStrategyIds } from './registry.js';
import { resolveOwnPackageForUserModules } from './resolve-own-package.js';
import { oneLine } from './shared/one-line.js';
import { strategyDefinitionProblems } from './validate-strategy.js';

/** Module extensions imported natively. */
const JS_EXTENSIONS: ReadonlySet<string> = new Set(['.js', '.mjs', '.cjs']);
/** Module extensions imported through tsx (`tsImport`), compiled on the fly. */
const TS_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts']);

/** Options of {@link loadStrategyDefinition}. */
export interface LoadStrategyOptions {
  /** Directory relative module paths resolve against (default: `process.cwd()`). */
  readonly cwd?: string;
}

/**
 * Resolves a strategy spec to its definition: a bundled id (`momentum@1.0.0`, exact) or a path to
 * a module (`.js`, `.mjs`, `.cjs`; `.ts`, `.mts`, `.cts` through tsx) whose default export is a
 * {@link StrategyDefinition}. A spec is a path when it contains a `/` or `\` or ends in one of
 * those extensions.
 *
 * Throws {@link ConfigError}:
 * - `E_STRATEGY_UNKNOWN`: not a path and not a bundled id (the message lists the bundled ids);
 * - `E_STRATEGY_LOAD`: the file is missing or not a module, or importing it failed (one line with
 *   the path and the cause);
 * - `E_STRATEGY_INVALID`: the default export is not a StrategyDefinition (says what is missing).
 *
 * @example
 * const stable = await loadStrategyDefinition('momentum@1.0.0');
 * const mine = await loadStrategyDefinition('./my-strategy.ts');
 */
export async function loadStrategyDefinition(
  spec: string,
  options: LoadStrategyOptions = {},
): Promise<StrategyDefinition> {
  const bundled = getStrategyDefinition(spec);
  if (bundled !== undefined) return bundled;
  if (!isModulePath(spec)) {
    throw new ConfigError(
      'E_STRATEGY_UNKNOWN',
      `unknown strategy "${spec}": bundled strategies are ${listStrategyIds().join(', ')}` +
        ' (or give a path to a .js, .mjs or .ts module)',
    );
  }
  const path = resolve(options.cwd ?? process.cwd(), spec);
  const extension = extname(path).toLowerCase();
  const isTypeScript = TS_EXTENSIONS.has(extension);
  if (!isTypeScript && !JS_EXTENSIONS.has(extension)) {
    throw new ConfigError(
      'E_STRATEGY_LOAD',
      `cannot load strategy module ${spec}: unsupported file type "${extension}" (expected .js, .mjs, .cjs, .ts, .mts or .cts)`,
    );
  }
  await assertFile(path, spec);
  resolveOwnPackageForUserModules();
  let module: unknown;
  try {
    const url = pathToFileURL(path).href;
    module = isTypeScript ? await importTypeScript(url) : await import(url);
  } catch (error) {
    throw new ConfigError(
      'E_STRATEGY_LOAD',
      `cannot load strategy module ${spec}: ${describeCause(error)}`,
      {
        cause: error,
      },
    );
  }
  return defaultDefinition(module, spec);
}

/**
 * `SyntaxError: Unexpected token ','`: the error's class matters when the message alone is terse.
 * tsx's private loader namespace (`?namespace=…` on file URLs) is left out, and a CommonJS
 * `.ts` module that imports this package is told how to load as an ES module instead.
 */
function describeCause(error: unknown): string {
  const named =
    error instanceof Error && error.name !== 'Error' && !error.message.startsWith(error.name);
  const cause = (named ? `${error.name}: ${oneLine(error)}` : oneLine(error)).replace(
    /\?namespace=[\w-]+/g,
    '',
  );
  if (
    /Cannot find module '(strategy-canary)(\/[^']*)?'/.test(cause) &&
    cause.includes('Require stack')
  ) {
    return (
      `${cause.replace(/ Require stack:.*$/, '')}: this .ts file is loaded as CommonJS (no "type": "module" ` +
      'package.json above it); rename it .mts, or add a package.json with {"type": "module"} beside it, ' +
      'and strategy-canary resolves from any folder (docs/strategies.md, "Loading and errors")'
    );
  }
  return cause;
}

function isModulePath(spec: string): boolean {
  if (spec.includes('/') || spec.includes('\\')) return true;
  const extension = extname(spec).toLowerCase();
  return JS_EXTENSIONS.has(extension) || TS_EXTENSIONS.has(extension);
}

async function assertFile(path: string, spec: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `no such file (${path})` : oneLine(error);
    throw new ConfigError('E_STRATEGY_LOAD', `cannot load strategy module ${spec}: ${reason}`, {
      cause: error,
    });
  }
  if (!isFile) {
    throw new ConfigError(
      'E_STRATEGY_LOAD',
      `cannot load strategy module ${spec}: not a file (${path})`,
    );
  }
}

async function importTypeScript(url: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, { parentURL: import.meta.url })) as unknown;
}

/** The module's default export as a definition; CommonJS `exports.default` is accepted too. */
function defaultDefinition(module: unknown, spec: string): StrategyDefinition {
  const namespace = module as { default?: unknown } | null;
  if (namespace === null || typeof namespace !== 'object' || !('default' in namespace)) {
    throw new ConfigError(
      'E_STRATEGY_INVALID',
      `strategy module ${spec} has no default export (export default a StrategyDefinition: { name, version, description, parseParams(), create() })`,
    );
  }
  let candidate: unknown = namespace.default;
  const nested = (candidate as { default?: unknown } | null)?.default;
  if (strategyDefinitionProblems(candidate).length > 0 && nested !== undefined) candidate = nested;
  const problems = strategyDefinitionProblems(candidate);
  if (problems.length > 0) {
    throw new ConfigError(
      'E_STRATEGY_INVALID',
      `strategy module ${spec}: default export is not a StrategyDefinition: missing or wrong ${problems.join(', ')}`,
    );
  }
  return candidate as StrategyDefinition;
}
