import type { z } from 'zod';

/** What {@link parseTyped} made of a text frame. */
export type TypedParse<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: string;
      /** The frame's object, when the text was one (to echo its ids in an error). */
      readonly record?: Record<string, unknown>;
    };

/**
 * Reads a text frame of the protocol: JSON, an object, a `type` among `schemas`' keys, then that
 * type's schema. The error says where it failed (`field.path: message`), or lists `typesText`
 * for an unknown type.
 */
export function parseTyped<S extends Readonly<Record<string, z.ZodType>>>(
  text: string,
  schemas: S,
  typesText: string,
): TypedParse<z.output<S[keyof S]>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    return {
      ok: false,
      error: `unknown type ${JSON.stringify(type) ?? 'undefined'}: ${typesText}`,
      record,
    };
  }
  const parsed = (schemas[type] as z.ZodType<z.output<S[keyof S]>>).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? type : issue.path.join('.');
    return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}`, record };
  }
  return { ok: true, value: parsed.data };
}
