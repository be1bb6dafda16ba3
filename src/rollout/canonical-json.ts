/**
 * Canonical JSON: object keys sorted (UTF-16 code unit order), no whitespace, `undefined`
 * members left out, arrays in order. Two equal values always give the same text, so its hash
 * identifies a configuration. Throws a `TypeError` on values JSON cannot carry exactly
 * (non-finite numbers, functions, symbols, bigints).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

function write(value: unknown, parts: string[], at: string): void {
  if (value === null) {
    parts.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'string':
      parts.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${at}: ${value} has no JSON form`);
      parts.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`${at}: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      const item: unknown = value[i];
      write(item === undefined ? null : item, parts, `${at}[${i}]`);
    }
    parts.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  parts.push('{');
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) parts.push(',');
    first = false;
    parts.push(JSON.stringify(key), ':');
    write(member, parts, `${at}.${key}`);
  }
  parts.push('}');
}
