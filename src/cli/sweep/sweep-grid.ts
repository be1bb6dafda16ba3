import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { OptionKind } from './option-kinds.js';

/**
 * One option's value in a grid: a string (`"--salt": "a"`), `true` for a flag
 * (`"--trades-only": true`), a list for an option given several times (`"--inject": ["…", "…"]`),
 * or `null` for "left out".
 */
export type OptionValue = string | true | null | readonly string[];

/** A sweep grid file (docs/sweep.md): the feeds, the options every run shares, the axes. */
export interface SweepGrid {
  readonly feeds: readonly string[];
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Each axis an option and its values; the runs are every combination, axes in file order. */
  readonly grid: Readonly<Record<string, readonly OptionValue[]>>;
}

/** One run of a sweep: its number (1-based), the axes' values, and the replay's arguments. */
export interface SweepRun {
  readonly index: number;
  readonly parameters: Readonly<Record<string, OptionValue>>;
  /** `replay` arguments without `--out`, `--json` and `--no-progress` (the sweep adds those). */
  readonly argv: readonly string[];
}

/** Options the sweep sets for every run itself. */
const SWEEP_OWNED = new Set(['--out', '--json', '--no-progress', '--progress']);

/** Most runs one sweep may expand to (a typo in a grid should not start a million replays). */
export const MAX_SWEEP_RUNS = 10_000;

const optionValue = z.union([z.string(), z.literal(true), z.null(), z.array(z.string()).min(1)]);
const gridSchema = z.strictObject({
  feeds: z.array(z.string().min(1)).min(1),
  options: z.record(z.string(), optionValue).default({}),
  grid: z.record(z.string(), z.array(optionValue).min(1)).default({}),
});

/**
 * Reads and validates a grid file against the replay command's options (`replayOptions`: each
 * long name and the kind of value it takes, `optionKinds`, option-kinds.ts). Throws ConfigError
 * `E_SWEEP_GRID` naming the file, the field and the value.
 */
