import { readFileSync } from 'node:fs';
import { optionValue } from './build-under-test.js';

/**
 * Where a thread's time went, from a V8 CPU profile (`node --cpu-prof`, one `.cpuprofile` file per
 * thread): self time summed by the project's folder (`src/ledger`, `feeds`, `strategies/momentum`…;
 * V8's own entries such as `(garbage collector)` and `(idle)` by name, Node's and the packages'
 * code as `node and packages`) and by function, largest first. `--from-ms N` leaves out the first
 * N ms of the profile (the cold runs of `replay-runs.js --runs K`, so that the figures are the warm
 * runs'); `--top K` functions (default 30); `--folder NAME` lists only that folder's functions
 * (`--folder 'node and packages'`). Divide by the runs or the fills the window holds for a cost
 * per run or per fill.
 *
 *   node --cpu-prof --cpu-prof-dir=DIR dist/bench/replay-runs.js --runs 6
 *   node dist/bench/profile-summary.js DIR/CPU.….001.cpuprofile --from-ms 3000
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const args = process.argv.slice(2);
const file = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (file === undefined) {
  process.stderr.write(
    'usage: profile-summary.js PROFILE.cpuprofile [--from-ms N] [--top K] [--folder NAME]\n',
  );
  process.exit(2);
}
const fromUs = Number(optionValue(args, '--from-ms') ?? 0) * 1000;
const top = Number(optionValue(args, '--top') ?? 30);
const onlyFolder = optionValue(args, '--folder');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const frames = new Map<number, CallFrame>();
for (const node of profile.nodes) frames.set(node.id, node.callFrame);

/** The project folder of a frame's script (`src/ledger`), or what V8 or Node calls it. */
function folderOf(frame: CallFrame): string {
  const at = frame.url.lastIndexOf('/dist/');
  if (at >= 0 && !frame.url.includes('/node_modules/')) {
    const path = frame.url.slice(at + '/dist/'.length);
    return path.slice(0, Math.max(0, path.lastIndexOf('/'))) || path;
  }
  return frame.url === '' && frame.functionName.startsWith('(')
    ? frame.functionName
    : 'node and packages';
}

const byFolder = new Map<string, number>();
const byFunction = new Map<string, number>();
let elapsedUs = 0;
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i]!;
  elapsedUs += delta;
  if (elapsedUs < fromUs) continue;
  const frame = frames.get(profile.samples[i]!)!;
  const script = frame.url.slice(frame.url.lastIndexOf('/') + 1);
  const name = `${frame.functionName || '(anonymous)'}${script === '' ? '' : ` ${script}:${frame.lineNumber + 1}`}`;
  const folder = folderOf(frame);
  byFolder.set(folder, (byFolder.get(folder) ?? 0) + delta);
  if (onlyFolder === undefined || folder === onlyFolder)
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  totalUs += delta;
}

const ms = (us: number): string => (us / 1000).toFixed(1).padStart(9);
const largest = (totals: Map<string, number>, count: number): string =>
  [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([what, us]) => `${ms(us)} ms  ${what}\n`)
    .join('');
process.stdout.write(
  `${file}: ${ms(totalUs).trim()} ms sampled from ${fromUs / 1000} ms on\n\nby folder (self time)\n` +
    largest(byFolder, byFolder.size) +
    `\nby function (self time, the ${top} largest${onlyFolder === undefined ? '' : ` in ${onlyFolder}`})\n` +
    largest(byFunction, top),
);
