import type { Command } from 'commander';

/**
 * How a command-line option takes a value, as a grid must give it (docs/sweep.md): `flag` takes
 * none (`true`), `value` one string, `optional-value` a string or none, `list` a string or a list
 * of strings (variadic, or repeatable: an accumulator into an array default, as `--inject`).
 */
export type OptionKind = 'flag' | 'value' | 'optional-value' | 'list';

/** Each long option of `command` and its kind, read from the command's own definition. */
export function optionKinds(command: Command): ReadonlyMap<string, OptionKind> {
  const kinds = new Map<string, OptionKind>();
  for (const option of command.options) {
    if (option.long === undefined) continue;
    const kind: OptionKind =
      option.variadic || Array.isArray(option.defaultValue)
        ? 'list'
        : option.required
          ? 'value'
          : option.optional
            ? 'optional-value'
            : 'flag';
    kinds.set(option.long, kind);
  }
  return kinds;
}
