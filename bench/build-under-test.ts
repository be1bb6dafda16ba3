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
  const { runReplay } = (await import(new URL('src/engine/run-replay.js', base).href)) as {
    runReplay: typeof RunReplay;
  };
  const { benchReplayConfig } = (await import(
    new URL('bench/bench-replay-config.js', base).href
  )) as { benchReplayConfig: typeof BenchReplayConfig };
  return { runReplay, benchReplayConfig };
}

/** The `dist/` of this build, or of the build at `root` (a module of it: `new URL(path, base)`). */
export function buildBase(root: string | undefined): URL {
  return root === undefined
    ? new URL('../', import.meta.url)
    : pathToFileURL(`${isAbsolute(root) ? root : resolve(root)}/dist/`);
}
