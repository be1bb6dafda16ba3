import { Worker } from 'node:worker_threads';

/**
 * Young generation of every worker thread this project starts, MiB (V8's default is about 16 on
 * these machines). A replay allocates many short-lived objects per event (events, orders, fills,
 * scaled integers): a larger young generation collects them in fewer scavenges and promotes fewer
 * of them. Measured against the default (commit 4f2dd4d built in a `git worktree`, run in turns
 * with this one, medians of the pairs): `node dist/bench/replay-once.js --parse-in-worker` 0.88x
 * the wall time, `node dist/src/cli/main.js sweep bench/sweep-grid-16.json --out DIR --workers 2`
 * 0.95x.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * Starts a worker thread on `moduleUrl` (young generation {@link WORKER_YOUNG_GENERATION_MB}).
 * From the compiled package (`.js`) it is a plain module; from the sources (`.ts`, under vitest
 * or tsx) it first registers tsx's loader in the thread.
 */
export function startWorker(moduleUrl: URL): Worker {
  const options = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `(async () => {
    const { register } = await import(${JSON.stringify(api)});
    register();
    await import(${JSON.stringify(moduleUrl.href)});
  })().catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, ...options });
}
