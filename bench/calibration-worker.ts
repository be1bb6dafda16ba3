import { serveJobs } from '../src/cli/sweep/worker-pool.js';
import {
  runCalibrationJob,
  type CalibrationJob,
  type CalibrationResult,
} from './calibration-run.js';

// A calibration worker thread (the sweep's pool, src/cli/sweep/worker-pool.ts): runs each job it
// is given and posts the result back. The parent spreads the jobs over as many workers as the
// machine has cores.
serveJobs<CalibrationJob, CalibrationResult>(runCalibrationJob);
