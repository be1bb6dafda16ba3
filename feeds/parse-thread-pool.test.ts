import { describe, expect, it } from 'vitest';
import { ParseThreadPool } from './parse-thread-pool.js';

describe('ParseThreadPool', () => {
  it('ends a thread left idle for its idle time; one taken again in time stays', async () => {
    const pool = new ParseThreadPool(200);
    const thread = pool.take();
    let exits = 0;
    const exited = new Promise<void>((resolve) =>
      thread.once('exit', () => {
        exits++;
        resolve();
      }),
    );
    pool.give(thread);
    expect(pool.idleCount).toBe(1);
    // Taken again before its time: the same thread, and its end is called off.
    expect(pool.take()).toBe(thread);
    expect(pool.idleCount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(exits).toBe(0);
    pool.give(thread);
    await exited;
    expect(pool.idleCount).toBe(0);
  });

  it('keeps at most four idle threads and ends the others', async () => {
    const pool = new ParseThreadPool();
    const threads = Array.from({ length: 5 }, () => pool.take());
    const fifthExited = new Promise<void>((resolve) => threads[4]!.once('exit', () => resolve()));
    for (const thread of threads) pool.give(thread);
    expect(pool.idleCount).toBe(4);
    await fifthExited;
    await Promise.all(threads.slice(0, 4).map((thread) => thread.terminate()));
    expect(pool.idleCount).toBe(0);
  });
});
