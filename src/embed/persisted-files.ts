import { resolve } from 'node:path';

/** A canary holding persisted files: told when another canary of this process opens one of them. */
export interface FileHolder {
  /** Another canary opened `path`: stop writing to it (the newer one owns it now). */
  supersede(path: string): void;
}

/** The persisted files (state, audit log, report journal) of the open canaries, by absolute path. */
const holders = new Map<string, FileHolder>();

/**
 * `holder` now owns `paths`: a canary of this process that held one of them is superseded first,
 * so two canaries never append to one audit log or journal (their lines would interleave, and the
 * log could not be opened again: `E_AUDIT_LOG`). The last one opened owns the files, as after a
 * restart.
 */
export function claimFiles(paths: readonly string[], holder: FileHolder): void {
  for (const path of paths.map((p) => resolve(p))) {
    const previous = holders.get(path);
    if (previous !== undefined && previous !== holder) previous.supersede(path);
    holders.set(path, holder);
  }
}

/** `holder` closed: its files are free. */
export function releaseFiles(holder: FileHolder): void {
  for (const [path, owner] of holders) if (owner === holder) holders.delete(path);
}
