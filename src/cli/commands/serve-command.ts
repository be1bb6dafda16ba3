import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { BinanceStreamClient, LiveFeedItem, LiveStatusItem } from '../../../feeds/index.js';
import { CanaryError, OutputError, UsageError } from '../../core/errors.js';
import { Decimal, isDecimalString } from '../../core/money.js';
import type { Canary, CanaryAccount } from '../../embed/create-canary.js';
import { generateAccounts } from '../../engine/generate-accounts.js';
import { loadAccountsFile } from '../../engine/load-accounts-file.js';
import { reportDecisionOf } from '../../report/report-json.js';
import {
  AuditLogLock,
  decisionsOfAuditLog,
  loadPlan,
  PLAN_PRESET_NAMES,
  readAuditLog,
  type RolloutPlan,
} from '../../rollout/index.js';
import { assertValidSalt } from '../../router/index.js';
import {
  notifyWebhooks,
  type WebhookNotifications,
  type WebhookTarget,
} from '../../notify/index.js';
import type { CanaryServer, ServerTokens } from '../../server/index.js';
import type { CliIo } from '../cli-io.js';
import { formatDecisionLine, plural } from '../format-summary.js';
import { parseInteger } from '../parse-option.js';
import { checkTornAuditLine, describeRepair, type TornAuditLine } from './torn-audit-line.js';
import { checkPresetName } from '../check-preset-name.js';
import { readToken, TOKEN_ENV } from '../read-token.js';
import { FillsJournal } from '../fills-journal.js';
import { makeDirectory } from '../run-directory.js';

export { TOKEN_ENV } from '../read-token.js';

/** Defaults of `serve`, as `--help` shows them and docs/server.md documents them. */
export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  /** No shadow step (an embedded rollout has no paper execution): `blue-green` and `short` have one. */
  plan: 'standard',
  capital: '10000',
  /** A fleet's agents lag behind each other and replay what they sent while disconnected. */
  lateMs: '60000',
  metricsIntervalMs: '1000',
  /** With --nats: a standby takes over within this long of the leader's death. */
  leaseMs: '5000',
} as const;

/** Where `serve` takes the webhooks' HMAC secret from (never the command line). */
export const WEBHOOK_SECRET_ENV = 'STRATEGY_CANARY_WEBHOOK_SECRET';

/** With `--exit-when-finished`: how long subscribers get to read the final frames, ms. */
export const FINISH_GRACE_MS = 1000;
/** How often `--exit-when-finished` looks at the rollout's status, ms (decisions also trigger a look). */
const FINISH_POLL_MS = 250;
/** Generated account ids are the replay's; the seed only shapes capital, which `--capital` sets. */
const ACCOUNTS_SEED = 1;

interface ServeCliOptions {
  readonly port?: string;
  readonly host: string;
  readonly stable?: string;
  readonly canary?: string;
  readonly plan: string;
  readonly salt?: string;
  readonly accounts?: string;
  readonly capital?: string;
  readonly mode: 'auto' | 'manual';
  readonly stateDir?: string;
  readonly feed?: string;
  readonly lateMs: string;
  readonly metricsIntervalMs: string;
  readonly operatorTokenFile?: string;
  readonly agentTokenFile?: string;
  readonly subscriberTokenFile?: string;
  readonly exitWhenFinished?: boolean;
  readonly repair?: boolean;
  readonly webhook: string[];
  readonly webhookFormat: 'json' | 'slack';
  readonly webhookHolds?: boolean;
  readonly reportUrl?: string;
  readonly nats?: string;
  readonly leaseMs: string;
  readonly fills?: string;
}

/**
 * `strategy-canary serve --port P --stable S --canary S --salt S --accounts N|FILE`: a rollout
 * (`createCanary`) on the network (`createCanaryServer`) for a fleet of agents, until SIGINT or
 * SIGTERM (or, with `--exit-when-finished`, until it is promoted or rolled back). Prints the
 * address, then each decision as the replay does, then a summary line (docs/server.md, "The serve
 * command"). Tokens come from the environment or files, never from the command line.
 */
