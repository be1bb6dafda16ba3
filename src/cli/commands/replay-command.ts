import { cliReplayRunOptions } from '../replay-run-options.js';
import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { FeedFormat } from '../../../feeds/index.js';
import { FEED_FORMATS } from '../../../feeds/index.js';
import { getStrategyDefinition, loadStrategyDefinition } from '../../../strategies/index.js';
import type { Account } from '../../core/account.js';
import { CanaryError, ConfigError, UsageError } from '../../core/errors.js';
import { Decimal } from '../../core/money.js';
import type { ArmStrategyConfig } from '../../engine/replay-config.js';
import { generateAccounts } from '../../engine/generate-accounts.js';
import { loadAccountsFile } from '../../engine/load-accounts-file.js';
import { slowCanaryWarning } from '../../engine/decision-timer.js';
import { openFillsSink } from '../threaded-fills-journal.js';
import { runReplay, type ReplayConfig, type ReplayRollout } from '../../engine/run-replay.js';
import { usToIso } from '../../core/time.js';
import {
  DEFAULT_EXECUTION_CONFIG,
  DEFAULT_JITTER_SIGMA,
  MAX_ACCOUNT_SLIPPAGE_SD_BPS,
  MAX_BPS_DECIMALS,
  MAX_OUTAGE_DURATION_MS,
  MAX_OUTAGES_PER_HOUR,
  parseInjectSpecs,
  type ExecutionConfig,
  type OutageModel,
} from '../../execution/index.js';
import { reportDecisionOf } from '../../report/report-json.js';
import { loadOperatorScript, loadPlan, PLAN_PRESET_NAMES, scalePlan } from '../../rollout/index.js';
import { weightPctToBps } from '../../router/index.js';
import type { CliIo } from '../cli-io.js';
import { formatDecisionLine, formatSummary } from '../format-summary.js';
import {
  loadReportCharts,
  prepareRunDirectory,
  RUN_FILES,
  runOutputPaths,
  writeRunOutputs,
  type PendingRunDirectory,
} from '../run-directory.js';
import { reproduceCommand } from '../reproduce-command.js';
import { parseInteger, parseNumberInRange } from '../parse-option.js';
import { createProgressBar } from '../progress-bar.js';
import { checkPresetName } from '../check-preset-name.js';
import { checkDistinctFeedFiles } from '../check-distinct-feed-files.js';
import { replaySegmented } from '../segmented-replay.js';
import { replayCandidates } from '../candidates-replay.js';
import { outsideCallError } from '../outside-call-error.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { candidateNames, candidateReplays } from '../candidate-setup.js';
import { splitInjectSpecs, type LaneInjectSpecs } from '../lane-inject-specs.js';
import { accountsWithSegments, ignoredSegmentColumnWarning } from '../segment-setup.js';
import { nearestName } from '../nearest-name.js';

/** Defaults of `replay`, as `--help` shows them and the README documents them. */
export const REPLAY_DEFAULTS = {
  stable: 'momentum@1.0.0',
  canary: 'momentum@2.0.0',
  weightPct: '10',
  accounts: '1000',
  salt: 'strategy-canary',
  seed: '1',
  intervalMs: '1000',
  maxLeverage: '1',
  quantityDecimals: '8',
} as const;

interface ReplayCliOptions {
  /** `--no-fills` sets it false: no fills.csv in `--out`. */
  readonly fills: boolean;
  /** `--no-html` sets it false: no report.html in `--out`. */
  readonly html: boolean;
  readonly plan?: string;
  readonly planTimeScale?: string;
  readonly mode: 'auto' | 'manual';
  readonly operator?: string;
  readonly onRollback?: 'flatten' | 'handoff';
  readonly stable: string;
  readonly canary: string;
  readonly stableParams?: string;
  readonly canaryParams?: string;
  readonly candidate: string[];
  readonly candidateParams: string[];
  readonly weight?: string;
  readonly accounts: string;
  readonly salt: string;
  readonly seed: string;
  readonly inject: string[];
  readonly format?: FeedFormat;
  readonly symbol?: string;
  readonly onBadLine: 'fail' | 'skip';
  readonly time: 'local' | 'exchange';
  readonly tradesOnly?: boolean;
  readonly feeBps?: string;
  readonly latencySigma?: string;
  readonly accountSlippageSd?: string;
  readonly outages?: string;
  readonly maxLeverage: string;
  readonly quantityDecimals: string;
  readonly interval: string;
  readonly bigintBooks?: boolean;
  readonly out?: string;
  readonly json?: boolean;
  readonly progress: boolean;
}

