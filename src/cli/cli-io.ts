/** Where the CLI writes, and what it knows of its terminal; injectable so tests run it in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** True when stdout is a terminal (progress bars and colours only then). */
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** The process's current directory, to resolve relative paths in messages. */
  readonly cwd: string;
}

/** The real process's streams. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
