import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, type ZlibOptions } from 'node:zlib';
import { FILLS_GZIP } from '../src/cli/fills-file.js';
import { BENCH_DIR, benchTradesFeed } from './bench-files.js';

/**
 * What gzipping a large fills.csv costs (`replay --out` gzips one over 64 MiB after the replay,
 * and the run waits for it): zlib's defaults (level 6, a file stream's 64 KiB reads, 16 KiB
 * chunks) against `FILLS_GZIP` (src/cli/fills-file.ts), each the best of `--rounds` (default 3),
 * in turns, with the size each gives. FILE defaults to the fills.csv of `replay` on the bench's
 * 1M-line trades CSV (made once into .bench/fills-trades-1000000/, gunzipped).
 *
 *   npm run build && node dist/bench/fills-gzip-probe.js [FILE] [--rounds N]
 */
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
const given = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--rounds');
const file = given ?? (await tradesFills());

const ways: [string, ZlibOptions, number][] = [
  ['zlib defaults', {}, 1 << 16],
  [
    `level ${FILLS_GZIP.level}, FILLS_GZIP`,
    { level: FILLS_GZIP.level, chunkSize: FILLS_GZIP.chunkBytes },
    FILLS_GZIP.readBytes,
  ],
];
const best = ways.map(() => Number.POSITIVE_INFINITY);
const sizes = ways.map(() => 0);
const out = join(BENCH_DIR, 'fills-gzip-probe.gz');
for (let round = 0; round < rounds; round++) {
  for (const [k, [, options, readBytes]] of ways.entries()) {
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: readBytes }),
      createGzip(options),
      createWriteStream(out),
    );
    best[k] = Math.min(best[k]!, performance.now() - started);
    sizes[k] = statSync(out).size;
  }
}
rmSync(out, { force: true });
process.stdout.write(
  `${file} (${statSync(file).size.toLocaleString('en-US')} bytes), best of ${rounds}:\n`,
);
for (const [k, [name]] of ways.entries()) {
  process.stdout.write(
    `${name.padEnd(24)} ${best[k]!.toFixed(0).padStart(5)} ms  ${sizes[k]!.toLocaleString('en-US')} bytes\n`,
  );
}

/** The fills.csv of `replay` on the bench's trades CSV, made once (gunzipped). */
async function tradesFills(): Promise<string> {
  const dir = join(BENCH_DIR, 'fills-trades-1000000');
  const csv = join(dir, 'fills.csv');
  if (existsSync(csv)) return csv;
  const feed = await benchTradesFeed(1_000_000);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`replaying ${feed} into ${dir}…\n`);
  const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const run = spawnSync(process.execPath, [cli, 'replay', feed, '--out', dir, '--no-html'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`replay exited ${run.status}`);
  const gz = join(dir, 'fills.csv.gz');
  if (existsSync(gz)) {
    const { createGunzip } = await import('node:zlib');
    await pipeline(createReadStream(gz), createGunzip(), createWriteStream(csv));
    rmSync(gz);
  }
  return csv;
}
