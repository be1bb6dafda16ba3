import { fork } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticFeed } from '../feeds/synthetic/index.js';
import { BENCH_DIR } from './bench-files.js';
import type { CalibrationJob, CalibrationResult } from './calibration-run.js';

/**
 * `npm run calibrate`: proves the rollout's error rates with many replays (issue 3).
 * - A/A: the same strategy on both arms, over many salts (account splits) and seeds, on generated
 *   feeds long enough for the `standard` plan: false rollbacks at most 5 % (α), and at least 90 %
 *   of runs promoted within the plan's horizon;
 * - planted regressions on the canary (slippage +3 bp, rejects +2 percentage points, latency
 *   +50 %): rolled back in at least 95 % of runs, with the median canary fills and canary
 *   capital-minutes exposed before the rollback;
 * - seed 004's naive threshold rules judging the same runs, printed beside;
 * - the real BTCUSDT samples with the `short` plan: A/A promotes, each planted regression rolls back.
 * Options: `--aa N` (default 200), `--regressions N` per fault (default 100), `--workers N`
 * (default: the machine's cores), `--quick` (20 and 10).
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const quick = args.includes('--quick');
const AA_RUNS = flag('--aa', quick ? 20 : 200);
const REGRESSION_RUNS = flag('--regressions', quick ? 10 : 100);
const WORKERS = flag('--workers', availableParallelism());
const FEEDS = 10;
const FEED_MINUTES = 150;
const ACCOUNTS = 1000;
const STRATEGY = 'momentum@1.0.0';

const REGRESSIONS: readonly { readonly name: string; readonly inject: string }[] = [
  { name: 'slippage +3 bp', inject: 'canary:slippage=+3bp' },
  { name: 'rejects +2 pp', inject: 'canary:rejects=+2%' },
  { name: 'latency +50 %', inject: 'canary:latency=+50%' },
];

async function calibrationFeeds(): Promise<string[]> {
  const dir = join(BENCH_DIR, 'calibration');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < FEEDS; i++) {
    const seed = 101 + i;
    const path = join(dir, `synthetic-seed${seed}-${FEED_MINUTES}m.csv`);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${FEED_MINUTES} minutes of market data (seed ${seed})…\n`);
      await writeSyntheticFeed(`${path}.tmp`, { seed, minutes: FEED_MINUTES });
      renameSync(`${path}.tmp`, path);
    }
    files.push(path);
  }
  return files;
}

function syntheticJobs(feeds: readonly string[]): CalibrationJob[] {
  const jobs: CalibrationJob[] = [];
  const add = (scenario: string, index: number, inject: readonly string[]): void => {
    jobs.push({
      id: jobs.length,
      scenario,
      files: [feeds[index % feeds.length]!],
      salt: `calibration-${scenario.replace(/[^a-z0-9]+/gi, '-')}-${index}`,
      seed: 1000 + index,
      accounts: ACCOUNTS,
      plan: 'standard',
      planTimeScale: 1,
      strategy: STRATEGY,
      strategyParams: undefined,
      inject,
    });
  };
  for (let i = 0; i < AA_RUNS; i++) add('A/A', i, []);
  for (const regression of REGRESSIONS) {
    for (let i = 0; i < REGRESSION_RUNS; i++) add(regression.name, i, [regression.inject]);
  }
  return jobs;
}

/** The bundled BTCUSDT files, 11 minutes, with the short plan and strategies that decide often. */
function realSampleJobs(firstId: number): CalibrationJob[] {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const files = ['spot_btcusdt_20240808.gz', 'spot_btcusdt_20240809.gz'].map((f) =>
    join(root, 'feeds', 'samples', f),
  );
  const scenarios = [
    { name: 'A/A', inject: [] as string[] },
    ...REGRESSIONS.map((r) => ({ name: r.name, inject: [r.inject] })),
  ];
  return scenarios.map((s, i) => ({
    id: firstId + i,
    scenario: `real: ${s.name}`,
    files,
    salt: 'strategy-canary',
    seed: 1,
    accounts: ACCOUNTS,
    plan: 'short',
    planTimeScale: 1,
    strategy: STRATEGY,
    strategyParams: { minHoldMs: 3000, warmupMs: 10000 },
    inject: s.inject,
  }));
}

async function runAll(jobs: readonly CalibrationJob[]): Promise<CalibrationResult[]> {
  const worker = fileURLToPath(new URL('./calibration-worker.js', import.meta.url));
  const results: CalibrationResult[] = [];
  const queue = [...jobs];
  const started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(WORKERS, jobs.length)) }, async () => {
      const child = fork(worker, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          const current = job;
          const result = await new Promise<CalibrationResult>((resolve, reject) => {
            child.once(
              'message',
              (message: { ok: boolean; result?: CalibrationResult; error?: string }) => {
                if (message.ok && message.result !== undefined) resolve(message.result);
                else
                  reject(
                    new Error(`job ${current.id} (${current.scenario}) failed:\n${message.error}`),
                  );
              },
            );
            child.send(current);
          });
          results.push(result);
          done++;
          const elapsed = (performance.now() - started) / 1000;
          process.stderr.write(
            `\r${done}/${jobs.length} replays, ${elapsed.toFixed(0)} s (~${((elapsed / done) * (jobs.length - done)).toFixed(0)} s left)   `,
          );
        }
      } finally {
        child.send('exit');
      }
    }),
  );
  process.stderr.write('\n');
  return results.sort((a, b) => a.id - b.id);
}

