import { runCalibrationJob, type CalibrationJob } from './calibration-run.js';

// A calibration worker process: receives jobs from the parent over IPC, one at a time, and sends
// each result back. The parent spreads the jobs over as many workers as the machine has cores.
process.on('message', (message: CalibrationJob | 'exit') => {
  if (message === 'exit') {
    process.exit(0);
  }
  runCalibrationJob(message).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) =>
      process.send?.({
        ok: false,
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
