/**
 * A pool worker for worker-pool.test.ts: answers each job with its thread's id; the job `'exit'`
 * ends the thread instead, and `'throw'` fails the job.
 */
import { threadId } from 'node:worker_threads';
import { serveJobs } from '../worker-pool.js';

serveJobs<string, number>(async (job) => {
  if (job === 'exit') process.exit(3);
  if (job === 'throw') throw new Error('the job failed');
  return Promise.resolve(threadId);
});
