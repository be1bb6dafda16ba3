import { SingleBar } from 'cli-progress';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runInWorkers } from '../src/cli/sweep/worker-pool.js';
import { BENCH_DIR } from './bench-files.js';
import { ABN_FAMILIES, abnJobs, type AbnJob, type AbnResult } from './calibration-abn.js';
import type { CalibrationJob, CalibrationResult } from './calibration-run.js';
import {
  calibrationFeeds,
  calibrationJobs,
  FAMILIES,
  FEED_MINUTES,
  grossFaultJobs,
  type ScenarioFamily,
} from './calibration-scenarios.js';

/**
 * `npm run calibrate`: the decision rule's error rates and costs on scenarios built to break rules
 * (issue 10, docs/analysis.md "Calibration"): every scenario family of calibration-scenarios.ts on
 * every generated feed (one run per feed and family, each with its own account split, so the
 * Wilson intervals are over independent feeds), plan `standard`, 1,000 accounts; then the gross
 * faults on every bundled real sample with `aggressive`. Prints the table and a verdict per target.
 *
 * Options: `--workers N` (default: the machine's cores), `--quick` (4 feeds per kind: a smoke run,
 * its account splits differ from the whole calibration's), `--without-kept-aside` (skip the families
 * kept aside while designing), `--only REGEX` (families). A subset of families replays exactly
 * their runs in the whole calibration (same salts and seeds).
 */
const args = process.argv.slice(2);
const value = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const WORKERS = Number(value('--workers') ?? availableParallelism());
const QUICK = args.includes('--quick');
const WITHOUT_KEPT_ASIDE = args.includes('--without-kept-aside');
const ONLY = value('--only');
const ACCOUNTS = 1000;
/** The one look of a fixed-horizon test: 45 minutes into the first step (its maximum until issue 10's sixth session). */
const FIXED_HORIZON_MINUTES = 45;

