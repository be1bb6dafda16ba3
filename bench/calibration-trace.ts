import { calibrationFeeds, calibrationJobs, FAMILIES } from './calibration-scenarios.js';
import { replayCalibrationJob } from './calibration-run.js';

/**
 * How one calibration run's evidence moved: the same replay as `npm run calibrate` (the family
 * whose name starts with FAMILY, on feed FEED: seed, salt and accounts as there), printing at every
 * decision the compared metrics' records (estimate, bounds, margin, buckets or intervals).
 *
 *   npm run build && node dist/bench/calibration-trace.js "kept aside (3)" quotes-103 slippageBps
 *
 * Arguments: FAMILY (name prefix), FEED (label, e.g. trades-201), then metric names (default all).
 */
const [familyPrefix, feedLabel, ...metrics] = process.argv.slice(2);
if (familyPrefix === undefined || feedLabel === undefined) {
  process.stderr.write('usage: calibration-trace FAMILY FEED [METRIC ...]\n');
  process.exit(2);
}
const feeds = await calibrationFeeds();
const feedIndex = feeds.findIndex((f) => f.label === feedLabel);
const familyIndex = FAMILIES.findIndex((f) => f.name.startsWith(familyPrefix));
if (feedIndex < 0 || familyIndex < 0) {
  process.stderr.write(`no feed "${feedLabel}" or no family starting "${familyPrefix}"\n`);
  process.exit(2);
}
// The job with the id, salt and seed it has in the whole calibration.
const job = calibrationJobs(feeds, FAMILIES, 1000)[familyIndex * feeds.length + feedIndex]!;
const { report } = await replayCalibrationJob(job);
process.stdout.write(`${job.family} on ${job.feed}: ${report.outcome}\n`);
let last = '';
for (const decision of report.decisions) {
  const records = decision.reasons.filter(
    (r) => r.metric !== null && (metrics.length === 0 || metrics.includes(r.metric)),
  );
  const text = records.map((r) => `  ${r.message}`).join('\n');
  if (text === last) continue; // print a decision only when its evidence moved
  last = text;
  process.stdout.write(
    `${decision.at} ${decision.fromWeightPct} % ${decision.action}: ${decision.reasons[0]?.code ?? ''}\n${text}\n`,
  );
}