export function serveCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('serve')
    .description(
      `Run a rollout for a fleet of trading bots: serve it on one port (the live dashboard at /, /health, /metrics, websocket /ws) where agents report their orders and fills, operators steer it and subscribers follow it; print each decision until Ctrl-C (SIGINT) or SIGTERM. Tokens: ${TOKEN_ENV.operator} (required), ${TOKEN_ENV.agent}, ${TOKEN_ENV.subscriber}, or the --*-token-file options.`,
    )
    .option('--port <port>', 'TCP port (required); 0 picks a free one (printed)')
    .option(
      '--host <host>',
      'interface to listen on; beyond loopback, put TLS and auth in front',
      SERVE_DEFAULTS.host,
    )
    .option(
      '--stable <name@version>',
      'stable version label, as the audit log records it (required)',
    )
    .option('--canary <name@version>', 'canary version label (required)')
    .option(
      '--plan <plan>',
      `a preset (${PLAN_PRESET_NAMES.join(', ')}) or a plan file (.json); the default, standard, has no shadow step: plans with one (blue-green, short) are refused, a fleet has no paper execution`,
      SERVE_DEFAULTS.plan,
    )
    .option('--salt <salt>', "routing salt: the agents' bucketing must use the same (required)")
    .option(
      '--accounts <n|file.csv>',
      'number of accounts, with the ids replay generates (acct-0001…), or a CSV file account_id,capital[,override] (required)',
    )
    .option(
      '--capital <amount>',
      `starting capital of each generated account, quote currency (default ${SERVE_DEFAULTS.capital}; an accounts file has its own)`,
    )
    .addOption(
      new Option('--mode <mode>', 'auto: decisions apply; manual: they wait for an operator')
        .choices(['auto', 'manual'])
        .default('auto'),
    )
    .option(
      '--state-dir <dir>',
      'persist the rollout in DIR/state.json, DIR/audit.jsonl and DIR/reports.jsonl (the accepted reports): a restarted server resumes with its books and open orders',
    )
    .option(
      '--repair',
      'with --state-dir: an audit log whose last line was torn by a crash is repaired (the torn bytes moved to audit.jsonl.torn, a repair record appended) instead of refused (E_AUDIT_LOG)',
    )
    .option(
      '--feed <ws-url>',
      "also read market data from a Binance-compatible stream (event time and marks); without it they come from the agents' market and clock messages",
    )
    .option(
      '--late-ms <ms>',
      'how far behind event time an agent may report (fills booked at the clock, orders for an arm just left)',
      SERVE_DEFAULTS.lateMs,
    )
    .option(
      '--metrics-interval-ms <ms>',
      'at most one metrics frame per this many ms of wall clock (0: every snapshot)',
      SERVE_DEFAULTS.metricsIntervalMs,
    )
    .option('--operator-token-file <file>', `operator token (instead of ${TOKEN_ENV.operator})`)
    .option('--agent-token-file <file>', `agent token (instead of ${TOKEN_ENV.agent})`)
    .option(
      '--subscriber-token-file <file>',
      `subscriber token (instead of ${TOKEN_ENV.subscriber}); without one, subscribers need none`,
    )
    .option(
      '--webhook <url>',
      `send the rollout's decisions, operator commands and transitions to this URL (repeatable), signed with ${WEBHOOK_SECRET_ENV} when it is set (docs/server.md, "Webhooks")`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option('--webhook-format <format>', 'json: the event; slack: a body Slack accepts')
        .choices(['json', 'slack'])
        .default('json'),
    )
    .option('--webhook-holds', 'also send hold decisions (every evaluation that changes nothing)')
    .option('--report-url <url>', 'where the rollout can be followed, put in every webhook event')
    .option(
      '--nats <url>',
      'serve the fleet over NATS JetStream: agents publish their reports to the rollout\'s log (a stream), the rollout named by --salt; several serve processes with the same options share it, one leading, the others standing by (docs/server.md, "Fleet on NATS", "Failover")',
    )
    .option(
      '--lease-ms <ms>',
      "with --nats: how long the leader's lease lasts without renewal (a standby takes over within this long of its death)",
      SERVE_DEFAULTS.leaseMs,
    )
    .option(
      '--fills <file>',
      'journal every fill and reject the rollout books to FILE (fills.csv columns, appended to across restarts; the marks at each stop): docs/accounting.md, "Reconciling from fills.csv"',
    )
    .option(
      '--exit-when-finished',
      `exit once the rollout is promoted or rolled back (${FINISH_GRACE_MS} ms later, so subscribers get the final frames)`,
    )
    .action(async (o: ServeCliOptions) => {
      const port = parseInteger('--port', required('--port', o.port), 0, 65535);
      const stable = versionLabel('--stable', required('--stable', o.stable));
      const canaryVersion = versionLabel('--canary', required('--canary', o.canary));
      const salt = required('--salt', o.salt);
      assertValidSalt(salt);
      const accountsSpec = required('--accounts', o.accounts);
      const lateReportMs = parseInteger('--late-ms', o.lateMs, 0, 86_400_000);
      const metricsIntervalMs = parseInteger(
        '--metrics-interval-ms',
        o.metricsIntervalMs,
        0,
        3_600_000,
      );
      const leaseMs = parseInteger('--lease-ms', o.leaseMs, 200, 600_000);
      if (o.nats !== undefined && o.stateDir !== undefined) {
        throw new UsageError(
          "serve: --state-dir and --nats: on NATS the rollout's log is its persisted state (every controller rebuilds from it); give one of them",
        );
      }
      if (o.nats !== undefined && o.feed !== undefined) {
        throw new UsageError(
          "serve: --feed and --nats: on NATS market data comes from the agents, through the rollout's log (every controller must see the same); give one of them",
        );
      }
      const tokens = await readTokens(o, env);
      const webhookTargets = webhookTargetsOf(o, env);
      checkPresetName(o.plan);
      const plan = await loadPlan(o.plan);
      const accounts = await accountsFrom(accountsSpec, o.capital);
      // The server, the embedded rollout and the live feed client are loaded here, not with the
      // command line: every other command starts without them (about 60 ms of module loading).
      const [{ BinanceStreamClient }, { createCanary }, { createCanaryServer }] = await Promise.all(
        [
          import('../../../feeds/live/binance-stream-client.js'),
          import('../../embed/create-canary.js'),
          import('../../server/index.js'),
        ],
      );
      // Validates the URL before anything is opened; connects only when read.
      const feed = o.feed === undefined ? null : new BinanceStreamClient({ url: o.feed });
      if (o.repair === true && o.stateDir === undefined) {
        throw new UsageError('serve: --repair repairs the audit log of --state-dir: give both');
      }
      let paths: { statePath: string; auditPath: string; journalPath: string } | null = null;
      let torn: TornAuditLine | null = null;
      let stateLock: AuditLogLock | null = null;
      if (o.stateDir !== undefined) {
        try {
          await makeDirectory(o.stateDir); // one level at a time: a recursive mkdir spins under /proc
        } catch (error) {
          throw new OutputError(o.stateDir, error);
        }
        paths = {
          statePath: join(o.stateDir, 'state.json'),
          auditPath: join(o.stateDir, 'audit.jsonl'),
          journalPath: join(o.stateDir, 'reports.jsonl'),
        };
        // Locked before the log is read, so that a line another process is writing never reads
        // as torn: that process is named instead (E_STATE_LOCKED). The canary holds it from then.
        stateLock = AuditLogLock.acquire(paths.auditPath);
        // The same policy as `report`: a torn last line is refused, naming --repair.
        try {
          torn = checkTornAuditLine(paths.auditPath, o.repair === true, 'start serve again');
        } catch (error) {
          stateLock.release();
          throw error;
        }
      }

      // The files this start creates: a server that cannot listen removes them again, so that a
      // rollout that never ran does not bind the next start to these options (E_ROLLOUT_STATE).
      const created = paths === null ? [] : Object.values(paths).filter((p) => !existsSync(p));
      // A plan with a shadow step is refused here (E_PLAN), before anything listens.
      let canary: Canary;
      try {
        canary = createCanary({
          stable,
          canary: canaryVersion,
          plan,
          salt,
          accounts,
          mode: o.mode,
          lateReportMs,
          ...(paths ?? {}),
          repairTornLine: torn !== null,
        });
      } finally {
        stateLock?.release(); // the canary's own hold (shared within the process) stays
      }
      const repaired =
        paths === null || torn === null ? null : describeRepair(paths.auditPath, torn);
      let speaks = (): boolean => true; // a standby controller on NATS does not
      const notifications =
        webhookTargets === null
          ? null
          : startWebhooks(webhookTargets, o, canary, io, () => speaks());
      const fills =
        o.fills === undefined ? null : new FillsJournal({ path: o.fills, append: true });
      const journaling = fills === null ? null : canary.executions$.subscribe((r) => fills.add(r));
      const fillsFlush = fills === null ? undefined : setInterval(() => fills.flush(), 1000);
      const decisions = canary.decisions$.subscribe((decision) => {
        io.stdout.write(`${formatDecisionLine(reportDecisionOf(decision))}\n`);
      });
      let server: CanaryServer;
      try {
        server = await createCanaryServer({
          canary,
          host: o.host,
          port,
          tokens,
          metricsIntervalMs,
          // A resumed rollout's decisions so far: /health's lastDecision, the dashboard's log.
          ...(paths === null || canary.state.resumedFrom === 'new'
            ? {}
            : { earlierDecisions: decisionsOfAuditLog(readAuditLog(paths.auditPath).entries) }),
          ...(o.nats === undefined
            ? {}
            : {
                nats: {
                  url: o.nats,
                  rollout: salt,
                  leaseMs,
                  onRoleChange: (role) => {
                    io.stderr.write(
                      role === 'leader'
                        ? 'fleet: this controller leads the rollout now\n'
                        : 'fleet: this controller stands by (another leads)\n',
                    );
                    if (role === 'leader') notifications?.speakNow();
                  },
                  onRefused: (why) => io.stderr.write(`fleet: ${why}\n`),
                },
              }),
        });
        speaks = () => server.fleet()?.role !== 'standby';
      } catch (error) {
        decisions.unsubscribe();
        clearInterval(fillsFlush);
        journaling?.unsubscribe();
        void fills?.discard();
        canary.close();
        for (const path of created) rmSync(path, { force: true });
        throw listenError(error, o.host, port);
      }

      let failure = null as Error | null;
      let stopReason = 'stopped';
      let stop: (reason: string) => void = () => undefined;
      const stopped = new Promise<void>((resolve) => {
        stop = (reason) => {
          stopReason = reason;
          stop = () => undefined;
          resolve();
        };
      });
      const onSigint = (): void => stop('SIGINT');
      const onSigterm = (): void => stop('SIGTERM');
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigterm);

      let graceTimer: NodeJS.Timeout | undefined;
      const checkFinished = (): void => {
        if (o.exitWhenFinished !== true || graceTimer !== undefined) return;
        const status = canary.state.status;
        if (status !== 'promoted' && status !== 'rolled_back') return;
        graceTimer = setTimeout(() => stop(`rollout ${status.replace('_', ' ')}`), FINISH_GRACE_MS);
      };
      const finishPoll =
        o.exitWhenFinished === true ? setInterval(checkFinished, FINISH_POLL_MS) : undefined;
      const finishOnDecision = canary.decisions$.subscribe(() => setImmediate(checkFinished));

      const feedDone =
        feed === null
          ? Promise.resolve()
          : consumeFeed(feed, canary, io).catch((error: unknown) => {
              failure = error instanceof Error ? error : new Error(String(error));
              stop('feed failed');
            });
      try {
        io.stdout.write(
          `listening: ${server.url} (health: ${server.httpUrl}/health, dashboard: ${server.httpUrl}/)\n`,
        );
        io.stdout.write(`${describeRollout(plan, o, accounts.length, canary, feed)}\n`);
        if (repaired !== null) io.stderr.write(`${repaired}\n`);
        if (o.nats !== undefined) {
          io.stdout.write(
            `fleet: on NATS at ${o.nats}, rollout "${salt}"; agents report there; leads while it holds the lease (--lease-ms ${leaseMs})\n`,
          );
        } else if (tokens.agent === undefined) {
          io.stderr.write(
            `note: no agent token (${TOKEN_ENV.agent} or --agent-token-file): agents are refused\n`,
          );
        }
        if (tokens.subscriber === undefined && !isLoopback(o.host)) {
          io.stderr.write(
            `warning: listening on ${o.host} without a subscriber token: whoever reaches the port can follow the rollout (docs/server.md, "Authentication")\n`,
          );
        }
        checkFinished();
        await stopped;
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
        clearInterval(finishPoll);
        clearTimeout(graceTimer);
        finishOnDecision.unsubscribe();
        if (feed !== null) await feed.close();
        await feedDone;
        await server.close();
        await notifications?.close();
        decisions.unsubscribe();
        clearInterval(fillsFlush);
        journaling?.unsubscribe();
        await fills?.finish(canary.marks(), Math.round(canary.clock.nowMs * 1000));
        canary.close();
      }
      if (failure !== null) throw failure;
      io.stdout.write(`${describeEnd(stopReason, plan, canary)}\n`);
    });
}

