import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAllCharts } from './test-support/render-all.js';

describe('chart determinism', () => {
  it('renders the same bytes in a fresh process with another time zone', () => {
    const here = renderAllCharts();
    const module = fileURLToPath(new URL('./test-support/render-all.ts', import.meta.url));
    const script = `const m = await import(${JSON.stringify(module)});
process.stdout.write(JSON.stringify(m.renderAllCharts()));`;
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env: { ...process.env, TZ: 'Asia/Kolkata' }, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const there = JSON.parse(out) as string[];
    expect(there).toHaveLength(6);
    for (let i = 0; i < here.length; i++) expect(there[i]).toBe(here[i]);
  });

  it('renders the same bytes twice in one process', () => {
    expect(renderAllCharts()).toEqual(renderAllCharts());
  });

  it('gives ids that do not clash between the charts of one page', () => {
    const ids = renderAllCharts().flatMap((svg) =>
      [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a whole report of charts well under 2 MB', () => {
    const total = renderAllCharts().reduce((sum, svg) => sum + svg.length, 0);
    expect(total).toBeLessThan(500_000);
  });
});
