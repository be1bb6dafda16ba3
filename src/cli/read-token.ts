import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

/**
 * Where `serve` (each role's) and `ctl` (the operator's) take a token from when no
 * `--<role>-token-file` is given.
 */
export const TOKEN_ENV = {
  operator: 'STRATEGY_CANARY_OPERATOR_TOKEN',
  agent: 'STRATEGY_CANARY_AGENT_TOKEN',
  subscriber: 'STRATEGY_CANARY_SUBSCRIBER_TOKEN',
} as const;

/** A role whose token can be given. */
export type TokenRole = keyof typeof TOKEN_ENV;

/**
 * A role's token from its file (`--<role>-token-file`, trailing newlines dropped) or its
 * environment variable, one or the other; undefined when neither is given. Tokens never come from
 * the command line (other users can read it in the process list).
 */
export async function readToken(
  role: TokenRole,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const variable = TOKEN_ENV[role];
  const flag = `--${role}-token-file`;
  const fromEnv = env[variable];
  if (file !== undefined && fromEnv !== undefined) {
    throw new UsageError(`${role} token: give ${variable} or ${flag}, not both`);
  }
  if (file === undefined) {
    if (fromEnv === '') {
      throw new UsageError(`${variable} is empty: set it to the ${role} token, or unset it`);
    }
    return fromEnv;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${file}: cannot read it (${code ?? String(error)})`);
  }
  const token = text.replace(/[\r\n]+$/u, '');
  if (token === '') {
    throw new UsageError(`${flag} ${file} is empty: write the ${role} token in it`);
  }
  return token;
}
