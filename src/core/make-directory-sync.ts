import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates the directory `path` and its missing parents one level at a time, synchronously: Node's
 * recursive mkdir spins forever under /proc (sync or not), deaf to signals. Throws the cause
 * (ENOENT, EACCES, ENOTDIR for a file in the way).
 */
export function makeDirectorySync(path: string): void {
  const absolute = resolve(path);
  if (statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === true) return;
  const parent = dirname(absolute);
  if (parent !== absolute) makeDirectorySync(parent);
  try {
    mkdirSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
