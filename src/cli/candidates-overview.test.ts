import { describe, expect, it } from 'vitest';
import type { CandidateSummary, CandidatesJson } from '../report/candidates-json.js';
import { candidatesOverview } from './candidates-overview.js';
import { formatSignificant } from '../report/format-significant.js';

const STATUSES = ['promoted', 'not_chosen', 'rolled_back', 'halted', 'in_progress'] as const;

/** Candidate k (1-based): strategy ids, statuses, weights and estimates of different widths. */
function candidate(k: number): CandidateSummary {
  const status = STATUSES[k % STATUSES.length]!;
  return {
    name: `c${k}`,
    strategy: { id: `${'s'.repeat(1 + (k % 4))}-${k}`, version: `x@${k}.0.0` },
    lane: { index: k - 1, buckets: [0, 1] },
    accounts: 10 * k,
    status,
    rank: status === 'promoted' || status === 'not_chosen' ? k : null,
    finalWeightPct: [0, 5, 10, 100, 2.5][k % 5]!,
    decisions: k,
    evidence:
      k % 3 === 0
        ? null
        : {
            metric: 'edgeBps',
            unit: 'bp',
            estimate: (k % 2 === 0 ? -1 : 1) * k * 0.37,
            ci: k % 4 === 0 ? [null, 2.5] : [-k, k * 1.5],
            n: 100,
            clusters: 10,
            verdict: null,
          },
    dir: null,
  };
}

function candidatesJson(count: number): CandidatesJson {
  const candidates = Array.from({ length: count }, (_, i) => candidate(i + 1));
  return {
    schemaVersion: 1,
    tool: { name: 'strategy-canary', version: '0.0.0' },
    plan: {
      name: 'short',
      source: 'preset',
      hash: 'h',
      primaryMetric: 'edgeBps',
      alphaDividedBy: count,
    },
    inputs: { files: [] },
    stable: { id: 'stable', version: 'stable@1.0.0' },
    outcome: 'promoted',
    winner: 'c5',
    decidedAt: '2024-01-01T00:00:00.000Z',
    candidates,
  };
}

describe('candidatesOverview', () => {
  it.each([2, 10, 12, 105])('lines up every column with %i candidates', (count) => {
    const json = candidatesJson(count);
    const rows = candidatesOverview(json).trimEnd().split('\n').slice(1);
    const candidateRows = rows.slice(-count);
    expect(candidateRows).toHaveLength(count);
    const at = (row: string, text: string, from = 0): number => {
      const i = row.indexOf(text, from);
      expect(i, `${JSON.stringify(text)} in ${JSON.stringify(row)}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const positions = candidateRows.map((row, i) => {
      const c = json.candidates[i]!;
      const name = at(row, `${c.name} `);
      const strategy = at(row, ` ${c.strategy.id} `) + 1;
      const status = at(row, ` ${c.status}`, strategy + c.strategy.id.length) + 1;
      // The weight is right-aligned: its `%` is where the others' are.
      const weight = at(row, ` ${c.finalWeightPct} %`, status + c.status.length) + 1;
      const weightEnd = weight + `${c.finalWeightPct} %`.length;
      const estimate = c.evidence?.estimate;
      const evidence = at(row, formatSignificant(estimate), weightEnd);
      return { name, strategy, status, weightEnd, evidence };
    });
    for (const column of ['name', 'strategy', 'status', 'weightEnd', 'evidence'] as const) {
      const seen = new Set(positions.map((p) => p[column]));
      expect([...seen], column).toHaveLength(1);
    }
    for (const row of rows) expect(row).toBe(row.trimEnd());
  });
});
