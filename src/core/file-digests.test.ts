import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDigests, sha256OfFile } from './file-digests.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('FileDigests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-digests-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the file's sha256, and the kept one for the unchanged file", async () => {
    const path = join(dir, 'feed.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    const digests = new FileDigests();
    expect(await digests.sha256(path)).toBe(sha256('a,b\n1,2\n'));
    expect(digests.hits).toBe(0);
    expect(await digests.sha256(path)).toBe(sha256('a,b\n1,2\n'));
    expect(digests.hits).toBe(1);
    // The same file by another path (its real path is the key): kept too.
    expect(await digests.sha256(join(dir, '.', 'feed.csv'))).toBe(sha256('a,b\n1,2\n'));
    expect(digests.hits).toBe(2);
  });

  it('hashes a changed file again: appended to, or rewritten to the same size', async () => {
    const path = join(dir, 'feed.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    const digests = new FileDigests();
    await digests.sha256(path);
    appendFileSync(path, '3,4\n');
    expect(await digests.sha256(path)).toBe(sha256('a,b\n1,2\n3,4\n'));
    // The same size, and times moved on (a rewrite within the clock's resolution would not move
    // them: docs of fileIdentity).
    writeFileSync(path, 'a,b\n5,6\n7,8\n');
    utimesSync(path, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
    expect(await digests.sha256(path)).toBe(sha256('a,b\n5,6\n7,8\n'));
    expect(digests.hits).toBe(0);
  });

  it('hashes a file of several reads, its last one partial', async () => {
    const path = join(dir, 'big.csv');
    // 2.5 MiB and 7 bytes of varied bytes: three reads of 1 MiB, the last one short.
    const bytes = Buffer.alloc(5 * 2 ** 19 + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2_654_435_761) >>> 24;
    writeFileSync(path, bytes);
    expect(await sha256OfFile(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects for a missing file, and keeps nothing for it', async () => {
    const digests = new FileDigests();
    const missing = join(dir, 'missing.csv');
    await expect(digests.sha256(missing)).rejects.toThrow(/ENOENT/);
    writeFileSync(missing, 'x');
    expect(await digests.sha256(missing)).toBe(sha256('x'));
    expect(digests.hits).toBe(0);
  });

  it('agrees with a fresh hash of each file, over many files (more than it keeps)', async () => {
    const digests = new FileDigests();
    const paths = Array.from({ length: 300 }, (_, i) => {
      const path = join(dir, `f${i}`);
      writeFileSync(path, `file ${i}\n`.repeat(i + 1));
      return path;
    });
    for (const path of paths) expect(await digests.sha256(path)).toBe(await sha256OfFile(path));
    // The last ones are still kept; the first ones were let go (at most 256 files).
    expect(await digests.sha256(paths[299]!)).toBe(await sha256OfFile(paths[299]!));
    expect(digests.hits).toBe(1);
    expect(await digests.sha256(paths[0]!)).toBe(await sha256OfFile(paths[0]!));
    expect(digests.hits).toBe(1);
  });
});
