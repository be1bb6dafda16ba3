import { Command, CommanderError } from 'commander';
import { CanaryError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import type { CliIo } from './cli-io.js';
import { ctlCommand } from './commands/ctl-command.js';
import { generateFeedCommand } from './commands/generate-feed-command.js';
import { replayCommand } from './commands/replay-command.js';
import { reportCommand } from './commands/report-command.js';
import { routeCommand } from './commands/route-command.js';
import { serveCommand } from './commands/serve-command.js';
import { serveFeedCommand } from './commands/serve-feed-command.js';
import { sweepCommand } from './commands/sweep-command.js';
import { workerCommand } from './commands/worker-command.js';

/** Exit codes: the contract scripts rely on (docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_BUG = 1;
export const EXIT_BAD_INPUT = 2;
/** `ctl`: the rollout refused the operator's command (its reason code is printed). */
export const EXIT_REFUSED = 3;

/**
 * Runs the command line and resolves to the exit code: 0 when the command completed, 2 for bad
 * usage or bad input (one line on stderr, with the error code), 1 only for a bug (with the stack).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const output = {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    // Commander's own errors (unknown option, missing argument, bad choice) in the project's
    // format: one line, the tool's name first, the code last.
    outputError: (text: string, write: (text: string) => void) =>
      write(`strategy-canary: ${commanderMessage(text)} [E_USAGE]\n`),
  };
  const program = new Command('strategy-canary')
    .description('Roll out a new version of a trading strategy safely.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput(output);
  for (const command of [
    replayCommand(io, argv),
    reportCommand(io),
    routeCommand(io),
    generateFeedCommand(io),
    serveFeedCommand(io),
    serveCommand(io),
    ctlCommand(io),
    sweepCommand(io),
    workerCommand(io, runCli),
  ]) {
    program.addCommand(command.exitOverride().configureOutput(output));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message (through outputError) or the help / version.
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (error instanceof CanaryError) {
      io.stderr.write(`strategy-canary: ${error.message} [${error.code}]\n`);
      return error.code === 'E_REFUSED' ? EXIT_REFUSED : EXIT_BAD_INPUT;
    }
    io.stderr.write(
      `strategy-canary: internal error, please report it:\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT_BUG;
  }
}

/** Commander's `error: ...` message (maybe with a `(Did you mean ...?)` line) as one line. */
function commanderMessage(text: string): string {
  return text
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ');
}
