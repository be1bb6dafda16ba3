/** What {@link stopOnSignals} gives a command. */
export interface CommandStop {
  /** Aborts when the command is to stop; its reason is the error the command ends with. */
  readonly signal: AbortSignal;
  /** Removes the handlers: call it once the command is done, whatever happened. */
  release(): void;
}

/** How a command stops: see {@link stopOnSignals}. */
export interface StopOptions {
  /** The error the command ends with when Ctrl-C (SIGINT) or SIGTERM stops it. */
  readonly reason: (signal: NodeJS.Signals) => Error;
  /** Said once the signal has aborted (a line on stderr): by then no work left is kept. */
  readonly said?: (signal: NodeJS.Signals) => void;
  /**
   * When given, an uncaught exception or unhandled rejection (an error thrown outside the
   * command's own calls, by a strategy module's timer say) stops the command too, with the error
   * this makes of it, instead of ending the process with its output half written.
   */
  readonly outsideError?: (error: unknown) => Error;
}

/**
 * Lets a long command stop cleanly: the first Ctrl-C (SIGINT) or SIGTERM aborts the returned
 * signal (the command stops at its next step, keeps or removes what it wrote, and ends with the
 * reason: `E_INTERRUPTED`, exit 130); with the handlers then gone, a second one ends the process
 * at once (Node's default).
 */
export function stopOnSignals(options: StopOptions): CommandStop {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controller.abort(options.reason(signal));
    options.said?.(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const { outsideError } = options;
  const onOutside =
    outsideError === undefined
      ? null
      : (error: unknown): void => controller.abort(outsideError(error));
  if (onOutside !== null) {
    process.on('uncaughtException', onOutside);
    process.on('unhandledRejection', onOutside);
  }
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (onOutside !== null) {
        process.off('uncaughtException', onOutside);
        process.off('unhandledRejection', onOutside);
      }
    },
  };
}
