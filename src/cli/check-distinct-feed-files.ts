import { realpathSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

/**
 * Refuses a feed file given twice (the same path, or two paths to one file): merged with itself,
 * it would replay every event twice. A file that cannot be resolved (missing) is left to the
 * replay to report.
 * @throws UsageError `E_USAGE` naming the file and both arguments.
 */
export function checkDistinctFeedFiles(files: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      continue;
    }
    const first = seen.get(real);
    if (first !== undefined)
      throw new UsageError(
        `${real}: this feed file is given twice (${first === file ? `as ${file} twice` : `as ${first} and as ${file}`}); merged with itself it would replay every event twice`,
      );
    seen.set(real, file);
  }
}
