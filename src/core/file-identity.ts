import { realpath, stat } from 'node:fs/promises';

/**
 * A file's identity and state as a string: its real path, device, inode, size, modification and
 * change times; null when it cannot be found. Any write to a file moves its change time (the
 * kernel sets it, at the file system's time resolution), so the caches that key by this
 * (parsed feeds, file digests) find a file again only while it is unchanged.
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
