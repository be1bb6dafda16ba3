import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.js';

/** A progress bar on stderr, shown only when both stdout and stderr are terminals. */
export interface ProgressBar {
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: ProgressBar = { update: () => undefined, stop: () => undefined };

/**
 * A bar for `total` units (bytes of input, events to generate…), or a silent stand-in when the
 * output is piped, captured by CI (`CI` set) or explicitly disabled.
 */
export function createProgressBar(
  io: CliIo,
  total: number,
  label: string,
  options: { readonly enabled?: boolean; readonly unit?: 'bytes' | 'events' | 'runs' } = {},
): ProgressBar {
  const enabled = options.enabled ?? true;
  if (!enabled || !io.stdoutIsTTY || !io.stderrIsTTY || process.env['CI'] || total <= 0) {
    return NO_PROGRESS;
  }
  const unit = options.unit ?? 'bytes';
  const bar = new SingleBar({
    stream: io.stderr as NodeJS.WritableStream,
    format: `${label} [{bar}] {percentage}% | {amount} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    fps: 10,
    etaBuffer: 50,
  });
  const amount = (done: number): string =>
    unit === 'bytes'
      ? `${(done / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB`
      : `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}`;
  bar.start(total, 0, { amount: amount(0) });
  return {
    update: (done) => bar.update(Math.min(done, total), { amount: amount(done) }),
    stop: () => bar.stop(),
  };
}
