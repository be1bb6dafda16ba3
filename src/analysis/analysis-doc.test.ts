import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as defaults from './analysis-defaults.js';
import { REASON_CODES } from './reason-codes.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(REPO, 'docs/analysis.md'), 'utf8');

/** Rows of the markdown table between `<!-- name:begin -->` and `<!-- name:end -->`, header dropped. */
function tableRows(name: string): string[][] {
  const match = new RegExp(`<!-- ${name}:begin -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(DOC);
  if (!match?.[1]) throw new Error(`docs/analysis.md has no ${name} section`);
  return match[1]
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

describe('docs/analysis.md', () => {
  it('lists every reason code, with the meaning the code carries, and no other', () => {
    const rows = tableRows('codes');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(REASON_CODES));
    for (const [code, meaning] of rows) {
      expect(meaning, code).toBe(REASON_CODES[code as keyof typeof REASON_CODES]);
    }
  });

  it('lists every default with its value in analysis-defaults.ts', () => {
    const rows = tableRows('defaults');
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(defaults).sort());
    for (const [name, value] of rows) {
      expect(value, name).toBe(String(defaults[name as keyof typeof defaults]));
    }
  });
});