/** The `--webhook` targets, checked (before anything is opened), or null without any. */
function webhookTargetsOf(o: ServeCliOptions, env: NodeJS.ProcessEnv): WebhookTarget[] | null {
  if (o.webhook.length === 0) return null;
  const secret = env[WEBHOOK_SECRET_ENV];
  if (secret === '') throw new UsageError(`${WEBHOOK_SECRET_ENV} is empty: set it, or unset it`);
  return o.webhook.map((url) => {
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new UsageError(`--webhook: not a URL: "${url}"`);
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      throw new UsageError(`--webhook: an http or https URL, got "${url}"`);
    return { url, format: o.webhookFormat, ...(secret === undefined ? {} : { secret }) };
  });
}

/** Sends the rollout's audit records to `targets` (docs/server.md, "Webhooks"). */
function startWebhooks(
  targets: readonly WebhookTarget[],
  o: ServeCliOptions,
  canary: Canary,
  io: CliIo,
  speaks: () => boolean,
): WebhookNotifications {
  if (targets.some((t) => t.secret === undefined))
    io.stderr.write(`note: webhooks are not signed (set ${WEBHOOK_SECRET_ENV} to sign them)\n`);
  return notifyWebhooks(canary, {
    targets,
    reportUrl: o.reportUrl ?? null,
    holds: o.webhookHolds === true,
    speaks,
    onGiveUp: (event, reason) =>
      io.stderr.write(`webhook: event ${event.id} (${event.text}) given up: ${reason}\n`),
  });
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`serve: ${flag} is required`);
  return value;
}

