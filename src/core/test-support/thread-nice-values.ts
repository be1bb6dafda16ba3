import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The nice value of each of this process's threads (Linux only: /proc/self/task/TID/stat, field 19). */
export function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(join('/proc/self/task', tid, 'stat'), 'utf8');
    // The fields after the command name (which may hold spaces), from the state (field 3) on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19 - 3]);
  });
}
