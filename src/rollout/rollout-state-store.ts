import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, OutputError } from '../core/errors.js';
import { parseRolloutState, type RolloutStateSnapshot } from './rollout-state.js';

/**
 * The controller's persisted state (`state.json`), replaced atomically: written to
 * `<file>.tmp` in the same directory, flushed, renamed over the file, and the directory flushed,
 * so a crash leaves either the old state or the new one, never half of one.
 */
export class RolloutStateStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Writes `snapshot` atomically (pretty JSON, deterministic). An I/O failure is an `OutputError`. */
  save(snapshot: RolloutStateSnapshot): void {
    const tmp = `${this.path}.tmp`;
    const bytes = Buffer.from(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8');
    try {
      const fd = openSync(tmp, 'w');
      try {
        let written = 0;
        while (written < bytes.length)
          written += writeSync(fd, bytes, written, bytes.length - written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
      syncDirectory(dirname(this.path));
    } catch (error) {
      throw new OutputError(this.path, error);
    }
  }

  /**
   * The saved snapshot, shape-checked, or null when there is none. Unreadable, not JSON, or not a
   * rollout state: a `ConfigError` `E_ROLLOUT_STATE` naming the file.
   */
  load(): RolloutStateSnapshot | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConfigError(
        'E_ROLLOUT_STATE',
        `${this.path}: cannot read the rollout state (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(
        'E_ROLLOUT_STATE',
        `${this.path}: corrupt rollout state: not valid JSON (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
    return parseRolloutState(json, this.path);
  }
}

/** Flushes a directory entry (the rename) where the platform allows it. */
function syncDirectory(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