function versionLabel(flag: string, value: string): string {
  if (!/^[^\s@]+@[^\s@]+$/u.test(value)) {
    throw new UsageError(`${flag}: expected NAME@VERSION (e.g. momentum@2.0.0), got "${value}"`);
  }
  return value;
}

async function accountsFrom(spec: string, capital: string | undefined): Promise<CanaryAccount[]> {
  if (!/^\d+$/u.test(spec)) {
    if (capital !== undefined) {
      throw new UsageError(
        '--capital sets the capital of generated accounts (--accounts N); an accounts file has its own capital column',
      );
    }
    return (await loadAccountsFile(spec)).map((a) => ({
      id: a.id,
      capital: a.capital.toFixed(),
      ...(a.override === undefined ? {} : { override: a.override }),
    }));
  }
  const count = parseInteger('--accounts', spec, 1, 1_000_000);
  const each = capital ?? SERVE_DEFAULTS.capital;
  if (!isDecimalString(each) || new Decimal(each).lte(0)) {
    throw new UsageError(`--capital: expected a positive amount, got "${each}"`);
  }
  return generateAccounts(count, ACCOUNTS_SEED).map((a) => ({ id: a.id, capital: each }));
}

/** Each role's token from its file option or its environment variable; never echoed. */
async function readTokens(o: ServeCliOptions, env: NodeJS.ProcessEnv): Promise<ServerTokens> {
  const operator = await readToken('operator', o.operatorTokenFile, env);
  if (operator === undefined) {
    throw new UsageError(
      `no operator token: set ${TOKEN_ENV.operator} or give --operator-token-file FILE (never a token on the command line)`,
    );
  }
  const agent = await readToken('agent', o.agentTokenFile, env);
  const subscriber = await readToken('subscriber', o.subscriberTokenFile, env);
  return {
    operator,
    ...(agent === undefined ? {} : { agent }),
    ...(subscriber === undefined ? {} : { subscriber }),
  };
}

