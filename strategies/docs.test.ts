import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listStrategies } from './registry.js';
import type { BundledReason } from './shared/target-position.js';
import { strategyId } from './strategy-id.js';

const DOC = readFileSync(fileURLToPath(new URL('../docs/strategies.md', import.meta.url)), 'utf8');

/** The `| \`param\` | default | …` rows of the table under the `### \`id\`` heading. */
function documentedDefaults(id: string): Map<string, number> {
  const start = DOC.indexOf(`### \`${id}\``);
  expect(start, `docs/strategies.md has a section for ${id}`).toBeGreaterThanOrEqual(0);
  const end = DOC.indexOf('\n#', start + 1);
  const section = DOC.slice(start, end < 0 ? undefined : end);
  const rows = new Map<string, number>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (name !== undefined) rows.set(name, Number(cells[2]));
  }
  return rows;
}

const EVENT_SOURCE = readFileSync(
  fileURLToPath(new URL('../src/core/market-event.ts', import.meta.url)),
  'utf8',
);

describe('docs/strategies.md', () => {
  it('shows every field of both market event types, with the discriminant', () => {
    const fields = [...EVENT_SOURCE.matchAll(/^\s+readonly (\w+)[?]?:/gm)].map((m) => m[1]!);
    expect(fields).toContain('bidPriceNum');
    for (const field of new Set(fields)) {
      expect(DOC, field).toMatch(new RegExp(`readonly ${field}\\??:`));
    }
    expect(DOC).toContain("readonly type: 'trade'");
    expect(DOC).toContain("readonly type: 'quote'");
    // Where the helpers come from, not only their names.
    expect(DOC).toMatch(
      /Helpers, from\s+`strategy-canary\/strategies`[^:]*:\s+`referencePrice\(event\)`/,
    );
  });

  for (const definition of listStrategies()) {
    const id = strategyId(definition);
    it(`documents every parameter of ${id} with its actual default`, () => {
      const defaults = definition.parseParams(undefined) as Record<string, unknown>;
      expect(Object.fromEntries(documentedDefaults(id))).toEqual(defaults);
    });
  }

  it('lists every reason code the bundled strategies use', () => {
    // A Record over the type: adding a reason code without documenting it fails to compile here.
    const reasons: Record<BundledReason, true> = {
      'entry-long': true,
      'entry-short': true,
      'scale-in': true,
      exit: true,
      'take-profit': true,
      'stop-loss': true,
    };
    for (const reason of Object.keys(reasons)) expect(DOC).toContain(`| \`${reason}\``);
  });
});
