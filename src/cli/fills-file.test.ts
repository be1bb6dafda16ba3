import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError } from '../core/errors.js';
import { FillsFile } from './fills-file.js';

const root = mkdtempSync(join(tmpdir(), 'sc-fills-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('FillsFile', () => {
  it('writes its text and closes', async () => {
    const path = join(root, 'written.csv');
    const file = new FillsFile(path, openSync(path, 'w+'), 0, false);
    file.add('a,b\n');
    file.add('1,2\n');
    await expect(file.close()).resolves.toBe('written.csv');
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('gzips a file over its size for that, and only such a file', async () => {
    // Several buffers' worth (1 MiB each, about 3 MB here), of rows that differ.
    const rows = Array.from({ length: 200_000 }, (_, i) => `row ${i},${(i * 7919) % 10_007}\n`);
    const text = rows.join('');
    const write = async (name: string, gzipAboveBytes: number): Promise<string> => {
      const path = join(root, name);
      const file = new FillsFile(path, openSync(path, 'w+'), 0, false, { gzipAboveBytes });
      for (const row of rows) file.add(row);
      return file.close();
    };
    await expect(write('large.csv', text.length - 1)).resolves.toBe('large.csv.gz');
    expect(existsSync(join(root, 'large.csv'))).toBe(false);
    expect(gunzipSync(readFileSync(join(root, 'large.csv.gz'))).toString('utf8')).toBe(text);
    await expect(write('at-size.csv', text.length)).resolves.toBe('at-size.csv');
    expect(readFileSync(join(root, 'at-size.csv'), 'utf8')).toBe(text);
    expect(existsSync(join(root, 'at-size.csv.gz'))).toBe(false);
  });

  it('gzips as it writes, past the size, into the bytes a gzip after would give', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `row ${i},${(i * 7919) % 10_007}\n`);
    const text = rows.join('');
    const write = async (
      name: string,
      gzipAboveBytes: number,
      whileWriting: boolean,
    ): Promise<{ name: string; waits: number }> => {
      const path = join(root, name);
      // A backlog of 2 MiB: the writer waits for the gzip now and then.
      const file = new FillsFile(path, openSync(path, 'w+'), 0, false, {
        gzipAboveBytes,
        gzipWhileWriting: whileWriting,
        gzipBacklogBytes: 2 << 20,
      });
      let waits = 0;
      for (const [i, row] of rows.entries()) {
        file.add(row);
        // A writer that waits for the gzip as the worker thread does (each 1,000 rows here).
        if (i % 1000 === 0 && file.backlogged) {
          waits++;
          await file.drained();
        }
      }
      return { name: await file.close(), waits };
    };
    // Past the size after the second of several 1 MiB buffers: what the file held is read back.
    const streamed = await write('streamed.csv', 1_500_000, true);
    expect(streamed.name).toBe('streamed.csv.gz');
    expect(streamed.waits).toBeGreaterThan(0);
    expect(existsSync(join(root, 'streamed.csv'))).toBe(false);
    const after = await write('after.csv', 1_500_000, false);
    expect(after.name).toBe('after.csv.gz');
    const streamedGz = readFileSync(join(root, 'streamed.csv.gz'));
    expect(gunzipSync(streamedGz).toString('utf8')).toBe(text);
    expect(streamedGz.equals(readFileSync(join(root, 'after.csv.gz')))).toBe(true);
    // Never past the size: plain.
    await expect(write('small.csv', text.length, true)).resolves.toMatchObject({
      name: 'small.csv',
    });
    expect(readFileSync(join(root, 'small.csv'), 'utf8')).toBe(text);
    expect(existsSync(join(root, 'small.csv.gz'))).toBe(false);
  });

  it('leaves a gzip that runs as it writes when the run is discarded', async () => {
    const path = join(root, 'abandoned.csv');
    // A backlog of one byte: the 3 MiB just added wait for the gzip.
    const file = new FillsFile(path, openSync(path, 'w+'), 0, false, {
      gzipAboveBytes: 10,
      gzipWhileWriting: true,
      gzipBacklogBytes: 1,
    });
    file.add('x'.repeat(3 << 20));
    expect(file.backlogged).toBe(true);
    const waiting = file.drained();
    await file.discard();
    // Nothing is left waiting: not the writer's wait, not the bytes.
    await expect(waiting).resolves.toBeUndefined();
    await expect(file.drained()).resolves.toBeUndefined();
    expect(file.backlogged).toBe(false);
    await expect(file.close()).rejects.toThrow(OutputError);
  });

  it('writes nothing once discarded, not even into the file that reuses its descriptor', async () => {
    const discardedPath = join(root, 'discarded.csv');
    const discarded = new FillsFile(discardedPath, openSync(discardedPath, 'w+'), 0, false);
    discarded.add('buffered row\n');
    await discarded.discard();
    // The system hands the freed descriptor number to the next file opened (usually this one).
    const nextPath = join(root, 'next.csv');
    const nextFd = openSync(nextPath, 'w+');
    // More than a buffer's worth: text that would be written at once, not buffered.
    discarded.add('late row\n'.repeat(200_000));
    discarded.flush();
    await expect(discarded.close()).rejects.toThrow(OutputError);
    expect(readFileSync(nextPath, 'utf8')).toBe('');
    expect(readFileSync(discardedPath, 'utf8')).toBe('');
    // Still open: closing the discarded file again did not close the descriptor's new owner.
    expect(() => closeSync(nextFd)).not.toThrow();
  });
});