/** A port that cannot be had is bad input (`E_LISTEN`, as serve-feed); anything else is rethrown. */
function listenError(error: unknown, host: string, port: number): unknown {
  if (error instanceof CanaryError) return error;
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    return new CanaryError('E_LISTEN', `cannot listen on ${host}:${port}: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./u.test(host);
}

/** Reads the live feed into the canary until the client is closed; status lines on stderr. */
async function consumeFeed(feed: BinanceStreamClient, canary: Canary, io: CliIo): Promise<void> {
  for await (const item of feed) {
    if (item.type === 'event') {
      canary.onMarketEvent(item.event);
      continue;
    }
    const line = describeFeedItem(item, feed.url);
    if (line !== null) io.stderr.write(`feed: ${line}\n`);
  }
}

function describeFeedItem(
  item: Exclude<LiveFeedItem, { type: 'event' }>,
  url: string,
): string | null {
  switch (item.type) {
    case 'status':
      return describeFeedStatus(item, url);
    case 'gap':
      return `gap in ${item.stream}: ${item.kind} ${item.expected} expected, ${item.received} received`;
    case 'dropped':
      return `${item.count.toLocaleString('en-US')} events dropped (the rollout fell behind; ${item.total.toLocaleString('en-US')} in all)`;
    case 'bad-message':
      return `bad message skipped: ${item.message} [${item.code}]`;
  }
}

/**
 * A status line: an attempt that never connected (nothing listens, refused, bad handshake) says it
 * cannot connect, naming the URL and the cause; only an established connection's end is "lost".
 */
function describeFeedStatus(item: LiveStatusItem, url: string): string | null {
  switch (item.status) {
    case 'connecting':
      return null; // every attempt: `reconnecting` has said when
    case 'open':
      return item.attempt === 0 ? 'connected' : `connected again (attempt ${item.attempt})`;
    case 'reconnecting':
      return item.opened === false
        ? `cannot connect to ${url} (${item.reason ?? 'closed'}), retrying in ${item.delayMs ?? 0} ms`
        : `connection lost (${item.reason ?? 'closed'}), reconnecting in ${item.delayMs ?? 0} ms`;
    case 'closed':
      return 'closed';
  }
}

function describeRollout(
  plan: RolloutPlan,
  o: ServeCliOptions,
  accounts: number,
  canary: Canary,
  feed: BinanceStreamClient | null,
): string {
  const resumed = canary.state.resumedFrom;
  return [
    `rollout: ${o.stable} → ${o.canary}, plan ${plan.name} (${plan.steps.length} steps), ${o.mode} mode`,
    `${accounts.toLocaleString('en-US')} accounts, salt "${o.salt}"`,
    resumed === 'new' ? 'new' : `resumed from ${resumed}`,
    feed === null ? 'event time from the agents' : `market data from ${feed.url}`,
  ].join('; ');
}

function describeEnd(reason: string, plan: RolloutPlan, canary: Canary): string {
  const { status, halted, stepIndex, weightPct } = canary.state;
  const where =
    status === 'step' || status === 'shadow'
      ? `step ${(stepIndex ?? 0) + 1} of ${plan.steps.length} at ${weightPct} %`
      : status === 'pending'
        ? 'not started'
        : `${status.replace('_', ' ')} at ${weightPct} %`;
  const arms = (['stable', 'canary'] as const).map((arm) => {
    const r = canary.recorded[arm];
    return `${arm} ${plural(r.orders, 'order')}, ${plural(r.fills, 'fill')}, ${plural(r.rejects, 'reject')}`;
  });
  const refused = Object.values(canary.rejections).reduce((sum, n) => sum + n, 0);
  return `stopped (${reason}): rollout ${where}${halted ? ', halted' : ''}; recorded ${arms.join('; ')}; ${plural(refused, 'report')} refused`;
}
