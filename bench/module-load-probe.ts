import { spawnSync } from 'node:child_process';

/**
 * How long loading a module takes in a fresh process, for the ECharts choice of
 * src/report/charts/echarts-svg.ts: its modular build (`echarts/core` and the parts we use)
 * against its prebuilt bundle. Best of 5 fresh processes each.
 *
 *   npm run build && node dist/bench/module-load-probe.js
 */
const CANDIDATES: Record<string, string> = {
  'echarts modular (core, line chart, grid, legend, SVG)': `await Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]);`,
  'echarts prebuilt bundle': `await import('echarts/dist/echarts.esm.min');`,
};

for (const [name, code] of Object.entries(CANDIDATES)) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); ${code} console.log(performance.now() - t);`,
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    best = Math.min(best, Number(run.stdout.trim()));
  }
  process.stdout.write(`${name.padEnd(56)} ${best.toFixed(0)} ms\n`);
}
