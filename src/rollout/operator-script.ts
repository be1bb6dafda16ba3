import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

/** What a scripted operator may do: the operator commands of a live rollout. */
export type ScriptedOperatorAction = 'halt' | 'resume' | 'rollback' | 'approve' | 'reject';

/** One timed operator command of a replay (`replay --operator FILE`). */
export interface OperatorCommand {
  /** Event time, µs since the epoch: applied at the first market event at or after it. */
  readonly atUs: number;
  readonly action: ScriptedOperatorAction;
  /** `approve` / `reject`: the proposal's `seq` (the audit log's). */
  readonly id: number | null;
  /** Recorded in the audit log with the command. */
  readonly reason: string;
}

/** ISO-8601 UTC with up to 6 fractional digits: `2024-08-08T23:58:00Z`, `…:00.250000Z`. */
const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/u;

/**
 * Whether an `ISO_UTC` time is a real instant: its fields come back unchanged from the instant
 * they name (no month 13, no April 31, no 25:00, no second 60). Other text is left to `ISO_UTC`.
 */
function isRealTime(iso: string): boolean {
  const match = ISO_UTC.exec(iso);
  if (match === null) return true;
  const ms = Date.parse(`${match[1]!}Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === match[1];
}

const commandSchema = z
  .strictObject({
    at: z
      .string()
      .regex(ISO_UTC, 'an ISO-8601 UTC time such as 2024-08-08T23:58:00Z')
      .refine(isRealTime, {
        error: (issue) =>
          `${String(issue.input)} is not a real time (month 01–12, a day of that month, 00:00:00 to 23:59:59)`,
      }),
    command: z.enum(['halt', 'resume', 'rollback', 'approve', 'reject']),
    id: z.number().int().positive().optional(),
    reason: z.string().max(1000).optional(),
  })
  .refine((c) => (c.command === 'approve' || c.command === 'reject') === (c.id !== undefined), {
    message: '`id` (the proposal seq) is required by approve and reject, and only by them',
  });

/** µs since the epoch of an ISO-8601 UTC time (`ISO_UTC`), exactly. */
function isoToUs(iso: string): number {
  const match = ISO_UTC.exec(iso)!;
  const seconds = Date.parse(`${match[1]!}Z`);
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return seconds * 1000 + Number(fraction);
}

/**
 * Parses an operator script: a JSON array of `{at, command, id?, reason?}`, times in event time
 * (ISO-8601 UTC). Returns the commands sorted by time (file order kept at equal times). Throws
 * {@link ConfigError} `E_OPERATOR_SCRIPT` naming the source, the entry and the field.
 *
 * @example
 * parseOperatorScript('[{"at": "2024-08-08T23:58:00Z", "command": "resume"}]', 'ops.json');
 */
export function parseOperatorScript(text: string, source: string): OperatorCommand[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      'E_OPERATOR_SCRIPT',
      `${source}: not JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (!Array.isArray(raw)) {
    throw new ConfigError(
      'E_OPERATOR_SCRIPT',
      `${source}: expected a JSON array of {"at", "command"} objects`,
    );
  }
  const commands = raw.map((entry: unknown, index): OperatorCommand => {
    const parsed = commandSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join('.') : '-';
      throw new ConfigError(
        'E_OPERATOR_SCRIPT',
        `${source}: [${index}].${field}: ${issue.message}`,
      );
    }
    const { at, command, id, reason } = parsed.data;
    return {
      atUs: isoToUs(at),
      action: command,
      id: id ?? null,
      reason: reason ?? `scripted ${command} (${source})`,
    };
  });
  // Array.prototype.sort is stable: equal times keep the file's order.
  return commands.sort((a, b) => a.atUs - b.atUs);
}

/** Reads and parses an operator script file ({@link parseOperatorScript}). */
export async function loadOperatorScript(path: string): Promise<OperatorCommand[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'E_OPERATOR_SCRIPT',
      `cannot read operator script ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseOperatorScript(text, path);
}
