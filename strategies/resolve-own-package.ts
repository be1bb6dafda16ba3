import { register } from 'node:module';

/** The package's own name: what a user's strategy module imports (`strategy-canary/strategies`). */
const PACKAGE_NAME = 'strategy-canary';

/**
 * The loader hook, as source: a bare `strategy-canary` or `strategy-canary/…` import from a module
 * outside this package resolves as if imported from inside it (Node's self-reference by package
 * name, through `package.json` "exports"), so the user's module needs no install of its own.
 * Source text in a `data:` URL because a hook module is loaded by Node itself, never compiled.
 */
const HOOK_SOURCE = `
let inside;
export function initialize(data) { inside = data.inside; }
export async function resolve(specifier, context, nextResolve) {
  const own = specifier === ${JSON.stringify(PACKAGE_NAME)} || specifier.startsWith(${JSON.stringify(`${PACKAGE_NAME}/`)});
  if (own) {
    try {
      return await nextResolve(specifier, context);
    } catch {
      return nextResolve(specifier, { ...context, parentURL: inside });
    }
  }
  return nextResolve(specifier, context);
}
`;

let registered = false;

/**
 * Lets strategy modules anywhere on disk `import … from 'strategy-canary'` (and its subpaths)
 * when they are loaded as ES modules (`.mjs`, `.mts`, or `.js`/`.ts` under a `"type": "module"`
 * package.json): an import their own `node_modules` can satisfy still goes there first. Installed
 * once per process, before the first user module is imported.
 */
export function resolveOwnPackageForUserModules(): void {
  if (registered) return;
  registered = true;
  // This file is inside the package (source or dist/): self-reference resolves from its scope.
  const inside = import.meta.url;
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, { data: { inside } });
}
