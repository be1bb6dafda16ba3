import { realpath, stat } from 'node:fs/promises';

/**
 * A file's identity and state as a string: its real path, device, inode, size, modification and
 * change times; null when it cannot be found. A write to a file moves its change time (the kernel
 * sets it, to its clock's tick), so the caches that key by this (parsed feeds, file digests) find
 * a file again only while it is unchanged; the one change they can miss is a rewrite to the same
 * size within the same tick as the write before it, after they looked.
 */
export async function fileIdentity(path: string): Promise<string | null> {
  try {
    const real = await realpath(path);
    const { dev, ino, size, mtimeMs, ctimeMs } = await stat(real);
    return JSON.stringify([real, dev, ino, size, mtimeMs, ctimeMs]);
  } catch {
    return null;
  }
}
