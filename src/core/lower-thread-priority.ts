import { getPriority, setPriority } from 'node:os';

/** Nice levels a helper thread steps down (Linux: 0 is the default, 19 the lowest). */
export const HELPER_THREAD_NICENESS = 10;

/** The lowest priority a thread can have (the highest nice value). */
const LOWEST = 19;

/** The operating system calls {@link lowerThreadPriority} makes (injectable for tests). */
export interface ThreadPriorityOs {
  readonly platform: NodeJS.Platform;
  readonly getPriority: () => number;
  readonly setPriority: (priority: number) => void;
}

const NODE_OS: ThreadPriorityOs = {
  platform: process.platform,
  getPriority: () => getPriority(),
  setPriority: (priority) => setPriority(priority),
};

/**
 * Asks the operating system to favour the process's other threads over this one: a replay's
 * helper threads (the parsing thread, the fills.csv thread) step down
 * {@link HELPER_THREAD_NICENESS} nice levels, so that when the two cores are short (the engine,
 * the parsing, the formatting and the gzip of fills.csv all at once) it is the engine's thread,
 * the one that sets a replay's pace, that runs. A helper that falls behind makes the engine wait,
 * and then has the core. Linux keeps a nice value per thread; on other systems it is the whole
 * process's, so nothing is changed there. Never throws.
 *
 * @returns the thread's nice value now, or null when it was left as it was (another system, or
 *   the change was refused).
 */
export function lowerThreadPriority(os: ThreadPriorityOs = NODE_OS): number | null {
  if (os.platform !== 'linux') return null;
  try {
    const lowered = Math.min(LOWEST, os.getPriority() + HELPER_THREAD_NICENESS);
    os.setPriority(lowered);
    return lowered;
  } catch {
    return null;
  }
}
