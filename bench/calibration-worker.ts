import { serveJobs } from '../src/cli/sweep/worker-pool.js';
import { runAbnJob, type AbnJob, type AbnResult } from './calibration-abn.js';
import {
  runCalibrationJob,
  type CalibrationJob,
  type CalibrationResult,
} from './calibration-run.js';

// A calibration worker thread (the sweep's pool, src/cli/sweep/worker-pool.ts): runs each job it
// is given (a two-arm rollout, or an A/B/n one) and posts the result back. The parent spreads the
// jobs over as many workers as the machine has cores.
serveJobs<CalibrationJob | AbnJob, CalibrationResult | AbnResult>((job) =>
  'kind' in job ? runAbnJob(job) : runCalibrationJob(job),
);
