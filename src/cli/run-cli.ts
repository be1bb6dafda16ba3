import { Command, CommanderError } from 'commander';
import { CanaryError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import type { CliIo } from './cli-io.js';

/**
 * The commands by name, in the order the help lists them, each module loaded only when used: a
 * command's modules are most of a run's start-up (`replay` alone loads in about 0.33 s against
 * 0.43 s for all of them, which bring the servers, NATS and WebSocket clients), and every sweep
 * worker starts the same way.
 */
const COMMANDS: readonly (readonly [
  name: string,
  load: (io: CliIo, argv: readonly string[]) => Promise<Command>,
])[] = [
  [
    'replay',
    async (io, argv) => (await import('./commands/replay-command.js')).replayCommand(io, argv),
  ],
  ['report', async (io) => (await import('./commands/report-command.js')).reportCommand(io)],
  ['route', async (io) => (await import('./commands/route-command.js')).routeCommand(io)],
  [
    'generate-feed',
    async (io) => (await import('./commands/generate-feed-command.js')).generateFeedCommand(io),
  ],
  [
    'serve-feed',
    async (io) => (await import('./commands/serve-feed-command.js')).serveFeedCommand(io),
  ],
  ['serve', async (io) => (await import('./commands/serve-command.js')).serveCommand(io)],
  ['ctl', async (io) => (await import('./commands/ctl-command.js')).ctlCommand(io)],
  ['sweep', async (io) => (await import('./commands/sweep-command.js')).sweepCommand(io)],
  [
    'worker',
    async (io) => (await import('./commands/worker-command.js')).workerCommand(io, runCli),
  ],
];

/** Exit codes: the contract scripts rely on (docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_BUG = 1;
export const EXIT_BAD_INPUT = 2;
/** `ctl`: the rollout refused the operator's command (its reason code is printed). */
export const EXIT_REFUSED = 3;
/**
 * A command stopped cleanly by Ctrl-C (SIGINT) or SIGTERM (`replay`, `generate-feed`, `sweep`):
 * 128 + 2, the shell's status for SIGINT.
 */
export const EXIT_INTERRUPTED = 130;

/**
 * Runs the command line and resolves to the exit code: 0 when the command completed, 2 for bad
 * usage or bad input (one line on stderr, with the error code), 130 when stopped by a signal,
 * 1 only for a bug (with the stack).
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
  // The named command alone when the first argument names one; every command otherwise (the
  // help, the version, a misspelled command and its suggestion need them all).
  const named = COMMANDS.find(([name]) => name === argv[0]);
  for (const [, load] of named === undefined ? COMMANDS : [named]) {
    const command = await load(io, argv);
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
      if (error.code === 'E_INTERRUPTED') return EXIT_INTERRUPTED;
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
