import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileIdentity } from './file-identity.js';

/** Files whose digests a {@link FileDigests} keeps at most; the least recently used go first. */
const KEPT_FILES = 256;

/**
 * Read size for hashing. A file stream's default 64 KiB chunks cost a round trip through libuv's
 * thread pool each: hashing the bench's 77 MB feed took 60 ms so and 44 in 1 MiB chunks, about the
 * speed of SHA-256 itself (best of three, `node dist/bench/file-read-probe.js`).
 */
const HASH_CHUNK_BYTES = 1 << 20;

/** Hex sha256 of a file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Files' sha256, each kept by the file's identity ({@link fileIdentity}) for the next call on the
 * same unchanged file: a thread that replays a file again and again with an audit log, which
 * names its inputs by their sha256 (a sweep's worker on a grid with a plan, a program calling
 * `runReplay` in a loop), reads and hashes it once, where it was read whole before every replay.
 * A changed file is hashed again.
 */
export class FileDigests {
  /** Digest (or the hashing under way) by file identity, in order of last use. */
  readonly #kept = new Map<string, Promise<string>>();
  #hits = 0;

  /** Calls answered from what was kept. */
  get hits(): number {
    return this.#hits;
  }

  /** The file's hex sha256. Rejects as reading the file does (a missing file: ENOENT). */
  async sha256(path: string): Promise<string> {
    const identity = await fileIdentity(path);
    if (identity === null) return sha256OfFile(path);
    const kept = this.#kept.get(identity);
    if (kept !== undefined) {
      this.#hits++;
      this.#kept.delete(identity);
      this.#kept.set(identity, kept);
      return kept;
    }
    const digest = sha256OfFile(path);
    this.#kept.set(identity, digest);
    digest.catch(() => this.#kept.delete(identity));
    for (const oldest of this.#kept.keys()) {
      if (this.#kept.size <= KEPT_FILES) break;
      this.#kept.delete(oldest);
    }
    return digest;
  }
}

/** The digests of this thread's input files (one per thread: each worker has its own). */
export const fileDigests = new FileDigests();
