import { isMainThread } from 'node:worker_threads';
import { ParsedFeedCache } from '../../feeds/index.js';
import type { ReplayRunOptions } from '../engine/run-replay.js';

/** This worker thread's parsed files (one cache per thread: a module is loaded once per thread). */
let threadFeedCache: ParsedFeedCache | undefined;

/**
 * How the replay commands read their files. On the process's main thread (one replay) the files
 * are parsed on a thread of their own, beside the engine. On a worker thread (a sweep's, already
 * one replay per core) they are parsed on the thread itself, and kept in the thread's
 * {@link ParsedFeedCache}: a sweep's replays read the same few files again and again. `signal`
 * stops the replay (the command's Ctrl-C).
 */
export function cliReplayRunOptions(signal?: AbortSignal): ReplayRunOptions {
  const stop = signal === undefined ? {} : { signal };
  if (isMainThread) return { parseInWorker: true, ...stop };
  threadFeedCache ??= new ParsedFeedCache();
  return { feedCache: threadFeedCache, ...stop };
}
