/** Options that change where results go or how they print, not what they are. */
const OUTPUT_OPTIONS_WITH_VALUE = new Set(['--out']);
const OUTPUT_FLAGS = new Set(['--json', '--no-progress', '--no-fills', '--no-html']);

/** Quotes an argument for a POSIX shell when it needs it (single quotes, `'` escaped). */
function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/u.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that reproduces a run's results, from the arguments it was given: the tool's
 * name, then every argument shell-quoted, output options (`--out DIR`, `--json`, `--no-progress`,
 * `--no-fills`, `--no-html`: where and which files are written, not what is in them) left out, so
 * two runs that differ only in what they wrote where have the same command.
 *
 * @example
 * reproduceCommand(['replay', 'a.gz', '--out', 'runs/x', '--canary-params', '{"k":1}']);
 * // "strategy-canary replay a.gz --canary-params '{\"k\":1}'"
 */
export function reproduceCommand(argv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=', 1)[0]!;
    if (OUTPUT_FLAGS.has(arg)) continue;
    if (OUTPUT_OPTIONS_WITH_VALUE.has(name)) {
      if (!arg.includes('=')) i++; // its value is the next argument
      continue;
    }
    kept.push(shellQuote(arg));
  }
  return ['strategy-canary', ...kept].join(' ');
}
