import { describe, expect, it } from 'vitest';
import { readSweepRunResult } from './sweep-run-result.js';
import { sweepWarningLines } from './sweep-warnings.js';

describe('sweepWarningLines', () => {
  it('says each distinct warning once, with its runs as ranges, in order of first appearance', () => {
    const rows = [
      { index: 1, warnings: ['segments ignored'] },
      { index: 2, warnings: ['segments ignored', 'slow canary'] },
      { index: 3, warnings: ['segments ignored', 'segments ignored'] },
      { index: 5, warnings: ['segments ignored'] },
      { index: 6, warnings: [] },
    ];
    expect(sweepWarningLines(rows)).toEqual([
      'strategy-canary: warning: runs 1–3, 5: segments ignored',
      'strategy-canary: warning: run 2: slow canary',
    ]);
    expect(sweepWarningLines([{ index: 1, warnings: [] }])).toEqual([]);
  });
});

describe('readSweepRunResult', () => {
  it("keeps a failed run's warning lines beside its error, which is not one of them", () => {
    const job = { index: 4, argv: [], outDir: '/nonexistent' };
    const stderr =
      'strategy-canary: warning: --accounts a.csv: its segment column is ignored\n' +
      'strategy-canary: no such strategy [E_STRATEGY_UNKNOWN]\n';
    expect(readSweepRunResult(job, 2, stderr, 10)).toMatchObject({
      exitCode: 2,
      error: 'strategy-canary: no such strategy [E_STRATEGY_UNKNOWN]',
      warnings: ['--accounts a.csv: its segment column is ignored'],
    });
  });
});
