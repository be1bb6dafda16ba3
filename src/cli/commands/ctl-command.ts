import { Command } from 'commander';
import { CanaryError, UsageError } from '../../core/errors.js';
import type { OperatorCommand, ResultFrame } from '../../protocol/index.js';
import type { CliIo } from '../cli-io.js';
import { describeRolloutState, formatStatus } from '../ctl/format-status.js';
import {
  fetchHealth,
  openSession,
  sendCommand,
  serverUrls,
  type ServerUrls,
} from '../ctl/server-connection.js';
import { parseInteger } from '../parse-option.js';
import { readToken, TOKEN_ENV } from '../read-token.js';

/** Where `ctl` finds the server when no `--url` is given. */
export const CTL_URL_ENV = 'STRATEGY_CANARY_URL';
/** `serve`'s address in the README's examples. */
export const CTL_DEFAULT_URL = 'http://127.0.0.1:8080';

interface CtlOptions {
  readonly url?: string;
  readonly operatorTokenFile?: string;
  readonly json?: boolean;
  readonly reason?: string;
  readonly watch?: boolean;
}

/**
 * `strategy-canary ctl <command>`: status and operator commands over a running `serve` (docs/ctl.md).
 * Exit status: 0 when the command took effect (or the status was read), 3 when the rollout refused
 * it (its reason code printed), 2 when the server cannot be reached, refuses the token, or the
 * usage is wrong.
 */
export function ctlCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  const ctl = new Command('ctl').description(
    `Follow and steer a running rollout (strategy-canary serve): status [--watch], approve ID, reject ID, halt, resume, rollback, promote. The server from --url or ${CTL_URL_ENV} (default ${CTL_DEFAULT_URL}); the operator token from ${TOKEN_ENV.operator} or --operator-token-file. Exit status: 0 done, 3 refused by the rollout, 2 server unreachable or bad usage.`,
  );
  const common = (command: Command): Command =>
    command
      .option(
        '--url <url>',
        `the server: http://host:port or its ws://host:port/ws (default ${CTL_DEFAULT_URL})`,
      )
      .option('--operator-token-file <file>', `operator token (instead of ${TOKEN_ENV.operator})`)
      .option('--json', 'print the server’s answer as JSON');
  const urlsOf = (o: CtlOptions): ServerUrls =>
    serverUrls(o.url ?? env[CTL_URL_ENV] ?? CTL_DEFAULT_URL);
  const operatorToken = async (o: CtlOptions): Promise<string> => {
    const token = await readToken('operator', o.operatorTokenFile, env);
    if (token === undefined) {
      throw new UsageError(
        `no operator token: set ${TOKEN_ENV.operator} or give --operator-token-file FILE (never a token on the command line)`,
      );
    }
    return token;
  };
  const run = async (
    o: CtlOptions,
    command: OperatorCommand,
    extra: { readonly id?: number; readonly reason?: string } = {},
  ): Promise<void> => {
    const result = await sendCommand(urlsOf(o), await operatorToken(o), { command, ...extra });
    printResult(io, result, o.json === true);
  };

  ctl.addCommand(
    common(new Command('status'))
      .description(
        'The rollout now: its step and weight, what waits for an operator, the last decision, the counts per arm',
      )
      .option('--watch', 'redraw on every change until the rollout ends (or Ctrl-C)')
      .action(async (o: CtlOptions) => {
        const urls = urlsOf(o);
        if (o.watch === true) {
          await watchStatus(io, urls, o, env);
          return;
        }
        const health = await fetchHealth(urls);
        io.stdout.write(o.json === true ? `${JSON.stringify(health)}\n` : formatStatus(health));
      }),
  );
  ctl.addCommand(
    common(new Command('approve'))
      .description('Apply the proposal waiting for an operator (manual mode), by its id')
      .argument('<id>', 'the proposal’s id (ctl status shows it)')
      .action((id: string, o: CtlOptions) => run(o, 'approve', { id: proposalId(id) })),
  );
  ctl.addCommand(
    common(new Command('reject'))
      .description('Drop the proposal waiting for an operator, by its id')
      .argument('<id>', 'the proposal’s id')
      .option('--reason <text>', 'why, for the audit log')
      .action((id: string, o: CtlOptions) =>
        run(o, 'reject', {
          id: proposalId(id),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        }),
      ),
  );
  for (const [name, text] of [
    ['halt', 'Stop every automatic advance until resume (rollbacks still apply)'],
    ['rollback', 'Roll the canary back now, in any mode'],
  ] as const) {
    ctl.addCommand(
      common(new Command(name))
        .description(text)
        .option('--reason <text>', 'why, for the audit log')
        .action((o: CtlOptions) =>
          run(o, name, o.reason === undefined ? {} : { reason: o.reason }),
        ),
    );
  }
  ctl.addCommand(
    common(new Command('resume'))
      .description('Lift a halt')
      .action((o: CtlOptions) => run(o, 'resume')),
  );
  ctl.addCommand(
    common(new Command('promote'))
      .description(
        'Approve the waiting promote proposal: the plan promotes from its last step, once the evidence shows the canary no worse (manual mode proposes it; auto mode applies it itself)',
      )
      .action(async (o: CtlOptions) => {
        const urls = urlsOf(o);
        const token = await operatorToken(o);
        const health = await fetchHealth(urls);
        if (health.pending?.action !== 'promote') {
          const refusal = {
            code: 'NO_PROMOTE_PROPOSAL',
            message: `no promote proposal waits: the rollout is at ${describeRolloutState(health.rollout)}${health.pending === null ? '' : ` and waits on proposal ${health.pending.id} (${health.pending.action})`}; the plan promotes from its last step once the evidence shows the canary no worse`,
          };
          io.stdout.write(
            o.json === true
              ? `${JSON.stringify({ command: 'promote', applied: false, refusal, state: health.rollout })}\n`
              : `promote: refused, ${refusal.code}: ${refusal.message}\n`,
          );
          throw new CanaryError('E_REFUSED', `promote refused (${refusal.code})`);
        }
        const result = await sendCommand(urls, token, {
          command: 'approve',
          id: health.pending.id,
        });
        printResult(io, result, o.json === true, 'promote');
      }),
  );
  return ctl;
}