/** `strategy-canary replay <feed-file>...`; `argv` (the whole command line) goes in the report. */
export function replayCommand(io: CliIo, argv: readonly string[] = []): Command {
  return new Command('replay')
    .description(
      'Replay market data files through the router, both strategy versions, simulated execution and the ledger, at a fixed canary weight or as a rollout (--plan); print each decision and the per-arm results, and with --out write the reports.',
    )
    .argument(
      '<feed-file...>',
      'market data files (several replay as one stream merged by event time); .gz read transparently',
    )
    .option(
      '--stable <strategy>',
      'stable strategy: a bundled id or a module path',
      REPLAY_DEFAULTS.stable,
    )
    .option(
      '--canary <strategy>',
      'canary strategy: a bundled id or a module path',
      REPLAY_DEFAULTS.canary,
    )
    .option('--stable-params <json>', 'stable strategy parameters, as JSON')
    .option('--canary-params <json>', 'canary strategy parameters, as JSON')
    .option(
      '--candidate <strategy>',
      'an A/B/n rollout (with --plan, instead of --canary): each candidate, a bundled id or a module path, in its own lane of the router; the best survivor is promoted (repeatable, 2 or more)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--candidate-params <json>',
      "the candidates' parameters, as JSON: one for every candidate, or one per --candidate in their order (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--weight <pct>',
      `a fixed canary weight in % of accounts (0–100, 0.01 steps; default ${REPLAY_DEFAULTS.weightPct} without --plan)`,
    )
    .option(
      '--plan <plan>',
      `run a rollout: a preset (${PLAN_PRESET_NAMES.join(', ')}) or a plan file (.json)`,
    )
    .option(
      '--plan-time-scale <x>',
      'multiply every duration of the plan (e.g. 0.1 for a short replay)',
    )
    .option(
      '--operator <file>',
      'a scripted operator: a JSON file of timed halt / resume / rollback / approve / reject commands, in event time (docs/rollout.md)',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'with --plan, auto: decisions apply; manual: they wait as proposals',
      )
        .choices(['auto', 'manual'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--on-rollback <policy>',
        "positions of accounts that change version: close them (flatten) or hand them over (default: the plan's, flatten)",
      ).choices(['flatten', 'handoff']),
    )
    .option(
      '--accounts <n|file.csv>',
      'number of generated accounts, or a CSV file account_id,capital[,override][,segment]',
      REPLAY_DEFAULTS.accounts,
    )
    .option(
      '--salt <salt>',
      'routing salt (change it to reshuffle which accounts are canary)',
      REPLAY_DEFAULTS.salt,
    )
    .option(
      '--seed <n>',
      'seed for generated accounts and execution randomness',
      REPLAY_DEFAULTS.seed,
    )
    .option(
      '--inject <spec>',
      "fault injection, e.g. canary:latency=+20ms,slippage=+2bp,rejects=+1%,fees=+2bp; add from=25% to apply a spec only while the canary's weight is at least 25%; prefix a lane, SEGMENT/ (usdm/canary:…) for one segment of a segmented plan or cK/ (c2/canary:…) for one --candidate (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option('--format <format>', 'feed format (default: detected from content)').choices(
        FEED_FORMATS,
      ),
    )
    .option(
      '--symbol <symbol>',
      'symbol for feeds without one (Binance CSV whose file name does not tell)',
    )
    .addOption(
      new Option(
        '--on-bad-line <policy>',
        'stop at the first bad line, or skip and count bad lines',
      )
        .choices(['fail', 'skip'])
        .default('fail'),
    )
    .addOption(
      new Option(
        '--time <source>',
        "event time: the capture's local receive time, or the exchange's own timestamps (binance-ws; comparable with a live run over serve-feed)",
      )
        .choices(['local', 'exchange'])
        .default('local'),
    )
    .option(
      '--trades-only',
      'drop quote events (bookTicker, quotes) while reading: replay the trade tape a bot subscribed to trades alone sees; dropped quotes are counted (skipped droppedQuote)',
    )
    .option(
      '--fee-bps <bps>',
      `taker fee in bps of notional (default ${DEFAULT_EXECUTION_CONFIG.feeBps})`,
    )
    .option(
      '--latency-sigma <s>',
      `shape of both arms' log-normal latency jitter, its log-space sd (default ${DEFAULT_JITTER_SIGMA}; 1 is heavily skewed)`,
    )
    .option(
      '--account-slippage-sd <bps>',
      'per-account execution heterogeneity: each account gets a persistent slippage offset drawn from Normal(0, bps) (default 0: none)',
    )
    .option(
      '--outages <per-hour:duration-ms>',
      'venue outages on both arms, e.g. 36:1000 (36 an hour on average, 1 s each): orders settling inside one are rejected VENUE',
    )
    .option(
      '--max-leverage <x>',
      'gross exposure limit per account, multiple of equity',
      REPLAY_DEFAULTS.maxLeverage,
    )
    .option(
      '--quantity-decimals <n>',
      'order quantities are rounded to this many decimals',
      REPLAY_DEFAULTS.quantityDecimals,
    )
    .option(
      '--interval <ms>',
      "event-time interval of equity samples and metrics snapshots, ms (with --plan, a divisor of the plan's analysis interval: the rollout acts at the samples)",
      REPLAY_DEFAULTS.intervalMs,
    )
    .option(
      '--bigint-books',
      'keep every account in bigint books, the reference, instead of machine words: the same results to the byte, slower (docs/accounting.md)',
    )
    .option(
      '--out <dir>',
      'write report.json, report.md, report.html, accounts.csv, fills.csv (and audit.jsonl with --plan) into this directory',
    )
    .option('--json', 'print one JSON object per line on stdout (decisions, then a summary)')
    .option('--no-progress', 'no progress bar')
    .option(
      '--no-fills',
      'with --out: no fills.csv (it adds about 0.6 µs per fill to a replay: docs/accounting.md)',
    )
    .option(
      '--no-html',
      'with --out: no report.html (its charts cost about 0.1 s of a replay; `strategy-canary report DIR` draws them later)',
    )
    .action(async (files: string[], options: ReplayCliOptions, command: Command) => {
      // Ctrl-C (or SIGTERM), or an error a strategy module throws outside its calls, stops the
      // replay at its next batch of events: nothing is written, --out is left as it was. Set up
      // first, so that a signal during the checks below stops the command the same way.
      let modules: string[] = [];
      const stop = stopOnSignals({
        reason: (signal) =>
          new CanaryError(
            'E_INTERRUPTED',
            `replay: stopped by ${signal} before the end of the data${options.out === undefined ? '' : `; nothing written, ${options.out} left as it was`}`,
          ),
        said: (signal) =>
          io.stderr.write(
            `\nreplay: ${signal}: stopping at the next events (again to quit at once)\n`,
          ),
        outsideError: (error) => outsideCallError(error, modules, io.cwd),
      });
      let pending: PendingRunDirectory | null = null;
      try {
        // Everything is validated before anything is created.
        const canaryGiven =
          command.getOptionValueSource('canary') === 'cli' || options.canaryParams !== undefined;
        const {
          config: validated,
          inject,
          candidates,
        } = await replayConfigFrom(io, files, options, canaryGiven);
        stop.signal.throwIfAborted();
        modules = [
          validated.strategies.stable,
          validated.strategies.canary,
          ...(candidates ?? []),
        ].flatMap((arm) => (arm.moduleSha256 === undefined ? [] : [arm.spec]));
        const lanesOptions = { ...options, signal: stop.signal };
        pending = options.out === undefined ? null : await prepareRunDirectory(options.out);
        if (candidates !== null)
          await replayCandidates(
            io,
            lanesOptions,
            pending,
            { ...validated, command: reproduceCommand(argv) },
            candidates,
            inject,
            totalBytes(files),
          );
        else if (validated.rollout?.plan.segments !== undefined)
          await replaySegmented(
            io,
            lanesOptions,
            pending,
            { ...validated, command: reproduceCommand(argv) },
            inject,
            totalBytes(files),
          );
        else
          await replay(io, options, pending, stop.signal, {
            ...validated,
            ...(validated.rollout === undefined || pending === null
              ? {}
              : {
                  rollout: { ...validated.rollout, auditPath: join(pending.dir, RUN_FILES.audit) },
                }),
            command: reproduceCommand(argv),
          });
        // Stopped after the last events, while the summary was printed (with --out, the check
        // before the reports are moved into place does it).
        if (pending === null) stop.signal.throwIfAborted();
      } catch (error) {
        await pending?.abandon();
        throw error;
      } finally {
        stop.release();
      }
    });
}