async function runAll(
  jobs: readonly (CalibrationJob | AbnJob)[],
): Promise<(CalibrationResult | AbnResult)[]> {
  const worker = new URL(
    `./calibration-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
    import.meta.url,
  );
  const progress = progressOf(jobs.length);
  let done = 0;
  try {
    // The sweep's worker pool: one thread per core, each taking the next job when it is done.
    // Handed out in the order of their files, so that each worker replays one file many times in
    // a row and parses it once (calibration-feed-cache.ts); the results are sorted by id.
    const byFile = [...jobs].sort((a, b) => {
      const fileA = a.files.join('\n');
      const fileB = b.files.join('\n');
      return fileA < fileB ? -1 : fileA > fileB ? 1 : a.id - b.id;
    });
    const results = await runInWorkers<CalibrationJob | AbnJob, CalibrationResult | AbnResult>(
      worker,
      byFile,
      {
        workers: WORKERS,
        onResult: () => progress.update(++done),
      },
    );
    return results.sort((a, b) => a.id - b.id);
  } finally {
    progress.stop();
  }
}

/**
 * Progress on stderr: a bar on a terminal; otherwise (a log, CI) one line per tenth of the jobs,
 * with the time spent and an estimate of the time left.
 */
function progressOf(total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format:
        'calibration [{bar}] {value}/{total} replays | {duration_formatted} | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const started = performance.now();
  let printed = 0;
  return {
    update: (done) => {
      const tenth = Math.floor((done * 10) / total);
      if (tenth <= printed) return;
      printed = tenth;
      const elapsed = (performance.now() - started) / 1000;
      const left = (elapsed / done) * (total - done);
      process.stderr.write(
        `${done}/${total} replays, ${elapsed.toFixed(0)} s (about ${left.toFixed(0)} s left)\n`,
      );
    },
    stop: () => undefined,
  };
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

const rate = (k: number, n: number): string => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${((100 * k) / Math.max(1, n)).toFixed(1)} % [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
};
const num = (v: number | null, digits = 0): string =>
  v === null
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const started = performance.now();
let feeds = await calibrationFeeds();
if (QUICK) {
  const perKind = new Map<string, number>();
  feeds = feeds.filter((f) => {
    const seen = perKind.get(f.kind) ?? 0;
    perKind.set(f.kind, seen + 1);
    return seen < 4;
  });
}
const families = FAMILIES.filter(
  (f) =>
    !(WITHOUT_KEPT_ASIDE && f.keptAside === true) &&
    (ONLY === undefined || new RegExp(ONLY, 'i').test(f.name)),
);
const synthetic = calibrationJobs(feeds, families, ACCOUNTS);
const gross =
  ONLY === undefined || /gross/i.test(ONLY) ? grossFaultJobs(synthetic.length, ACCOUNTS) : [];
const abnFamilies = ABN_FAMILIES.filter(
  (f) => ONLY === undefined || new RegExp(ONLY, 'i').test(f.name),
);
// A/B/n runs: 3,000 accounts over the lanes (1,000 a lane with three candidates, as two-arm runs).
const abn = abnJobs(feeds, abnFamilies, synthetic.length + gross.length, ACCOUNTS * 3);
const jobs = [...synthetic, ...gross, ...abn];
process.stderr.write(`${jobs.length} replays on ${WORKERS} workers…\n`);
const everything = await runAll(jobs);
const results = everything.filter((r): r is CalibrationResult => !('kind' in r));
const abnResults = everything.filter((r): r is AbnResult => 'kind' in r);
writeFileSync(
  join(BENCH_DIR, 'calibration', 'results.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
writeFileSync(
  join(BENCH_DIR, 'calibration', 'abn-results.json'),
  `${JSON.stringify(abnResults, null, 2)}\n`,
);
const minutes = (performance.now() - started) / 60_000;

const kinds = [...new Set(feeds.map((f) => f.kind))]
  .map((k) => `${feeds.filter((f) => f.kind === k).length} ${k}`)
  .join(', ');
const lines: string[] = [
  `strategy-canary calibration (node ${process.version}): ${families.length} scenario families × ${feeds.length} generated ${FEED_MINUTES}-minute feeds (${kinds}; volatility regimes), one run per feed and family, plan standard, ${ACCOUNTS} accounts; rates with 95 % Wilson intervals over feeds`,
  '',
];
const verdicts: string[] = [];
const check = (label: string, ok: boolean): void => {
  verdicts.push(`${label}: ${ok ? 'OK' : 'MISSED'}`);
};
const byFamily = (family: ScenarioFamily): CalibrationResult[] =>
  results.filter((r) => r.family === family.name);

// Equally good canaries.
lines.push(
  'equally good canary                                    false rollback (any cause)         promoted within the plan            median min to promote  seed 004 rolled back',
);
for (const family of families.filter((f) => f.role === 'null')) {
  const runs = byFamily(family);
  const back = runs.filter((r) => r.outcome === 'rolled_back').length;
  const promoted = runs.filter((r) => r.outcome === 'promoted');
  const naive = runs.filter((r) => r.naiveRollbackMinutes !== null).length;
  lines.push(
    `${family.name.padEnd(54)} ${rate(back, runs.length).padEnd(34)} ${rate(promoted.length, runs.length).padEnd(35)} ${num(median(promoted.map((r) => r.minutes)), 1).padStart(21)}  ${rate(naive, runs.length)}`,
  );
  const others = runs.filter((r) => r.outcome !== 'promoted' && r.outcome !== 'rolled_back');
  const causes = new Map<string, number>();
  for (const r of runs.filter((x) => x.outcome === 'rolled_back'))
    causes.set(
      `rolled back: ${r.endedBy ?? '?'}`,
      (causes.get(`rolled back: ${r.endedBy ?? '?'}`) ?? 0) + 1,
    );
  for (const r of others) {
    const key = `${r.outcome}: ${r.endedBy ?? 'no decision'}`;
    causes.set(key, (causes.get(key) ?? 0) + 1);
  }
  if (causes.size > 0) lines.push(`  ${[...causes].map(([k, v]) => `${v} ${k}`).join('; ')}`);
  check(`${family.name}: false rollback ≤ 5 %`, back / runs.length <= 0.05);
  check(`${family.name}: promoted ≥ 90 %`, promoted.length / runs.length >= 0.9);
}

// Regressions at the margin.
lines.push(
  '',
  "regression at the first step's margin                  any increase                       promoted",
);
for (const family of families.filter((f) => f.role === 'margin')) {
  const runs = byFamily(family);
  const increased = runs.filter((r) => r.anyIncrease).length;
  const promoted = runs.filter((r) => r.outcome === 'promoted').length;
  lines.push(
    `${family.name.padEnd(54)} ${rate(increased, runs.length).padEnd(34)} ${rate(promoted, runs.length)}`,
  );
  check(`${family.name}: P(any increase) ≤ 2.5 %`, increased / runs.length <= 0.025);
}

// At the margin on average, on a share of the accounts.
const shareFamilies = families.filter((f) => f.role === 'margin-share');
if (shareFamilies.length > 0)
  lines.push(
    '',
    'at the margin on a share of the accounts                any increase (not held)            promoted',
  );
for (const family of shareFamilies) {
  const runs = byFamily(family);
  const increased = runs.filter((r) => r.anyIncrease).length;
  const promoted = runs.filter((r) => r.outcome === 'promoted').length;
  lines.push(
    `${family.name.padEnd(54)} ${rate(increased, runs.length).padEnd(34)} ${rate(promoted, runs.length)}`,
  );
  check(`${family.name}: P(promoted) ≤ 2.5 %`, promoted / runs.length <= 0.025);
}

// Regressions at 3× the margin.
lines.push(
  '',
  'regression at 3× the margin                            rolled back                        median min  median canary capital-minutes: ours  seed 004  fixed horizon (one look at 45 min)',
);
for (const family of families.filter((f) => f.role === 'three-times')) {
  const runs = byFamily(family);
  const back = runs.filter((r) => r.outcome === 'rolled_back');
  const naive = runs.filter((r) => r.naiveRollbackMinutes !== null);
  const naiveCost = median(naive.map((r) => r.firstStepCanaryCapital * r.naiveRollbackMinutes!));
  const fixedCost = median(runs.map((r) => r.firstStepCanaryCapital * FIXED_HORIZON_MINUTES));
  lines.push(
    `${family.name.padEnd(54)} ${rate(back.length, runs.length).padEnd(34)} ${num(median(back.map((r) => r.minutes)), 1).padStart(10)}  ${num(median(back.map((r) => r.canaryCapitalMinutes))).padStart(35)}  ${`${num(naiveCost)} (${naive.length}/${runs.length})`.padStart(8)}  ${num(fixedCost).padStart(13)}`,
  );
  check(`${family.name}: rolled back ≥ 95 %`, back.length / runs.length >= 0.95);
}

// The regression that appears only at a higher weight.
for (const family of families.filter((f) => f.role === 'late')) {
  const runs = byFamily(family);
  const within = runs.filter((r) => r.outcome === 'rolled_back' && r.rollbackFromWeightPct === 25);
  const anywhere = runs.filter((r) => r.outcome === 'rolled_back');
  lines.push(
    '',
    `${family.name}: rolled back within the 25 % step ${rate(within.length, runs.length)} (anywhere: ${anywhere.length}), median canary capital-minutes ${num(median(within.map((r) => r.canaryCapitalMinutes)))}`,
  );
  check(
    `${family.name}: rolled back within the 25 % step ≥ 90 %`,
    within.length / runs.length >= 0.9,
  );
}

// Gross faults on the real samples.
if (gross.length > 0) {
  lines.push(
    '',
    'gross faults on the bundled real samples, plan aggressive (first step 5 %, at most 3 minutes)',
  );
  const grossResults = results.filter((r) => r.family.startsWith('gross '));
  for (const r of grossResults) {
    lines.push(
      `  ${r.family.slice(6).padEnd(14)} ${r.feed.padEnd(64)} ${r.outcome.padEnd(12)} ${r.rollbackFromWeightPct === null ? '' : `at ${r.rollbackFromWeightPct} % `}after ${num(r.minutes, 2)} min (${r.endedBy ?? '–'})`,
    );
  }
  // The issue's target (rolled back in the first step, every time) holds the stable strategy as
  // canary, the issue's own run. A different strategy as canary (mean-reversion against momentum)
  // decides at other moments, 1 to 4 times in `aggressive`'s 3-minute first step on these
  // samples: its comparison has 1 to 4 market moments, and no test valid under between-moment
  // noise can show a fault from so few (a sign test over G moments needs 2^G ≥ 1/α, G ≥ 9 at
  // α = 0.0025; docs/analysis.md, "Calibration"). Its target is the safety half: a gross fault
  // never advances (rolled back or halted in the first step, every time); how many were rolled
  // back is printed beside it.
  const stableCanary = grossResults.filter((r) => !r.feed.includes(', canary '));
  const otherCanary = grossResults.filter((r) => r.feed.includes(', canary '));
  const inFirstStep = (r: CalibrationResult): boolean =>
    r.outcome === 'rolled_back' && r.rollbackFromWeightPct === 5;
  if (stableCanary.length > 0) {
    const firstStep = stableCanary.filter(inFirstStep);
    check(
      `gross faults rolled back in the first step, the stable strategy as canary: ${firstStep.length}/${stableCanary.length}`,
      firstStep.length === stableCanary.length,
    );
  }
  if (otherCanary.length > 0) {
    const neverAdvanced = otherCanary.filter((r) => !r.anyIncrease);
    check(
      `gross faults never advanced, a different strategy as canary: ${neverAdvanced.length}/${otherCanary.length} (rolled back in the first step: ${otherCanary.filter(inFirstStep).length}, the rest halted there for a person)`,
      neverAdvanced.length === otherCanary.length,
    );
  }
}

// A/B/n: three or four candidates, each lane at α / N.
if (abnResults.length > 0) {
  lines.push(
    '',
    'A/B/n, N candidates, each in its own lane at α / N (3,000 accounts over the lanes)   a good candidate rolled back   a worse one rolled back   the right one promoted',
  );
  for (const family of abnFamilies) {
    const runs = abnResults.filter((r) => r.family === family.name);
    const good = (r: AbnResult): string[] =>
      Object.keys(r.statuses).filter((name) => !family.worse.includes(name));
    const falseBack = runs.filter((r) => good(r).some((n) => r.statuses[n] === 'rolled_back'));
    const worseBack = runs.filter((r) =>
      family.worse.every((n) => r.statuses[n] === 'rolled_back'),
    );
    const right = runs.filter((r) =>
      family.best === null
        ? r.winner !== null && !family.worse.includes(r.winner)
        : r.winner === family.best,
    );
    lines.push(
      `${family.name.padEnd(78)} ${rate(falseBack.length, runs.length).padEnd(30)} ${(family.worse.length === 0 ? '–' : rate(worseBack.length, runs.length)).padEnd(25)} ${rate(right.length, runs.length)}`,
    );
    const endings = new Map<string, number>();
    for (const r of runs.filter((x) => !right.includes(x))) {
      const key = `winner ${r.winner ?? 'none'} (${Object.entries(r.statuses)
        .map(([n, s]) => `${n} ${s}`)
        .join(', ')})`;
      endings.set(key, (endings.get(key) ?? 0) + 1);
    }
    if (endings.size > 0) lines.push(`  ${[...endings].map(([k, v]) => `${v} × ${k}`).join('; ')}`);
    check(
      `${family.name}: a good candidate falsely rolled back ≤ 5 %`,
      falseBack.length / runs.length <= 0.05,
    );
    if (family.worse.length > 0)
      check(
        `${family.name}: the worse one rolled back ≥ 95 %`,
        worseBack.length / runs.length >= 0.95,
      );
    check(
      `${family.name}: ${family.best === null ? 'a good candidate' : `the best (${family.best})`} promoted ≥ 90 %`,
      right.length / runs.length >= 0.9,
    );
  }
}

lines.push(
  '',
  ...verdicts,
  '',
  `${jobs.length} replays in ${minutes.toFixed(1)} minutes on ${WORKERS} workers`,
);
process.stdout.write(`${lines.join('\n')}\n`);
