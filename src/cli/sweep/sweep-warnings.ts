import type { SweepRunResult } from './sweep-run-result.js';

/**
 * The sweep's lines for its runs' warnings: each distinct warning once, with the runs that gave
 * it (`strategy-canary: warning: runs 1–4, 7: …`, the command line's prefix for a warning), in
 * the order they first appear. A replay's warnings go to its own stderr, which a sweep keeps only
 * for a failed run's error: without this, a warning such as an accounts file's ignored segment
 * column would never reach the user.
 */
export function sweepWarningLines(
  rows: readonly Pick<SweepRunResult, 'index' | 'warnings'>[],
): string[] {
  const runsOf = new Map<string, number[]>();
  for (const row of rows)
    for (const warning of new Set(row.warnings)) {
      const runs = runsOf.get(warning);
      if (runs === undefined) runsOf.set(warning, [row.index]);
      else runs.push(row.index);
    }
  return [...runsOf].map(
    ([warning, runs]) =>
      `strategy-canary: warning: run${runs.length === 1 ? '' : 's'} ${runRanges(runs)}: ${warning}`,
  );
}

/** Run numbers as ranges: `1–4, 7`. */
function runRanges(runs: readonly number[]): string {
  const sorted = [...runs].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
