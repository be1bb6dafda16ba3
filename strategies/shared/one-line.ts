/** An error (or anything thrown) as one line: whitespace runs collapsed, at most `maxChars` long. */
export function oneLine(error: unknown, maxChars = 300): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}
