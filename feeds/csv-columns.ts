/**
 * Finds the columns of a comma-separated line without allocating: `ends[k]` is the end offset of
 * column k (its comma, or the line length for the last). Returns the column count; only the first
 * `ends.length` ends are filled when there are more columns.
 */
export function columnEnds(line: string, ends: Int32Array): number {
  let count = 0;
  let pos = line.indexOf(',');
  while (pos >= 0) {
    if (count < ends.length) ends[count] = pos;
    count++;
    pos = line.indexOf(',', pos + 1);
  }
  if (count < ends.length) ends[count] = line.length;
  return count + 1;
}

/** True when `line[start, end)` is `true`/`True` (1), `false`/`False` (0); else -1. */
export function scanBoolean(line: string, start: number, end: number): number {
  const length = end - start;
  const first = line.charCodeAt(start);
  if (length === 4 && (first === 116 || first === 84) && line.startsWith('rue', start + 1))
    return 1;
  if (length === 5 && (first === 102 || first === 70) && line.startsWith('alse', start + 1))
    return 0;
  return -1;
}

/** True when `line[start, end)` equals `text` (no substring allocated). */
export function sameText(line: string, start: number, end: number, text: string): boolean {
  const length = end - start;
  if (length !== text.length) return false;
  for (let i = 0; i < length; i++)
    if (line.charCodeAt(start + i) !== text.charCodeAt(i)) return false;
  return true;
}
