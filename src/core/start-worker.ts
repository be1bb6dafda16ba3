import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on `moduleUrl`. From the compiled package (`.js`) it is a plain module;
 * from the sources (`.ts`, under vitest or tsx) it first registers tsx's loader in the thread.
 */
export function startWorker(moduleUrl: URL): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl);
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `(async () => {
    const { register } = await import(${JSON.stringify(api)});
    register();
    await import(${JSON.stringify(moduleUrl.href)});
  })().catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true });
}
