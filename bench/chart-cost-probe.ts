import { readFileSync } from 'node:fs';
import { renderReportCharts } from '../src/report/render-report-charts.js';
import type { ReportJson } from '../src/report/report-json.js';

/**
 * What report.html's charts cost: the charts of a run's report.json (`replay --out DIR` wrote
 * `DIR/report.json`) drawn `--rounds` times (default 20) after as many of warm-up; prints the mean
 * a report and each chart's SVG size. Every report, and every run of a sweep, pays this.
 *
 *   npm run build && node dist/bench/chart-cost-probe.js DIR/report.json [--rounds N]
 */
const args = process.argv.slice(2);
const file = args[0];
if (file === undefined) throw new Error('usage: chart-cost-probe <report.json> [--rounds N]');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 20;
const report = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;

let totalMs = 0;
let sizes: [string, number][] = [];
for (let pass = 0; pass < 2 * rounds; pass++) {
  const started = performance.now();
  const charts = renderReportCharts(report);
  if (pass < rounds) continue;
  totalMs += performance.now() - started;
  sizes = Object.entries(charts as unknown as Record<string, string>).map(([name, svg]) => [
    name,
    svg.length,
  ]);
}
process.stdout.write(
  `${file}: ${sizes.length} charts, ${(totalMs / rounds).toFixed(1)} ms a report (mean of ${rounds} after ${rounds} of warm-up); SVG ${sizes.map(([name, size]) => `${name} ${size.toLocaleString('en-US')}`).join(', ')} chars\n`,
);
