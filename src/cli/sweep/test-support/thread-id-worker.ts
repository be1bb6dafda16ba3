/**
 * A pool worker for worker-pool.test.ts: answers each job with its thread's id; the job `'exit'`
 * ends the thread instead, `'throw'` fails the job, `'throw-later'` answers, then throws an
 * uncaught error while the thread is idle, and `'hang'` never answers.
 */
import { threadId } from 'node:worker_threads';
import { serveJobs } from '../worker-pool.js';

serveJobs<string, number>(async (job) => {
  if (job === 'exit') process.exit(3);
  if (job === 'throw') throw new Error('the job failed');
  if (job === 'hang') return new Promise<number>(() => undefined);
  if (job === 'throw-later')
    setTimeout(() => {
      throw new Error('an error after the job');
    }, 50);
  return Promise.resolve(threadId);
});
