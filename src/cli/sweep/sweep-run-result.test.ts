import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSweepRunResult } from './sweep-run-result.js';

describe('readSweepRunResult', () => {
  it("counts a segmented plan's run as failed, saying where its segments' reports are", () => {
    const outDir = mkdtempSync(join(tmpdir(), 'sweep-row-'));
    writeFileSync(join(outDir, 'segments.json'), '{}');
    const row = readSweepRunResult({ index: 3, argv: [], outDir }, 0, '', 12);
    expect(row).toMatchObject({ index: 3, exitCode: 2, outcome: null, wallMs: 12 });
    expect(row.error).toMatch(/rolls out per segment: its segments' reports are in .*segments /);
  });

  it('counts an A/B/n run as failed the same way', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'sweep-row-'));
    writeFileSync(join(outDir, 'candidates.json'), '{}');
    const row = readSweepRunResult({ index: 4, argv: [], outDir }, 0, '', 12);
    expect(row).toMatchObject({ exitCode: 2, outcome: null });
    expect(row.error).toMatch(/several candidates: its candidates' reports are in .*candidates /);
  });

  it("keeps a failed replay's own error line", () => {
    const row = readSweepRunResult(
      { index: 1, argv: [], outDir: '/nonexistent' },
      2,
      'noise\nstrategy-canary: bad input [E_USAGE]\n',
      5,
    );
    expect(row).toMatchObject({ exitCode: 2, error: 'strategy-canary: bad input [E_USAGE]' });
  });
});