/** Wilson score interval of a proportion, 95 %. */
function wilson(successes: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pct = (k: number, n: number): string => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${((100 * k) / Math.max(1, n)).toFixed(1)} % [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
};
const num = (v: number | null, digits = 0): string =>
  v === null
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const feeds = await calibrationFeeds();
const synthetic = syntheticJobs(feeds);
const jobs = [...synthetic, ...realSampleJobs(synthetic.length)];
process.stderr.write(`${jobs.length} replays on ${WORKERS} workers…\n`);
const results = await runAll(jobs);
writeFileSync(
  join(BENCH_DIR, 'calibration', 'results.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);

const lines: string[] = [];
lines.push(
  `strategy-canary calibration (node ${process.version}): ${AA_RUNS} A/A and ${REGRESSION_RUNS} runs per planted regression on ${FEEDS} generated ${FEED_MINUTES}-minute feeds, plan standard, ${ACCOUNTS} accounts, ${STRATEGY} on both arms; rates with 95 % Wilson intervals`,
  '',
);
const verdicts: string[] = [];
const aa = results.filter((r) => r.scenario === 'A/A');
const aaRolledBack = aa.filter((r) => r.outcome === 'rolled_back').length;
const aaPromoted = aa.filter((r) => r.outcome === 'promoted').length;
const aaNaive = aa.filter((r) => r.naiveRolledBack).length;
lines.push(`A/A (${aa.length} runs)`);
lines.push(`  false rollback             ${pct(aaRolledBack, aa.length)}   target ≤ 5 %`);
lines.push(`  promoted within the plan   ${pct(aaPromoted, aa.length)}   target ≥ 90 %`);
lines.push(
  `  median minutes to promote  ${num(median(aa.filter((r) => r.outcome === 'promoted').map((r) => r.minutes)), 1)}`,
);
lines.push(`  seed 004's rules would have rolled back: ${pct(aaNaive, aa.length)}`);
const other = aa.filter((r) => r.outcome !== 'promoted' && r.outcome !== 'rolled_back');
if (other.length > 0) {
  const ends = new Map<string, number>();
  for (const r of other)
    ends.set(
      `${r.outcome} (${r.endedBy ?? 'no decision'})`,
      (ends.get(`${r.outcome} (${r.endedBy ?? 'no decision'})`) ?? 0) + 1,
    );
  lines.push(`  neither: ${[...ends].map(([k, v]) => `${v} ${k}`).join(', ')}`);
}
verdicts.push(
  aaRolledBack / aa.length <= 0.05
    ? 'A/A false rollback ≤ 5 %: OK'
    : 'A/A false rollback ≤ 5 %: MISSED',
);
verdicts.push(
  aaPromoted / aa.length >= 0.9 ? 'A/A promoted ≥ 90 %: OK' : 'A/A promoted ≥ 90 %: MISSED',
);
lines.push('');
lines.push(
  'planted regression       rolled back                     median canary fills  median capital-minutes  median minutes  seed 004 rolled back',
);
for (const regression of REGRESSIONS) {
  const runs = results.filter((r) => r.scenario === regression.name);
  const back = runs.filter((r) => r.outcome === 'rolled_back');
  const naive = runs.filter((r) => r.naiveRolledBack).length;
  lines.push(
    `${regression.name.padEnd(24)} ${pct(back.length, runs.length).padEnd(31)} ${num(median(back.map((r) => r.canaryFills))).padStart(19)}  ${num(median(back.map((r) => r.canaryCapitalMinutes))).padStart(22)}  ${num(median(back.map((r) => r.minutes)), 1).padStart(14)}  ${pct(naive, runs.length)}`,
  );
  verdicts.push(
    `${regression.name} rolled back ≥ 95 %: ${back.length / runs.length >= 0.95 ? 'OK' : 'MISSED'}`,
  );
}
lines.push('');
lines.push(
  'real BTCUSDT samples (2 files, 11 minutes), plan short, momentum@1.0.0 with minHoldMs 3 s',
);
for (const r of results.filter((x) => x.scenario.startsWith('real: '))) {
  const expected = r.scenario === 'real: A/A' ? 'promoted' : 'rolled_back';
  lines.push(
    `  ${r.scenario.slice(6).padEnd(16)} ${r.outcome.padEnd(12)} after ${num(r.minutes, 1)} min (${r.endedBy ?? '–'}), canary capital-minutes ${num(r.canaryCapitalMinutes)}`,
  );
  verdicts.push(
    `real ${r.scenario.slice(6)} ${expected}: ${r.outcome === expected ? 'OK' : 'MISSED'}`,
  );
}
lines.push('', ...verdicts);
process.stdout.write(`${lines.join('\n')}\n`);
