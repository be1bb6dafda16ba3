import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { sha256OfFile } from '../src/core/file-digests.js';
import { benchFeed } from './bench-files.js';

/**
 * Three ways to read the bench's 1M-event feed 64 KiB at a time (from the page cache after the
 * first round), each the best of three rounds: `FileHandle.read` one chunk after another (a
 * round trip through libuv's thread pool per chunk), a file stream, and `readSync`, what
 * `feeds/feed-file.ts` does. Then its sha256 (what an audit log names an input by): through a
 * file stream of 64 KiB chunks (a stream's default), and as `sha256OfFile` reads it
 * (src/core/file-digests.ts).
 *
 *   npm run build && node dist/bench/file-read-probe.js
 */

const CHUNK = 1 << 16;
const ROUNDS = 3;

async function fileHandleReads(path: string): Promise<number> {
  const handle = await open(path, 'r');
  let total = 0;
  for (;;) {
    const { bytesRead } = await handle.read(Buffer.allocUnsafeSlow(CHUNK), 0, CHUNK, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  await handle.close();
  return total;
}

async function streamReads(path: string): Promise<number> {
  let total = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    total += (chunk as Buffer).length;
  }
  return total;
}

function syncReads(path: string): Promise<number> {
  const fd = openSync(path, 'r');
  let total = 0;
  for (;;) {
    const bytesRead = readSync(fd, Buffer.allocUnsafeSlow(CHUNK), 0, CHUNK, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  closeSync(fd);
  return Promise.resolve(total);
}

/** The file's sha256 through a 64 KiB file stream; the bytes hashed. */
async function streamDigest(path: string): Promise<number> {
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  hash.digest();
  return total;
}

const file = await benchFeed(1_000_000);
const ways: [string, (path: string) => Promise<number>][] = [
  ['FileHandle.read', fileHandleReads],
  ['file stream', streamReads],
  ['readSync', syncReads],
  ['sha256, 64 KiB', streamDigest],
  ['sha256OfFile', async (path) => (await sha256OfFile(path), statSync(path).size)],
];
for (const [name, read] of ways) {
  let best = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    bytes = await read(file);
    best = Math.min(best, performance.now() - started);
  }
  process.stdout.write(
    `${name.padEnd(16)} ${best.toFixed(0).padStart(5)} ms  (${bytes.toLocaleString('en-US')} bytes)\n`,
  );
}