export function loadSweepGrid(
  path: string,
  replayOptions: ReadonlyMap<string, OptionKind>,
): SweepGrid {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'E_SWEEP_GRID',
      `${path}: cannot read the grid file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('E_SWEEP_GRID', `${path}: not JSON (${(error as Error).message})`);
  }
  return parseSweepGrid(json, path, replayOptions);
}

/** Validates a parsed grid (see {@link loadSweepGrid}). */
export function parseSweepGrid(
  json: unknown,
  source: string,
  replayOptions: ReadonlyMap<string, OptionKind>,
): SweepGrid {
  const parsed = gridSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Not "grid" at the top: that reads as the grid field's (an unknown top-level key).
    const where = issue?.path.length ? issue.path.join('.') : "the file's top level";
    throw new ConfigError('E_SWEEP_GRID', `${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const grid = parsed.data;
  for (const [field, names] of [
    ['options', Object.keys(grid.options)],
    ['grid', Object.keys(grid.grid)],
  ] as const) {
    for (const name of names) {
      if (SWEEP_OWNED.has(name))
        throw new ConfigError(
          'E_SWEEP_GRID',
          `${source}: ${field}.${name}: the sweep sets ${name} for every run itself`,
        );
      if (!replayOptions.has(name))
        throw new ConfigError(
          'E_SWEEP_GRID',
          `${source}: ${field}.${name}: not an option of strategy-canary replay (long form, e.g. "--salt")`,
        );
    }
  }
  const values = [
    ...Object.entries(grid.options).map(
      ([name, value]) => [`options.${name}`, name, value] as const,
    ),
    ...Object.entries(grid.grid).flatMap(([name, axis]) =>
      axis.map((value, i) => [`grid.${name}[${i}]`, name, value] as const),
    ),
  ];
  for (const [where, name, value] of values) {
    const wrong = misfit(name, replayOptions.get(name)!, value);
    if (wrong !== null) throw new ConfigError('E_SWEEP_GRID', `${source}: ${where}: ${wrong}`);
    // Refused before anything runs: every such run would end without a report.json to summarize.
    if (name === '--candidate' && value !== null)
      throw new ConfigError(
        'E_SWEEP_GRID',
        `${source}: ${where}: a sweep summarizes one rollout per run, and --candidate rolls out several (one report per candidate): sweep each candidate as --canary, or replay the A/B/n rollout alone`,
      );
  }
  const both = Object.keys(grid.grid).find((name) => name in grid.options);
  if (both !== undefined)
    throw new ConfigError(
      'E_SWEEP_GRID',
      `${source}: ${both} is both in options and in grid: keep one`,
    );
  const runs = Object.values(grid.grid).reduce((product, values) => product * values.length, 1);
  if (runs > MAX_SWEEP_RUNS)
    throw new ConfigError(
      'E_SWEEP_GRID',
      `${source}: the grid expands to ${runs.toLocaleString('en-US')} runs, more than ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`,
    );
  return grid;
}

/**
 * Why `value` does not fit option `name` of `kind` (a flag given a string would be read as a
 * feed, an option's value `true` would take the next option as its value, a list given to an
 * option that keeps its last value would drop the others), or null when it fits.
 */
function misfit(name: string, kind: OptionKind, value: OptionValue): string | null {
  if (value === null) return null;
  const given = JSON.stringify(value);
  switch (kind) {
    case 'flag':
      return value === true
        ? null
        : `${name} is a flag: give true (or null to leave it out), not ${given}`;
    case 'value':
      return typeof value === 'string'
        ? null
        : `${name} takes one value: give a string (or null to leave it out), not ${given}`;
    case 'optional-value':
      return typeof value === 'string' || value === true
        ? null
        : `${name} takes at most one value: give a string or true (or null to leave it out), not ${given}`;
    case 'list':
      return value === true
        ? `${name} takes a value: give a string or a list of strings (or null to leave it out), not true`
        : null;
  }
}

/** Every combination of the grid's axes (the first axis varies slowest), as replay arguments. */
export function expandSweepGrid(grid: SweepGrid): SweepRun[] {
  const axes = Object.entries(grid.grid);
  let combinations: Record<string, OptionValue>[] = [{}];
  for (const [name, values] of axes) {
    combinations = combinations.flatMap((partial) =>
      values.map((value) => ({ ...partial, [name]: value })),
    );
  }
  return combinations.map((parameters, i) => ({
    index: i + 1,
    parameters,
    argv: ['replay', ...grid.feeds, ...argumentsOf(grid.options), ...argumentsOf(parameters)],
  }));
}

/**
 * A run's `replay` arguments as the sweep runs them: with `--no-html` added unless `html` (the
 * sweep's `--html`) or the grid says it already. A sweep's runs draw no report.html by default:
 * its six charts were about 40 % of a short replay's time in a sweep, and `strategy-canary report
 * DIR/runs/NNN` draws the same file from the run's report.json when it is wanted (docs/sweep.md).
 */
export function sweepRunArgv(grid: SweepGrid, run: SweepRun, html: boolean): readonly string[] {
  // The grid's own flag, read from its options and the run's axes (not from the arguments, where
  // another option's value could read the same).
  const own = (grid.options['--no-html'] ?? run.parameters['--no-html'] ?? null) !== null;
  return html || own ? run.argv : [...run.argv, '--no-html'];
}

function argumentsOf(options: Readonly<Record<string, OptionValue>>): string[] {
  return Object.entries(options).flatMap(([name, value]) => {
    if (value === null) return [];
    if (value === true) return [name];
    if (typeof value === 'string') return [name, value];
    return value.flatMap((item) => [name, item]);
  });
}

/** A parameter value as a table shows it: `-` when left out, lists joined by `; `. */
export function formatOptionValue(value: OptionValue | undefined): string {
  if (value === null || value === undefined) return '-';
  if (value === true) return 'yes';
  if (typeof value === 'string') return value;
  return value.join('; ');
}
