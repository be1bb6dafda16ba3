import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportOutcome } from '../src/report/report-json.js';
import type { BrowserSession } from './browser-harness.js';
import { openInBrowser } from './browser-harness.js';
import { cli, readReport, ROOT, tempDir } from './cli-harness.js';

/**
 * report.html in a real browser (Debian's Chromium): the page a replay writes beside report.json
 * must render every part of the report offline, with no script error and no request for
 * anything but itself. Screenshots go to test-output/report-browser/<case>.png for a human look.
 */

const SPOT_0808 = join('feeds', 'samples', 'spot_btcusdt_20240808.gz');
const SPOT_0809 = join('feeds', 'samples', 'spot_btcusdt_20240809.gz');
const FAST = '{"minHoldMs":3000,"warmupMs":10000}';
const SCREENSHOTS = join(ROOT, 'test-output', 'report-browser');

/** A replay, then report.html in Chromium: slower than the default per-test timeout. */
const TIMEOUT_MS = 120_000;

const SECTIONS = ['verdict', 'comparison', 'timeline', 'charts', 'assumptions', 'decision-log'];
const COMPARISON_ROWS = [
  'accounts',
  'capital',
  'orders',
  'fills',
  'return',
  'max drawdown',
  'latency',
  'slippage',
];
const CHARTS = ['cumulative return', 'drawdown', 'latency', 'slippage', 'exposure'];

interface Case {
  readonly name: string;
  readonly args: (out: string) => string[];
  /** What report.json must say, when the case is about a known outcome. */
  readonly outcome?: ReportOutcome;
}

const CASES: readonly Case[] = [
  {
    name: 'v1-vs-v2-plan-short',
    args: (out) => [
      'replay',
      SPOT_0808,
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@2.0.0',
      '--plan',
      'short',
      '--out',
      out,
    ],
  },
  {
    name: 'aa-promoted',
    args: (out) => [
      'replay',
      SPOT_0808,
      SPOT_0809,
      '--stable',
      'momentum@1.0.0',
      '--canary',
      'momentum@1.0.0',
      '--stable-params',
      FAST,
      '--canary-params',
      FAST,
      '--plan',
      'short',
      '--out',
      out,
    ],
    outcome: 'promoted',
  },
];

/** report.json's outcome as the verdict writes it: `rolled_back` → "rolled back". */
function humanOutcome(outcome: ReportOutcome): string {
  return outcome.replace(/_/g, ' ');
}

/** Lower case, every run of white space (non-breaking too) one space, trimmed. */
function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Non-empty lines of a JSONL file. */
function lineCount(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
}

for (const c of CASES) {
  describe(`report.html in Chromium: ${c.name}`, { timeout: TIMEOUT_MS }, () => {
    let out = '';
    let session: BrowserSession | undefined;

    /** The open report; fails the test clearly if setup did not get that far. */
    function opened(): BrowserSession {
      if (session === undefined) throw new Error('report.html was not opened (see beforeAll)');
      return session;
    }
    const page = (): BrowserSession['page'] => opened().page;

    beforeAll(async () => {
      out = tempDir('sc-report-html-');
      const result = await cli(c.args(out));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const html = join(out, 'report.html');
      expect(existsSync(html), `${html} was written`).toBe(true);
      session = await openInBrowser(html, { screenshotPath: join(SCREENSHOTS, `${c.name}.png`) });
    }, TIMEOUT_MS);

    afterAll(async () => {
      await session?.close();
    });

    it('loads offline: no console errors, no page errors, no request but the file itself', () => {
      expect(opened().consoleErrors).toEqual([]);
      expect(opened().pageErrors).toEqual([]);
      expect(opened().requests).toEqual([]);
    });

    it('has the six sections, each visible, with an <h2> and text', async () => {
      for (const id of SECTIONS) {
        const section = page().locator(`section#${id}`);
        expect(await section.count(), `section#${id}`).toBe(1);
        expect(await section.isVisible(), `section#${id} is visible`).toBe(true);
        expect((await section.innerText()).trim(), `section#${id} text`).not.toBe('');
        const headings = section.locator('h2');
        expect(await headings.count(), `section#${id} h2`).toBeGreaterThanOrEqual(1);
        expect((await headings.first().innerText()).trim(), `section#${id} h2 text`).not.toBe('');
      }
    });

    it('compares the arms side by side: accounts, capital, orders, fills, return, drawdown, latency, slippage', async () => {
      const rows = page().locator('#comparison table tr');
      const firstColumn: string[] = [];
      for (const row of await rows.all()) {
        const cells = row.locator('th, td');
        if ((await cells.count()) === 0) continue;
        firstColumn.push(normalized(await cells.first().innerText()));
      }
      for (const label of COMPARISON_ROWS) {
        expect(
          firstColumn.some((text) => text.includes(label)),
          `a #comparison row for "${label}" (first column: ${JSON.stringify(firstColumn)})`,
        ).toBe(true);
      }
    });

    it('draws the timeline as an SVG', async () => {
      const svg = page().locator('#timeline svg').first();
      expect(await page().locator('#timeline svg').count()).toBeGreaterThanOrEqual(1);
      const box = await svg.boundingBox();
      expect(box, '#timeline svg is rendered').not.toBeNull();
      expect(box!.width).toBeGreaterThan(0);
      expect(box!.height).toBeGreaterThan(0);
    });

    it('draws at least five charts, each an SVG with marks', async () => {
      const figures = await page().locator('#charts figure').all();
      expect(figures.length).toBeGreaterThanOrEqual(5);
      for (const [i, figure] of figures.entries()) {
        const svg = figure.locator('svg').first();
        expect(await figure.locator('svg').count(), `#charts figure ${i + 1} svg`).toBeGreaterThan(
          0,
        );
        const box = await svg.boundingBox();
        expect(box, `#charts figure ${i + 1} svg is rendered`).not.toBeNull();
        expect(box!.width, `#charts figure ${i + 1} svg width`).toBeGreaterThan(0);
        expect(box!.height, `#charts figure ${i + 1} svg height`).toBeGreaterThan(0);
        expect(
          await svg.locator('path, polyline, rect').count(),
          `#charts figure ${i + 1} marks`,
        ).toBeGreaterThan(0);
      }
      // The five charts the report promises: cumulative return, drawdown, latency, slippage,
      // exposure (named in each figure's text: caption, title or labels).
      const texts = await Promise.all(
        figures.map(async (figure) => normalized((await figure.textContent()) ?? '')),
      );
      for (const chart of CHARTS) {
        expect(
          texts.some((text) => text.includes(chart)),
          `a #charts figure about "${chart}"`,
        ).toBe(true);
      }
    });

    it('lists every audit.jsonl line in the decision log', async () => {
      const audit = join(out, 'audit.jsonl');
      expect(existsSync(audit), `${audit} was written`).toBe(true);
      const lines = lineCount(audit);
      expect(lines).toBeGreaterThan(0);
      expect(await page().locator('#decision-log table tbody tr').count()).toBe(lines);
    });

    it("states report.json's outcome in the verdict", async () => {
      const outcome = readReport(out).outcome;
      if (c.outcome !== undefined) expect(outcome).toBe(c.outcome);
      const verdict = normalized(await page().locator('#verdict').innerText());
      expect(verdict).toContain(humanOutcome(outcome));
    });
  });
}
