import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { sha256OfFile } from '../../core/file-digests.js';
import type { SweepGrid } from './sweep-grid.js';

/** The file in a sweep's `--out` with the sha256 of each of its input files (for `--resume`). */
export const SWEEP_INPUTS_FILE = 'inputs.json';

/** Each input file's hex sha256, by the path the grid names it by. */
export type SweepInputDigests = Readonly<Record<string, string>>;

/**
 * The sha256 of every file the grid names: its feeds and each option value that is a regular file
 * (a plan, an accounts file, a strategy module, an operator script), by path as given (relative to
 * the current directory, as the runs read them). Values that name no regular file are left out.
 */
export async function sweepInputDigests(grid: SweepGrid): Promise<SweepInputDigests> {
  const values = [...Object.values(grid.options), ...Object.values(grid.grid).flat()];
  const paths = new Set([
    ...grid.feeds,
    ...values.flatMap((value) =>
      typeof value === 'string' ? [value] : value === null || value === true ? [] : value,
    ),
  ]);
  const digests: Record<string, string> = {};
  for (const path of paths) {
    const digest = await digestOf(path);
    if (digest !== null) digests[path] = digest;
  }
  return digests;
}

/** `inputs.json`'s text. */
export function sweepInputsText(digests: SweepInputDigests): string {
  return `${JSON.stringify({ note: 'sha256 of the input files the sweep began with: --resume checks them', files: digests }, null, 2)}\n`;
}

/**
 * Checks that every input file of the sweep in `outDir` is as it was when the sweep began, so that
 * `--resume` never mixes runs on two versions of a file.
 * @throws UsageError `E_USAGE` naming the first file that changed or is gone, or when `outDir`
 * has no readable `inputs.json`.
 */
export async function checkSweepInputs(outDir: string): Promise<void> {
  const path = join(outDir, SWEEP_INPUTS_FILE);
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown }).files;
  } catch {
    recorded = undefined;
  }
  if (typeof recorded !== 'object' || recorded === null)
    throw new UsageError(
      `sweep --resume: ${outDir} has no readable ${SWEEP_INPUTS_FILE} (the sha256 of the input files, written as a sweep begins): its runs cannot be checked against the files as they are now; sweep again with a new --out`,
    );
  for (const [file, digest] of Object.entries(recorded)) {
    const now = await digestOf(file);
    if (now !== digest)
      throw new UsageError(
        `sweep --resume: ${file} ${now === null ? 'is gone' : 'changed'} since the sweep in ${outDir} began (sha256 ${String(digest)} in ${SWEEP_INPUTS_FILE}): its finished runs read the file as it was; put it back, or sweep again with a new --out`,
      );
  }
}

/** A regular file's sha256, or null when `path` names none (or it cannot be read). */
async function digestOf(path: string): Promise<string | null> {
  try {
    if (!statSync(path).isFile()) return null;
    return await sha256OfFile(path);
  } catch {
    return null;
  }
}
