import { describe, expect, it } from 'vitest';
import {
  HELPER_THREAD_NICENESS,
  lowerThreadPriority,
  type ThreadPriorityOs,
} from './lower-thread-priority.js';

/** An operating system that keeps one nice value (`nice`), as a thread's. */
class FakeOs implements ThreadPriorityOs {
  constructor(
    readonly platform: NodeJS.Platform,
    public nice: number,
    readonly refuse = false,
  ) {}

  getPriority = (): number => this.nice;

  setPriority = (priority: number): void => {
    if (this.refuse) throw new Error('EACCES');
    this.nice = priority;
  };
}

describe('lowerThreadPriority', () => {
  it('steps a Linux thread down by HELPER_THREAD_NICENESS, to 19 at most', () => {
    const os = new FakeOs('linux', 0);
    expect(lowerThreadPriority(os)).toBe(HELPER_THREAD_NICENESS);
    expect(os.nice).toBe(HELPER_THREAD_NICENESS);
    const low = new FakeOs('linux', 15);
    expect(lowerThreadPriority(low)).toBe(19);
  });

  it('leaves the priority alone where it is the whole process’s, or when refused', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const os = new FakeOs(platform, 0);
      expect(lowerThreadPriority(os)).toBeNull();
      expect(os.nice).toBe(0);
    }
    expect(lowerThreadPriority(new FakeOs('linux', 0, true))).toBeNull();
  });
});
