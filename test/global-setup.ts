import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../scripts/bundle-cli.js';

/**
 * Builds dist/ (incrementally) and the command line's bundle before the suite, as `npm run build`
 * does: the end-to-end tests run the real `bin/strategy-canary.js`, which imports the bundle
 * (dist/cli/main.js), so they never test stale code. Type errors do not stop the suite (tsc still
 * emits, and `npm run typecheck` is CI's judge of types); a build that produced nothing does.
 */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    process.stderr.write(`warning: tsc reported errors while building dist/:\n${build.stdout}`);
  }
  if (!existsSync(fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url)))) {
    throw new Error(`the build produced no dist/src/cli/main.js:\n${build.stdout}${build.stderr}`);
  }
  await bundleCli(root);
}
