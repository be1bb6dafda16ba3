import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runReplay as RunReplay } from '../src/engine/run-replay.js';
import type { benchReplayConfig as BenchReplayConfig } from './bench-replay-config.js';

/** The value after `name` in `args`, if any. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * The replay and the bench's replay configuration of this build, or with `root` of another one
 * (`root/dist`, e.g. a built `git worktree` of an older commit): paired timings run the two in
 * turns (`fill-cost.js`, `replay-runs.js`).
 */
export async function buildUnderTest(root: string | undefined): Promise<{
  readonly runReplay: typeof RunReplay;
  readonly benchReplayConfig: typeof BenchReplayConfig;
}> {
  const base = buildBase(root);
  const { runReplay } = await importFromBuild<{ runReplay: typeof RunReplay }>(
    base,
    'src/engine/run-replay.js',
  );
  const { benchReplayConfig } = await importFromBuild<{
    benchReplayConfig: typeof BenchReplayConfig;
  }>(base, 'bench/bench-replay-config.js');
  return { runReplay, benchReplayConfig };
}

/**
 * The module at `path` of the build at `base` ({@link buildBase}), typed as the caller says (the
 * type of this build's module: the other build must export the same).
 */
export async function importFromBuild<M>(base: URL, path: string): Promise<M> {
  return (await import(new URL(path, base).href)) as M;
}

/** The `dist/` of this build, or of the build at `root` (a module of it: `new URL(path, base)`). */
export function buildBase(root: string | undefined): URL {
  return root === undefined
    ? new URL('../', import.meta.url)
    : pathToFileURL(`${isAbsolute(root) ? root : resolve(root)}/dist/`);
}