/** A proposal's id is its decision's audit `seq`: 1 or more. */
function proposalId(text: string): number {
  return parseInteger('<id>', text, 1, Number.MAX_SAFE_INTEGER);
}

/** Prints a command's result; a refusal also ends the command with `E_REFUSED` (exit 3). */
function printResult(
  io: CliIo,
  result: ResultFrame,
  json: boolean,
  name: string = result.command,
): void {
  if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else if (result.applied)
    io.stdout.write(`${name}: applied; rollout ${describeRolloutState(result.state)}\n`);
  else
    io.stdout.write(
      `${name}: refused, ${result.refusal?.code ?? 'REFUSED'}: ${result.refusal?.message ?? ''}; rollout ${describeRolloutState(result.state)}\n`,
    );
  if (!result.applied)
    throw new CanaryError('E_REFUSED', `${name} refused (${result.refusal?.code ?? 'REFUSED'})`);
}

/**
 * `status --watch`: the status again on every state and decision frame (a terminal is cleared
 * first), until the rollout is promoted or rolled back, Ctrl-C or SIGTERM; a lost connection is
 * an error (`E_SERVER`).
 */
async function watchStatus(
  io: CliIo,
  urls: ServerUrls,
  o: CtlOptions,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  // A subscriber token if there is one, else the operator's (an operator gets every frame too).
  const subscriber = await readToken('subscriber', undefined, env);
  const operator =
    subscriber === undefined ? await readToken('operator', o.operatorTokenFile, env) : undefined;
  const hello =
    subscriber !== undefined
      ? { role: 'subscriber' as const, token: subscriber }
      : operator !== undefined
        ? { role: 'operator' as const, token: operator }
        : { role: 'subscriber' as const };
  let finish: (error?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  let drawing = Promise.resolve();
  /** A redraw is waiting to start: frames of one burst (a decision and its state) share it. */
  let queued = false;
  const draw = (): void => {
    if (queued) return;
    queued = true;
    drawing = drawing.then(async () => {
      queued = false;
      try {
        const health = await fetchHealth(urls);
        const text = o.json === true ? `${JSON.stringify(health)}\n` : formatStatus(health);
        io.stdout.write(io.stdoutIsTTY ? `\x1b[2J\x1b[H${text}` : `${text}\n`);
        const status = health.rollout.status;
        if (status === 'promoted' || status === 'rolled_back') finish();
      } catch (error) {
        finish(error as Error);
      }
    });
  };
  const ws = await openSession(urls, hello, (frame) => {
    if (frame.type === 'state' || frame.type === 'decision') draw();
  });
  ws.on('close', () =>
    finish(new CanaryError('E_SERVER', `the server at ${urls.http} closed the connection`)),
  );
  const stop = (): void => finish();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await finished;
    await drawing;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    ws.removeAllListeners('close');
    ws.close();
  }
}