/** Runs the replay, writes its outputs into `pending.dir`, moves them into place, prints. */
async function replay(
  io: CliIo,
  options: ReplayCliOptions,
  pending: PendingRunDirectory | null,
  signal: AbortSignal,
  config: ReplayConfig,
): Promise<void> {
  const files = config.files;
  const bar = createProgressBar(io, totalBytes(files), 'replay', {
    enabled: options.progress && !options.json,
  });
  const fills = pending === null || !options.fills ? null : openFillsSink(pending.dir);
  // A failure to load shows where the charts are drawn (writeRunOutputs), not here.
  if (pending !== null && options.html) loadReportCharts().catch(() => undefined);
  const result = await runReplay(
    config,
    {
      onProgress: (done) => bar.update(done),
      ...(fills === null ? {} : { onExecution: (report) => fills.add(report) }),
      onDecision: (decision) => {
        const line = reportDecisionOf(decision);
        io.stdout.write(
          options.json
            ? `${JSON.stringify({ type: 'decision', ...line })}\n`
            : `${formatDecisionLine(line)}\n`,
        );
      },
      onOperator: (command, outcome, atUs) => {
        const at = atUs === null ? null : usToIso(atUs);
        io.stdout.write(
          options.json
            ? `${JSON.stringify({ type: 'operator', at, scheduledAt: usToIso(command.atUs), command: command.action, ...outcome })}\n`
            : `${at ?? usToIso(command.atUs)}  operator ${command.action}${command.id === null ? '' : ` ${command.id}`}  ${
                outcome.applied
                  ? 'applied'
                  : `not applied: ${outcome.refusal?.code ?? ''} ${outcome.refusal?.message ?? ''}`
              }\n`,
        );
      },
    },
    cliReplayRunOptions(signal),
  )
    .catch((error: unknown) => {
      void fills?.discard();
      throw error;
    })
    .finally(() => bar.stop());
  const timing = { stable: result.decisionTime.stable, canary: result.decisionTime.canary };
  const slow = slowCanaryWarning(timing.stable, timing.canary);
  if (slow !== null) io.stderr.write(`strategy-canary: warning: ${slow}\n`);
  let written: Awaited<ReturnType<typeof writeRunOutputs>> | null = null;
  let fillsName: string | null = null;
  if (pending !== null && options.out !== undefined) {
    // fills.csv's last rows (and its gzip, when it is large) are written while this thread writes
    // the other files and draws report.html's charts; the run directory is committed after both.
    const fillsDone = fills?.finish(result.marks, result.lastEventTsUs) ?? Promise.resolve(null);
    const outputs = { html: options.html };
    try {
      await writeRunOutputs(
        pending.dir,
        result.report,
        result.accounts,
        {
          note: 'wall clock of the machine that ran the replay: not deterministic, so kept out of report.json',
          decisionTimePerEvent: timing,
          slowCanaryWarning: slow,
        },
        outputs,
      );
    } catch (error) {
      await fillsDone.catch(() => undefined);
      throw error;
    }
    fillsName = await fillsDone;
    signal.throwIfAborted();
    await pending.commit();
    written = runOutputPaths(options.out, result.report, outputs);
  }
  const reportPath = written?.json ?? null;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ type: 'timing', decisionTimePerEvent: timing })}\n`);
    io.stdout.write(`${JSON.stringify({ type: 'summary', reportPath, ...result.report })}\n`);
  } else {
    const files: (readonly [string, string])[] =
      written === null
        ? []
        : [
            ['report', written.json],
            ...(written.audit === null ? [] : ([['audit log', written.audit]] as const)),
            ['accounts', written.accounts],
            ...(fillsName === null
              ? []
              : ([['fills', join(options.out ?? '', fillsName)]] as const)),
            ['report.md', written.md],
            ...(written.html === null ? [] : ([['report.html', written.html]] as const)),
          ];
    io.stdout.write(formatSummary(result.report, files, timing, result.rollout?.records ?? []));
  }
}

/** Total size of the input files for the progress bar (0, hence no bar, if one is missing). */
function totalBytes(files: readonly string[]): number {
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(file).size;
    } catch {
      return 0; // the replay reports the missing file properly
    }
  }
  return total;
}

/**
 * The replay's validated configuration, the `--inject` specs split by lane (each segment or
 * candidate gets the common specs plus its own `NAME/ARM:…` ones), and the candidates of an A/B/n
 * rollout (null without `--candidate`).
 */
async function replayConfigFrom(
  io: CliIo,
  files: string[],
  o: ReplayCliOptions,
  canaryGiven: boolean,
): Promise<{
  config: ReplayConfig;
  inject: LaneInjectSpecs;
  candidates: ArmStrategyConfig[] | null;
}> {
  if (o.out === '') throw new UsageError('--out: empty; give a directory (. for this one)');
  checkDistinctFeedFiles(files);
  const seed = parseInteger('--seed', o.seed, 0, 2 ** 31 - 1);
  if (o.plan !== undefined && o.weight !== undefined) {
    throw new UsageError('give either --plan (a rollout) or --weight (a fixed weight), not both');
  }
  if (o.plan === undefined) {
    for (const [flag, value] of [
      ['--plan-time-scale', o.planTimeScale],
      ['--on-rollback', o.onRollback],
      ['--operator', o.operator],
      ['--mode manual', o.mode === 'manual' ? o.mode : undefined],
    ] as const) {
      if (value !== undefined) throw new UsageError(`${flag} needs --plan`);
    }
  }
  if (o.out === undefined) {
    for (const [flag, given] of [
      ['--no-fills', !o.fills],
      ['--no-html', !o.html],
    ] as const) {
      if (given) throw new UsageError(`${flag} needs --out: without it no file is written`);
    }
  }
  const weightPct = parseNumberInRange('--weight', o.weight ?? REPLAY_DEFAULTS.weightPct, 0, 100);
  const weightBps = weightPctToBps(weightPct);
  const rollout = o.plan === undefined ? undefined : await rolloutFrom(o.plan, o);
  const segments = rollout?.plan.segments;
  if (segments !== undefined && o.operator !== undefined)
    throw new UsageError(
      "--operator: a plan with segments runs one rollout per segment, and a script cannot name one yet; run a segment's plan alone to script it",
    );
  const candidateCount = o.candidate.length;
  if (candidateCount > 0 || o.candidateParams.length > 0)
    checkCandidateOptions(o, canaryGiven, segments !== undefined);
  const inject = splitInjectSpecs(
    o.inject,
    candidateCount > 0
      ? { kind: 'candidate', names: candidateNames(candidateCount) }
      : segments === undefined
        ? null
        : { kind: 'segment', names: segments.list.map((segment) => segment.name) },
  );
  let accounts: Account[];
  let accountsSource: string;
  if (/^\d+$/.test(o.accounts)) {
    const n = parseInteger('--accounts', o.accounts, 1, 1_000_000);
    accounts = generateAccounts(n, seed);
    accountsSource = 'generated';
  } else {
    if (!existsSync(o.accounts) && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(o.accounts.trim()))
      throw new UsageError(
        `--accounts: expected a positive whole number of accounts (1–1000000) or an accounts CSV file, got "${o.accounts}"`,
      );
    accounts = await loadAccountsFile(o.accounts);
    accountsSource = o.accounts;
  }
  const feeBps =
    o.feeBps === undefined
      ? DEFAULT_EXECUTION_CONFIG.feeBps
      : parseNumberInRange('--fee-bps', o.feeBps, 0, 1000);
  // The fee rate's places add to every fill's fee: keep it within the exact books' scale.
  if (o.feeBps !== undefined && new Decimal(o.feeBps.trim()).decimalPlaces() > MAX_BPS_DECIMALS)
    throw new UsageError(
      `--fee-bps: at most ${MAX_BPS_DECIMALS} decimals (a millionth of a bp), got "${o.feeBps}"`,
    );
  if (segments !== undefined) accounts = accountsWithSegments(accounts, segments, accountsSource);
  else {
    // A segment column without segments in the plan is ignored, with a warning rather than an
    // error: see ignoredSegmentColumnWarning.
    const ignored = ignoredSegmentColumnWarning(accounts, accountsSource);
    if (ignored !== null) io.stderr.write(`strategy-canary: warning: ${ignored}\n`);
  }
  const config: ReplayConfig = {
    files,
    feed: {
      onBadLine: o.onBadLine,
      time: o.time,
      ...(o.tradesOnly === true ? { tradesOnly: true } : {}),
      ...(o.format === undefined ? {} : { format: o.format }),
      ...(o.symbol === undefined ? {} : { symbol: o.symbol }),
    },
    accountsSource,
    accounts,
    salt: o.salt,
    weightBps,
    seed,
    strategies: {
      stable: await armStrategy('stable', o.stable, o.stableParams),
      canary: await armStrategy('canary', o.canary, o.canaryParams),
    },
    execution: executionConfigFrom(o, feeBps),
    injections: parseInjectSpecs(inject.common),
    maxLeverage: parseNumberInRange('--max-leverage', o.maxLeverage, 0.01, 100),
    quantityDecimals: parseInteger('--quantity-decimals', o.quantityDecimals, 0, 12),
    sampleIntervalMs: parseNumberInRange('--interval', o.interval, 1, 3_600_000),
    ...(o.bigintBooks === true ? { bigintBooks: true } : {}),
    ...(rollout === undefined ? {} : { rollout }),
  };
  // Each lane's own specs are parsed (and checked) now, before anything is created.
  for (const own of inject.byLane.values()) parseInjectSpecs([...inject.common, ...own]);
  const candidates =
    candidateCount === 0
      ? null
      : await Promise.all(
          o.candidate.map((spec, i) =>
            armStrategy(
              `candidate`,
              spec,
              o.candidateParams.length === 1 ? o.candidateParams[0] : o.candidateParams[i],
            ),
          ),
        );
  // Every lane needs accounts: checked now, before anything is created.
  if (candidates !== null) candidateReplays(config, candidates, inject);
  return { config, inject, candidates };
}

/** `--candidate`: two or more, with a plan, instead of `--canary`, in auto mode, alone. */
function checkCandidateOptions(
  o: ReplayCliOptions,
  canaryGiven: boolean,
  segmented: boolean,
): void {
  const count = o.candidate.length;
  if (count === 1)
    throw new UsageError(
      '--candidate: an A/B/n rollout takes two or more candidates; one candidate is --canary',
    );
  if (count === 0) throw new UsageError('--candidate-params needs --candidate');
  if (canaryGiven)
    throw new UsageError(
      o.canaryParams !== undefined
        ? '--canary-params goes with --canary (one candidate); the candidates of --candidate take --candidate-params'
        : 'give either --canary (one candidate) or --candidate (several), not both',
    );
  if (o.plan === undefined) throw new UsageError('--candidate needs --plan: an A/B/n rollout');
  if (o.candidateParams.length > 1 && o.candidateParams.length !== count)
    throw new UsageError(
      `--candidate-params: give one for every candidate or one per --candidate (${count}), got ${o.candidateParams.length}`,
    );
  if (segmented)
    throw new UsageError(
      '--candidate: a plan with segments and several candidates is not supported yet',
    );
  if (o.mode !== 'auto')
    throw new UsageError(
      '--candidate: an A/B/n rollout runs in auto mode (the choice of the winner is its own)',
    );
  if (o.operator !== undefined)
    throw new UsageError('--operator: an A/B/n rollout cannot be scripted yet');
}

function executionConfigFrom(o: ReplayCliOptions, feeBps: number): ExecutionConfig {
  const latency =
    o.latencySigma === undefined
      ? DEFAULT_EXECUTION_CONFIG.latency
      : (() => {
          const jitterSigma = parseNumberInRange('--latency-sigma', o.latencySigma, 0, 3);
          return {
            stable: { ...DEFAULT_EXECUTION_CONFIG.latency.stable, jitterSigma },
            canary: { ...DEFAULT_EXECUTION_CONFIG.latency.canary, jitterSigma },
          };
        })();
  const accountSlippageSdBps =
    o.accountSlippageSd === undefined
      ? 0
      : parseNumberInRange(
          '--account-slippage-sd',
          o.accountSlippageSd,
          0,
          MAX_ACCOUNT_SLIPPAGE_SD_BPS,
        );
  return {
    ...DEFAULT_EXECUTION_CONFIG,
    latency,
    feeBps,
    accountSlippageSdBps,
    outages: o.outages === undefined ? null : parseOutages(o.outages),
  };
}

/** `--outages PER_HOUR:DURATION_MS`, e.g. `36:1000`. */
function parseOutages(text: string): OutageModel {
  const parts = text.split(':');
  if (parts.length !== 2)
    throw new UsageError(
      `--outages: expected PER_HOUR:DURATION_MS (e.g. 36:1000 for 36 outages an hour of 1 s each), got "${text}"`,
    );
  const perHour = parseNumberInRange('--outages (per hour)', parts[0]!, 0, MAX_OUTAGES_PER_HOUR);
  const durationMs = parseNumberInRange(
    '--outages (duration ms)',
    parts[1]!,
    0,
    MAX_OUTAGE_DURATION_MS,
  );
  if (perHour === 0 || durationMs === 0)
    throw new UsageError(
      `--outages: the rate and the duration must be above 0 (leave --outages out for none), got "${text}"`,
    );
  return { perHour, durationMs };
}

async function rolloutFrom(planSpec: string, o: ReplayCliOptions): Promise<ReplayRollout> {
  checkPresetName(planSpec);
  let plan = await loadPlan(planSpec);
  const timeScale =
    o.planTimeScale === undefined
      ? 1
      : parseNumberInRange('--plan-time-scale', o.planTimeScale, 0.000001, 1000);
  if (timeScale !== 1) plan = scalePlan(plan, timeScale);
  if (o.onRollback !== undefined) plan = { ...plan, positions: o.onRollback };
  return {
    plan,
    mode: o.mode,
    auditPath: o.out === undefined ? null : join(o.out, 'audit.jsonl'),
    timeScale,
    ...(o.operator === undefined ? {} : { operatorScript: await loadOperatorScript(o.operator) }),
  };
}

async function armStrategy(
  arm: string,
  spec: string,
  paramsJson: string | undefined,
): Promise<ArmStrategyConfig> {
  const definition = await loadStrategyDefinition(spec);
  let input: unknown = undefined;
  if (paramsJson !== undefined) {
    try {
      input = JSON.parse(paramsJson);
    } catch {
      throw new UsageError(`--${arm}-params: not valid JSON: ${paramsJson}`);
    }
  }
  // A module is named by its path; its bytes' hash says which version of the file ran.
  const moduleSha256 =
    getStrategyDefinition(spec) === undefined
      ? createHash('sha256')
          .update(await readFile(resolve(spec)))
          .digest('hex')
      : undefined;
  try {
    return {
      spec,
      definition,
      params: definition.parseParams(input),
      ...(moduleSha256 === undefined ? {} : { moduleSha256 }),
    };
  } catch (error) {
    // The strategy's message may start with its own id, already in ours.
    const id = `${definition.name}@${definition.version}`;
    const reason = oneLine(error).replace(`${id}: invalid params: `, '').replace(`${id}: `, '');
    throw new ConfigError(
      'E_STRATEGY_PARAMS',
      `--${arm}-params: invalid parameters for ${spec}: ${reason}${paramSuggestions(definition, input)}`,
    );
  }
}

/** ` (did you mean fastMs?)` for the keys of `input` the strategy's defaults do not have. */
function paramSuggestions(
  definition: { parseParams(input: unknown): unknown },
  input: unknown,
): string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return '';
  let known: string[];
  try {
    const defaults = definition.parseParams(undefined);
    if (defaults === null || typeof defaults !== 'object') return '';
    known = Object.keys(defaults);
  } catch {
    return '';
  }
  const suggestions: string[] = [];
  for (const key of Object.keys(input)) {
    if (known.includes(key)) continue;
    const nearest = nearestName(key, known);
    if (nearest !== null) suggestions.push(`${nearest} for "${key}"`);
  }
  if (suggestions.length === 0) return '';
  if (suggestions.length === 1) return ` (did you mean ${suggestions[0]!.split(' for ')[0]}?)`;
  return ` (did you mean ${suggestions.join(', ')}?)`;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, '; ');
}
