// Bundles the command line (dist/src/cli/main.js, after `tsc`) and the worker threads it starts
// into dist/cli/: one file per entry and chunks they share, the modules of the packages listed in
// BUNDLED inside them. `bin/strategy-canary.js` runs dist/cli/main.js.
//
// Why: a command line loaded some 300 of the project's modules and the packages' own, one file
// at a time, before its first line of work: `replay` of the bundled sample took 0.95 s, and 0.86
// bundled; a cold sweep of bench/sweep-grid-16.json on two workers 2.54 and 2.25 (README,
// "Architecture"). The library (`import … from 'strategy-canary'`) stays the unbundled
// dist/src/, with its types.
//
//   tsx scripts/bundle-cli.ts          (npm run build runs it after tsc)
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Packages bundled in: plain modules, many files each, that never reach a user's code (a
 * strategy module or a bot) as values whose class matters. The others stay imports of
 * node_modules: tsx and the NATS, WebSocket and metrics clients find files of their own beside
 * them, decimal.js values may come from a user's modules, ECharts is one file loaded only to draw
 * charts, ccxt is the user's.
 */
const BUNDLED = new Set([
  'rxjs',
  'zod',
  'commander',
  'cli-progress',
  'pure-rand',
  'csv-parse',
  'csv-stringify',
  'luxon',
]);

/** The command line and every worker thread it starts (each found beside it, by file name). */
const ENTRIES = [
  'dist/src/cli/main.js',
  'dist/feeds/feed-parse-worker.js',
  'dist/src/cli/fills-journal-worker.js',
  'dist/src/cli/sweep/sweep-worker.js',
];

/** Where the bundle goes. */
export const CLI_BUNDLE_DIR = 'dist/cli';

/** The package name of a bare import (`@scope/name/sub` → `@scope/name`), or null. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Bundles the built command line under `root` (the project's folder) into dist/cli/. */
export async function bundleCli(root: string): Promise<void> {
  rmSync(`${root}/${CLI_BUNDLE_DIR}`, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: CLI_BUNDLE_DIR,
    entryNames: '[name]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // Bundled CommonJS packages (commander) require Node's own modules.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    plugins: [externalPackages],
  });
}

/** Leaves every package but those of {@link BUNDLED} an import of node_modules. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (name === null || BUNDLED.has(name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleCli(fileURLToPath(new URL('..', import.meta.url)));
}
