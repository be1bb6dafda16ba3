import { dirname, resolve } from 'node:path';
import { filter, share, type Observable } from 'rxjs';
import { armMetrics, type MetricsSnapshot } from '../metrics/index.js';
import type { Arm } from '../core/arm.js';
import type { Decision } from '../core/decision.js';
import type { ExecutionReport } from '../core/execution-report.js';
import { CanaryError, ConfigError, OutputError } from '../core/errors.js';
import { makeDirectorySync } from '../core/make-directory-sync.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import { RolloutRunner, type OperatorOutcome } from '../control/index.js';
import { armTotalsToJson, type ArmTotalsJson } from '../ledger/index.js';
import {
  canonicalJson,
  isPlanPresetName,
  PLAN_PRESETS,
  planHash,
  RolloutSession,
  routingBeforeTransition,
  sha256Hex,
  syncRouter,
  type AuditRecord,
  type CalendarStatus,
  type CanaryState,
  type ControllerOutput,
  type PlanPresetName,
  type ResumedFrom,
  type RolloutController,
  type RolloutMode,
  type RolloutPlan,
  sampleIntervalMisfit,
  validatePlan,
} from '../rollout/index.js';
import { canaryAccounts, type CanaryAccount } from './canary-accounts.js';
import {
  botReportSchema,
  MAX_PLAUSIBLE_LATENCY_MS,
  type BotReport,
  type ValidBotReport,
} from './bot-report.js';
import { EmbeddedBooks, type AssignmentChange } from './embedded-books.js';
import {
  REPORT_REJECTION_CODES,
  type RecordResult,
  type ReportRejection,
  type ReportRejectionCode,
} from './report-rejection.js';
import { ReportJournal, type JournalEntry } from './report-journal.js';
import { implausibleEventTime } from './plausible-event-time.js';
import { marketEventProblem } from './market-event-problem.js';
import { claimFiles, releaseFiles, type FileHolder } from './persisted-files.js';
import {
  IDS_KEPT,
  rebuildFromJournal,
  reportName,
  type OpenOrder,
} from './rebuild-from-journal.js';
import { RecentIds } from './recent-ids.js';

export type { CanaryAccount };

/** Options of {@link createCanary}. */
export interface CanaryOptions {
  /** Version labels of the two strategies (`name@version`), as the audit log records them. */
  readonly stable: string;
  readonly canary: string;
  /** A preset name or a plan (`loadPlan('plan.json')` reads a file); no shadow step. */
  readonly plan: PlanPresetName | RolloutPlan;
  readonly salt: string;
  readonly accounts: readonly CanaryAccount[];
  /** `auto` (default): decisions apply; `manual`: they wait for `approve` / `reject`. */
  readonly mode?: RolloutMode;
  /**
   * Persist the rollout here (both or neither): a restarted bot resumes at the same step. Missing
   * folders of these paths (and of `journalPath`) are created; `E_OUTPUT` when they cannot be.
   */
  readonly statePath?: string;
  readonly auditPath?: string;
  /**
   * An audit log whose last line was torn by a crash: move the torn bytes to `<auditPath>.torn`
   * and append a `repair` record (`repairTornLine`), instead of refusing to open (`E_AUDIT_LOG`,
   * the default). `serve --repair` sets it.
   */
  readonly repairTornLine?: boolean;
  /**
   * With `statePath` and `auditPath`: journal every accepted report here (JSON lines, written
   * before it is booked) and rebuild the books, open orders, duplicate ids and recent moves from
   * it on a restart, so that a report accepted before a crash is neither lost nor refused after
   * it (docs/server.md, "Restarts"). `serve --state-dir` sets it.
   */
  readonly journalPath?: string;
  /** Event-time interval of the equity samples behind returns, ms: 1 to 3,600,000 (default 1000). */
  readonly sampleIntervalMs?: number;
  /**
   * How far behind the canary's clock a report may be, event-time ms (default 0: none, so a fill
   * that comes after a later market event is refused `TIME_BACKWARDS`: set it). Several
   * bots on one rollout (a fleet) never share a clock exactly, and an agent that reconnects replays
   * reports it made while away. Within this window a fill or reject older than the clock is booked
   * at the clock's time (its latency and slippage as reported), and an order for the arm an account
   * left is accepted for that arm (the bot had not yet heard of the move). Beyond it they are
   * refused, `TIME_BACKWARDS` and `WRONG_ARM`. A fill or reject stamped before its own order's
   * decision is taken within it too (the exchange's clock behind the bot's), `INVALID` beyond.
   */
  readonly lateReportMs?: number;
}

/** Options of {@link Canary.record}. */
export interface RecordOptions {
  /**
   * The sender's idempotency key (a fleet agent's id and report id). With a journal, a report whose
   * key was journaled before a restart is answered `{ accepted: true, repeated: true }` and not
   * booked twice; another report under that key is refused `MISMATCH` (a key names one report).
   */
  readonly key?: string;
}

/** Reports recorded for one arm (accepted only). */
export interface RecordedCounts {
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
}

/**
 * What an operator command did: `applied`, or refused (not allowed now: a stale proposal, a
 * resume when not halted, a transition in progress…) with the controller's reason code, or
 * `NOT_STARTED` before the rollout has any event time.
 */
export type CommandOutcome = OperatorOutcome;

/** Where the rollout is (defined with the rollout: `src/rollout/canary-state.ts`). */
export type { CanaryState };

/** A decision waiting for an operator's `approve` or `reject` (manual mode). */
export interface WaitingProposal {
  readonly id: number;
  readonly action: 'increase' | 'promote' | 'rollback';
  /** Why it was proposed (the decision's reasons). */
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
}

/** Reports refused so far, by code. */
export type RejectionCounts = Readonly<Record<ReportRejectionCode, number>>;

/**
 * A rollout inside a trading bot (docs/embedding.md): the bot routes its accounts, reports its
 * orders, fills and rejects and feeds market data; the canary analyses them and decides.
 */
export interface Canary {
  /**
   * The arm an account trades now: O(1), no I/O. Throws a {@link CanaryError}
   * `E_UNKNOWN_ACCOUNT` for an account the canary was not created with (its reports would be
   * refused, so no arm is right for it).
   */
  route(accountId: string): Arm;
  /**
   * Records a report of the bot's broker. A report that does not validate is refused with a
   * typed reason, counted, and changes nothing (the books stay exact).
   */
  record(report: BotReport, options?: RecordOptions): RecordResult;
  /**
   * A market event the bot saw: event time moves on and the books mark the symbol (not with an
   * event older than the one that marked it last). Throws a {@link CanaryError} `E_USAGE`, and
   * changes nothing, for a `tsUs` that is not a whole number of µs from 2000-01-01 up to 2100-01-01
   * (a time in ms or ns), which would move the clock to nonsense, and for an event the books cannot
   * mark by: not a `trade` or `quote`, no symbol, a price that is not a positive decimal string of
   * at most 24 places with a finite positive `...Num` twin, a crossed quote.
   */
  onMarketEvent(event: MarketEvent): void;
  /**
   * Event time from the bot's market data, when there is no event to pass: `advance(tsMs)`, ms
   * since the epoch, throws `E_USAGE` outside 2000-01-01 to 2100-01-01 (a time in s or µs).
   */
  readonly clock: { advance(tsMs: number): void; readonly nowMs: number };
  /** Every decision (increase, promote, hold, rollback) with its evidence, as it is taken. */
  readonly decisions$: Observable<Decision>;
  /**
   * Every audit record (decisions, timeouts, operator commands, transitions) once it is written,
   * in order: what notifications are made of (`src/notify/`).
   */
  readonly audit$: Observable<AuditRecord>;
  /**
   * The rollout's identity: the hash of its plan, versions, salt and accounts, written on every
   * audit line (the same after a restart that resumes it).
   */
  readonly rolloutId: string;
  /**
   * Every fill and reject the canary booked, in order (what `serve --fills` journals); a report
   * rebuilt from the report journal after a restart is not given again.
   */
  readonly executions$: Observable<ExecutionReport>;
  /** Each symbol's mark now (the price open positions are valued at), exact. */
  marks(): readonly (readonly [symbol: string, price: Decimal])[];
  /** Accounts that changed arm: flatten or hand over their positions, as `positions` says. */
  readonly assignments$: Observable<AssignmentChange>;
  /**
   * Per-arm statistics (counts, latency, slippage, return, drawdown) on each event-time boundary
   * of `sampleIntervalMs`, for dashboards; shared, starts with the first subscriber's next boundary.
   */
  readonly metrics$: Observable<MetricsSnapshot>;
  readonly state: CanaryState;
  /**
   * The proposal waiting for an operator (manual mode), or null: its `id` is what `approve` and
   * `reject` take.
   */
  readonly pendingProposal: WaitingProposal | null;
  /**
   * The plan's trading calendar at the canary's clock: open, or why closed and until when
   * (docs/rollout.md, "Trading calendar"); null when the plan has none.
   */
  readonly calendar: CalendarStatus | null;
  /** The strategy version each arm runs, as the canary was created with. */
  readonly versions: Readonly<Record<Arm, string>>;
  readonly rejections: RejectionCounts;
  /** Reports accepted so far, by the arm they were made on. */
  readonly recorded: Readonly<Record<Arm, RecordedCounts>>;
  /** An arm's exact books from the fills reported (P&L attributed to the arm it was earned on). */
  totals(arm: Arm): ArmTotalsJson;
  /**
   * Operator commands (manual mode's proposals, and any time): each is audited. A `reason` that is
   * not a string of 1 to 1000 characters, or a proposal id that is not a whole number ≥ 1, throws a
   * {@link CanaryError} `E_USAGE` and writes nothing.
   */
  approve(proposalId: number): CommandOutcome;
  reject(proposalId: number, reason: string): CommandOutcome;
  halt(reason: string): CommandOutcome;
  resume(): CommandOutcome;
  rollback(reason: string): CommandOutcome;
  /**
   * Closes the audit log and the report journal (the state is saved after every change). Then
   * `record`, `onMarketEvent`, `clock.advance` and the operator commands throw a
   * {@link CanaryError} `E_CLOSED` and change nothing; the reads (`route`, `state`, `totals`…)
   * answer as at the close. Closing again does nothing. A canary created later in this process on
   * one of its persisted files closes it the same way (the last one opened owns the files), and so
   * does a call that cannot write the audit log, the state or the report journal: it throws
   * `E_OUTPUT` (an `OutputError` naming the file), and a restart resumes from what was saved.
   */
  close(): void;
}

/**
 * Creates a rollout for a bot's accounts. With `statePath` and `auditPath` it is persisted and a
 * restarted bot resumes at the same step and weight, every account on the arm it was on (the
 * analysis's evidence starts afresh; without `journalPath`, the books too). A plan object is
 * validated as a plan file is (`validatePlan`): a `PlanError` (`E_PLAN`) names the field.
 *
 * @example
 * const canary = createCanary({ stable: 'momentum@1.0.0', canary: 'momentum@2.0.0', plan: 'standard',
 *   salt: 'spring', accounts, statePath: 'state.json', auditPath: 'audit.jsonl' });
 * canary.assignments$.subscribe((change) => bot.move(change));
 * if (canary.route(account.id) === 'canary') ...
 * canary.record(report);
 */
export function createCanary(options: CanaryOptions): Canary {
  checkLabelsAndMode(options);
  if (typeof options.plan !== 'string' && (typeof options.plan !== 'object' || !options.plan)) {
    throw new ConfigError('E_PLAN', `plan must be a preset name or a plan object`);
  }
  const plan = typeof options.plan === 'string' ? presetOf(options.plan) : options.plan;
  // A plan built in code meets a plan file's rules (a guardrail out of range: E_PLAN, not later).
  if (typeof options.plan !== 'string') validatePlan(plan, `plan:${plan.name}`);
  if (plan.steps.some((step) => step.weightPct === 0)) {
    throw new ConfigError(
      'E_PLAN',
      `plan ${plan.name}: a shadow step (weight 0) needs paper execution, which an embedded rollout does not have; use a plan without one`,
    );
  }
  const lateUs = Math.round((options.lateReportMs ?? 0) * 1000);
  if (!Number.isFinite(lateUs) || lateUs < 0) {
    throw new ConfigError('E_USAGE', `lateReportMs must be a finite number ≥ 0`);
  }
  const sampleIntervalMs = options.sampleIntervalMs ?? 1000;
  // As replay's --interval: a bad one threw a bare RangeError, or sampled equity every µs.
  if (
    !Number.isFinite(sampleIntervalMs) ||
    sampleIntervalMs < 1 ||
    sampleIntervalMs > MAX_SAMPLE_INTERVAL_MS
  ) {
    throw new ConfigError(
      'E_USAGE',
      `sampleIntervalMs must be a number of ms from 1 to ${MAX_SAMPLE_INTERVAL_MS}, got ${sampleIntervalMs}`,
    );
  }
  const misfit = sampleIntervalMisfit(plan, sampleIntervalMs);
  if (misfit !== null) throw new ConfigError('E_USAGE', `sampleIntervalMs: ${misfit}`);
  if ((options.statePath === undefined) !== (options.auditPath === undefined)) {
    throw new ConfigError('E_USAGE', 'statePath and auditPath go together: give both or neither');
  }
  if (options.journalPath !== undefined && options.statePath === undefined) {
    throw new ConfigError(
      'E_USAGE',
      'journalPath needs statePath and auditPath: the books it rebuilds belong to a persisted rollout',
    );
  }
  checkDistinctFiles(options);
  const accounts = canaryAccounts(options.accounts);
  for (const path of [options.statePath, options.auditPath, options.journalPath]) {
    if (path !== undefined) makeParentDir(path);
  }
  const books = new EmbeddedBooks({
    accounts,
    salt: options.salt,
    sampleIntervalMs,
  });
  const mode = options.mode ?? 'auto';
  const configHash = sha256Hex(
    canonicalJson({
      plan: planHash(plan),
      stable: options.stable,
      canary: options.canary,
      salt: options.salt,
      accounts: sha256Hex(accounts.map((a) => `${a.id},${a.capital.toFixed()}`).join('\n')),
    }),
  );
  const versions = { stableVersion: options.stable, canaryVersion: options.canary };
  const session =
    options.statePath === undefined || options.auditPath === undefined
      ? null
      : RolloutSession.open({
          plan,
          mode,
          ...versions,
          statePath: options.statePath,
          auditPath: options.auditPath,
          configHash,
          repairTornLine: options.repairTornLine ?? false,
        });
  /**
   * What the rollout could not write (its audit log or state: a folder deleted, a disk full), from
   * within the books' streams: the call that drove it throws it, and the canary closes (`act`).
   */
  let failure: { readonly error: unknown } | null = null;
  const runner = new RolloutRunner(books, {
    plan,
    mode,
    ...versions,
    auditPath: null,
    configHash,
    ...(session === null ? {} : { session }),
    onFailure: (error) => {
      failure ??= { error };
    },
  });
  const resumedFrom: ResumedFrom = session?.resumedFrom ?? 'new';
  const resuming = resumedFrom !== 'new' && runner.controller.status !== 'pending';
  // A resumed rollout routes at its saved weight from the start: the first reports after a
  // restart are checked against the routes the agents still use, not against "all on stable".
  if (resuming) syncRouter(books.router, runner.controller);
  let started = false;
  const ensureStarted = (tsUs: number): void => {
    if (started) return;
    started = true;
    // Never before what the rollout audited last (a halt in its baseline, a step): a bot whose feed
    // restarts a little earlier would otherwise give the controller a time that goes back (a
    // RangeError, thrown from a subscriber: uncaught). Its older reports are late, as any others.
    const atUs = Math.max(tsUs, runner.controller.lastTsUs ?? 0);
    // A rollout saved before it ever started (pending: a server stopped before any event time)
    // has nothing to resume: it starts as a fresh one does.
    if (!resuming) {
      runner.start(atUs);
      return;
    }
    books.clock.advance(atUs);
    syncRouter(books.router, runner.controller);
    books.resync();
    runner.resume(session?.recovered ?? { records: [], commands: [] });
  };

  const rejections: Record<ReportRejectionCode, number> = Object.fromEntries(
    REPORT_REJECTION_CODES.map((code) => [code, 0]),
  ) as Record<ReportRejectionCode, number>;
  const refuse = (code: ReportRejectionCode, message: string): RecordResult => {
    rejections[code]++;
    const rejection: ReportRejection = { code, message };
    return { accepted: false, rejection };
  };
  const recorded = { stable: newCounts(), canary: newCounts() };
  /** Each account's latest move: an order for the arm it left is late, not wrong, for a while. */
  const lastMoves = new Map<string, AssignmentChange>();
  books.assignments$.subscribe((move) => lastMoves.set(move.accountId, move));
  const leftRecently = (accountId: string, arm: Arm): boolean => {
    const move = lastMoves.get(accountId);
    return move !== undefined && move.from === arm && move.atTsUs >= books.clock.nowUs - lateUs;
  };
  const orders = new Map<string, OpenOrder>();
  const fillIds = new RecentIds(IDS_KEPT);
  /** Orders filled or rejected: reported again, they would be counted twice (MISMATCH). */
  const settledOrderIds = new RecentIds(IDS_KEPT);
  const accountIds = new Set(accounts.map((a) => a.id));

  // The report journal: rebuild what the last process had booked, then journal from here on.
  /** Keys of reports journaled before this process: their sender may send them again. */
  const journaledKeys = new RecentIds(IDS_KEPT);
  const opened =
    options.journalPath === undefined
      ? null
      : ReportJournal.open(
          options.journalPath,
          configHash,
          rebuildFromJournal(options.journalPath, {
            books,
            orders,
            fillIds,
            settledOrderIds,
            recorded,
            lastMoves,
            journaledKeys,
          }),
        );
  const journal = opened?.journal ?? null;
  if (resuming && (opened === null || opened.created)) {
    // No record of the moves booked before the restart: every account's books open on the arm the
    // bot trades it on, and no move is told for it. A transition the crash cut short is left out
    // here; the first event time applies it again and tells its moves (ensureStarted).
    syncRouter(books.router, routingBeforeTransition(runner.controller));
    books.restoreRoutes();
  }
  // The clock reads the last event time the rollout audited (or its journal's, if later) from the
  // start: a bot that stamps its first decisions after a restart with `clock.nowMs` sends that
  // time, not 0 (INVALID).
  if (resuming) books.clock.advance(runner.controller.lastTsUs ?? 0);
  if (journal !== null) {
    books.onMembershipChange = (tsUs, marks, moves) =>
      journal.append({
        k: 'moves',
        tsUs,
        marks: marks.map(([symbol, price]) => [symbol, price.toFixed()] as const),
        moves: moves.map((m) => [m.accountId, m.from, m.to] as const),
      });
  }
  const marksIntervalUs = Math.max(1, Math.round(sampleIntervalMs * 1000));
  /** The event time from which the marks are journaled again, and the last marks journaled. */
  let marksDueUs = 0;
  let journaledMarks = '';
  /**
   * Journals each symbol's mark when they changed: a restart values open positions at them, not at
   * the marks of the last membership change. Called once per sample interval of market data, and
   * at close().
   */
  const markTexts = () =>
    books.ledger.markPrices().map(([symbol, price]) => [symbol, price.toFixed()] as const);
  const journalMarks = (): void => {
    if (journal === null) return;
    const marks = markTexts();
    const text = JSON.stringify(marks);
    if (text === journaledMarks) return;
    journaledMarks = text;
    journal.append({ k: 'marks', tsUs: books.clock.nowUs, marks });
  };
  if (journal !== null) journaledMarks = JSON.stringify(markTexts()); // as rebuilt: journaled
  /** Journals an entry, built only when there is a journal (no work per report without one). */
  const write = (entry: () => JournalEntry): void => {
    if (journal !== null) journal.append(entry());
  };

  let closed = false;
  /** Why it is closed: close(), or another canary of this process opened its files. */
  let closedBecause = 'close() was called';
  /** After close(), nothing may change the rollout (an in-memory one would go on booking). */
  const ensureOpen = (): void => {
    if (closed) {
      throw new CanaryError(
        'E_CLOSED',
        `the canary is closed (${closedBecause}): it takes no more reports, events or commands`,
      );
    }
  };
  const files: FileHolder = {
    // Its journal is the newer canary's now: nothing more is written to it.
    supersede: (path) => shut(`another canary of this process opened ${path}`, false),
  };
  const shut = (because: string, lastMarks: boolean): void => {
    if (closed) return;
    closed = true;
    closedBecause = because;
    releaseFiles(files);
    try {
      if (lastMarks) journalMarks();
    } finally {
      runner.close();
      journal?.close();
    }
  };
  /**
   * Runs a call that changes the rollout. When it could not write what it must (the report journal,
   * or, from within the books' streams, the audit log or the state), the error is thrown from this
   * call, not later from a timer, and the canary closes: what it holds in memory is no longer what
   * is saved, and a restart resumes from what is.
   */
  const act = <T>(call: () => T): T => {
    let result: T | undefined;
    try {
      result = call();
    } catch (error) {
      failure ??= { error };
    }
    if (failure !== null) {
      const { error } = failure;
      shut(
        `it could not save the rollout: ${error instanceof Error ? error.message : String(error)}`,
        false,
      );
      throw error;
    }
    return result as T;
  };

  /**
   * Over an hour (and `lateReportMs`) ahead of the started clock: a time from another clock (the
   * wall clock's on a replayed feed). Taken, an order's (through its fill) or a strategy error's
   * would jump the clock past every step's maximum, and every fill after it would be
   * TIME_BACKWARDS: refused, as a fill over an hour after its order's decision is.
   */
  const aheadOfTheClock = (tsUs: number): boolean =>
    started && tsUs > books.clock.nowUs + MAX_PLAUSIBLE_LATENCY_MS * 1000 + lateUs;

  const recordNow = (input: BotReport, recordOptions: RecordOptions): RecordResult => {
    const key = recordOptions.key;
    const journaledFor = key === undefined ? undefined : journaledKeys.noteOf(key);
    if (journaledFor !== undefined) {
      // A key journaled before the restart: the same report sent again, or a sender that reused
      // the key for another (its key sequence started again): refused, never dropped as repeated.
      const sent = sentReportName(input);
      if (sent === journaledFor) return { accepted: true, repeated: true };
      return refuse(
        'MISMATCH',
        `key ${key} was journaled for ${journaledFor}, not for ${sent ?? 'this report'}: a key names one report`,
      );
    }
    const parsed = botReportSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : `${issue.path.join('.') || 'report'}: `;
      return refuse('INVALID', `${where}${issue?.message ?? 'not a report'}`);
    }
    const report: ValidBotReport = parsed.data;
    if (report.type === 'strategy-error') {
      const tsUs = Math.round(report.tsMs * 1000);
      if (aheadOfTheClock(tsUs)) {
        return refuse(
          'INVALID',
          `tsMs: strategy-error at ${report.tsMs} ms, more than an hour after the canary's clock (${books.clock.nowUs / 1000} ms): event time expected (pass the market event that led to it, or clock.advance, first)`,
        );
      }
      ensureStarted(tsUs);
      books.recordStrategyError(report.arm, Math.max(tsUs, books.clock.nowUs), report.message);
      return { accepted: true };
    }
    if (!accountIds.has(report.accountId)) {
      return refuse('UNKNOWN_ACCOUNT', `account ${report.accountId} is not one of the rollout's`);
    }
    const decisionTsUs = Math.round(report.decisionTsMs * 1000);
    if (report.type === 'order') {
      const routed = books.router.route(report.accountId);
      const arm = report.arm;
      if (arm !== routed && !leftRecently(report.accountId, arm)) {
        return refuse(
          'WRONG_ARM',
          `order ${report.orderId}: account ${report.accountId} routes to ${routed}, not ${arm}`,
        );
      }
      if (orders.has(report.orderId)) {
        return refuse('MISMATCH', `order ${report.orderId} was already reported`);
      }
      if (settledOrderIds.has(report.orderId)) {
        return refuse('MISMATCH', `order ${report.orderId} was already reported and settled`);
      }
      if (aheadOfTheClock(decisionTsUs)) {
        return refuse(
          'INVALID',
          `decisionTsMs: order ${report.orderId} decided at ${report.decisionTsMs} ms, more than an hour after the canary's clock (${books.clock.nowUs / 1000} ms): event time expected (pass the market event that led to it, or clock.advance, first)`,
        );
      }
      ensureStarted(decisionTsUs);
      write(() => ({
        k: 'order',
        ...(key === undefined ? {} : { key }),
        orderId: report.orderId,
        accountId: report.accountId,
        arm,
        symbol: report.symbol,
        side: report.side,
        quantity: new Decimal(report.quantity).toFixed(),
        decisionTsUs,
      }));
      orders.set(report.orderId, {
        accountId: report.accountId,
        arm,
        symbol: report.symbol,
        side: report.side,
        quantity: new Decimal(report.quantity),
        decisionTsUs,
      });
      books.recordOrder(arm, decisionTsUs);
      recorded[arm].orders++;
      return { accepted: true };
    }
    // Before the order: a fill sent again (a retry) finds its order settled by the first.
    if (report.type === 'fill' && fillIds.has(report.fillId)) {
      return refuse('DUPLICATE_FILL', `fill ${report.fillId} was already recorded`);
    }
    const order = orders.get(report.orderId);
    if (order === undefined) {
      return refuse(
        'UNKNOWN_ORDER',
        `${report.type} for order ${report.orderId}, never reported or already settled`,
      );
    }
    const quantity = new Decimal(report.quantity);
    if (
      order.accountId !== report.accountId ||
      order.arm !== report.arm ||
      order.symbol !== report.symbol ||
      order.side !== report.side ||
      !order.quantity.equals(quantity)
    ) {
      return refuse(
        'MISMATCH',
        `${report.type} for order ${report.orderId} disagrees with the order (account, arm, symbol, side or quantity)`,
      );
    }
    const filled =
      report.type === 'fill' && report.filledQuantity !== undefined
        ? new Decimal(report.filledQuantity)
        : quantity;
    if (!filled.isPositive() || filled.isZero() || filled.greaterThan(quantity)) {
      return refuse(
        'INVALID',
        `filledQuantity: ${filled.toFixed()} is not within (0, ${quantity.toFixed()}], the order's quantity (an order that filled nothing is settled by a reject)`,
      );
    }
    const reportedUs = Math.round(report.tsMs * 1000);
    // Before its own order's decision: a bot's bug (a clock off by more than lateReportMs).
    if (reportedUs < order.decisionTsUs - lateUs) {
      return refuse(
        'INVALID',
        `tsMs: ${report.type} for order ${report.orderId} at ${report.tsMs} ms, before its order's decision (${order.decisionTsUs / 1000} ms)`,
      );
    }
    // Over an hour after it: no fill takes that long (latencyMs is refused beyond an hour too); a
    // fill stamped by another clock (the wall clock's for event-time orders) would jump the
    // canary's clock past every step's maximum.
    if (
      report.type === 'fill' &&
      reportedUs > order.decisionTsUs + MAX_PLAUSIBLE_LATENCY_MS * 1000 + lateUs
    ) {
      return refuse(
        'INVALID',
        `tsMs: fill for order ${report.orderId} at ${report.tsMs} ms, more than an hour after its order's decision (${order.decisionTsUs / 1000} ms)`,
      );
    }
    if (reportedUs < books.clock.nowUs - lateUs) {
      return refuse(
        'TIME_BACKWARDS',
        `${report.type} for order ${report.orderId} at ${report.tsMs} ms, before the canary's clock (${books.clock.nowUs / 1000} ms)`,
      );
    }
    ensureStarted(reportedUs); // after a restart, a fill may come before any new order
    const tsUs = Math.max(reportedUs, books.clock.nowUs);
    write(() =>
      report.type === 'fill'
        ? {
            k: 'fill',
            ...(key === undefined ? {} : { key }),
            orderId: report.orderId,
            fillId: report.fillId,
            ...(filled === quantity ? {} : { filledQuantity: filled.toFixed() }),
            tsUs,
            price: new Decimal(report.price).toFixed(),
            fee: new Decimal(report.fee).toFixed(),
            latencyMs: report.latencyMs,
            slippageBps: report.slippageBps,
          }
        : {
            k: 'reject',
            ...(key === undefined ? {} : { key }),
            orderId: report.orderId,
            tsUs,
            reason: report.reason,
            message: report.message,
          },
    );
    orders.delete(report.orderId);
    settledOrderIds.add(report.orderId);
    const base = {
      orderId: report.orderId,
      accountId: report.accountId,
      arm: order.arm,
      symbol: report.symbol,
      side: report.side,
      quantity,
      decisionTsUs: order.decisionTsUs,
      tsUs,
    };
    if (report.type === 'fill') {
      fillIds.add(report.fillId);
      books.recordReport({
        ...base,
        quantity: filled,
        type: 'fill',
        price: new Decimal(report.price),
        fee: new Decimal(report.fee),
        latencyMs: report.latencyMs,
        slippageBps: report.slippageBps,
      });
      recorded[order.arm].fills++;
    } else {
      books.recordReport({
        ...base,
        type: 'reject',
        reason: report.reason,
        message: report.message,
      });
      recorded[order.arm].rejects++;
    }
    return { accepted: true };
  };

  const operate = (
    action: (controller: RolloutController, now: number) => ControllerOutput,
  ): CommandOutcome => {
    ensureOpen();
    // A resumed rollout has an event time before any new one: the last it audited (or, later, the
    // report journal's), so an operator can halt it before the restarted bot's first market data.
    if (!started && resuming) {
      act(() => ensureStarted(Math.max(books.clock.nowUs, runner.controller.lastTsUs ?? 0)));
    }
    if (!started) {
      // The rollout starts at the first event time it is given: a command before any would
      // start it at the epoch.
      return {
        applied: false,
        refusal: {
          code: 'NOT_STARTED',
          message:
            'the rollout has no event time yet: it starts with the first report, market event or clock.advance',
        },
      };
    }
    return act(() => runner.operate(action, books.clock.nowUs));
  };

  const canary: Canary = {
    route: (accountId) => {
      if (!accountIds.has(accountId)) {
        throw new CanaryError(
          'E_UNKNOWN_ACCOUNT',
          `account ${accountId} is not one the canary was created with (createCanary's accounts)`,
        );
      }
      return books.router.route(accountId);
    },
    record: (input, recordOptions = {}) => {
      ensureOpen();
      return act(() => recordNow(input, recordOptions));
    },
    onMarketEvent: (event) => {
      ensureOpen();
      const problem = marketEventProblem(event);
      if (problem !== null) throw new CanaryError('E_USAGE', `onMarketEvent: ${problem}`);
      act(() => {
        ensureStarted(event.tsUs);
        books.onMarketEvent(event);
        if (journal !== null && books.clock.nowUs >= marksDueUs) {
          marksDueUs = books.clock.nowUs + marksIntervalUs;
          journalMarks();
        }
      });
    },
    clock: {
      advance: (tsMs) => {
        ensureOpen();
        const implausible = implausibleEventTime(tsMs, 'ms');
        if (implausible !== null) {
          throw new CanaryError('E_USAGE', `clock.advance: ${tsMs} is ${implausible}`);
        }
        const tsUs = Math.round(tsMs * 1000);
        act(() => {
          ensureStarted(tsUs);
          books.advance(tsUs);
        });
      },
      get nowMs() {
        return books.clock.nowUs / 1000;
      },
    },
    decisions$: runner.decision$.asObservable(),
    audit$: runner.record$.asObservable(),
    rolloutId: configHash,
    assignments$: books.assignments$.asObservable(),
    executions$: books.metricsInput$.pipe(
      filter((input): input is ExecutionReport => input.type === 'fill' || input.type === 'reject'),
    ),
    marks: () => books.ledger.markPrices(),
    metrics$: books.metricsInput$.pipe(armMetrics({ intervalMs: sampleIntervalMs }), share()),
    versions: { stable: options.stable, canary: options.canary },
    get state(): CanaryState {
      const c = runner.controller;
      return {
        status: c.status,
        halted: c.halted,
        stepIndex: c.stepIndex,
        weightPct: c.weightPct,
        resumedFrom,
      };
    },
    get pendingProposal(): WaitingProposal | null {
      const pending = runner.controller.pendingProposal;
      return pending === null
        ? null
        : {
            id: pending.id,
            action: pending.action,
            reasons: pending.reasons.map(({ code, message }) => ({ code, message })),
          };
    },
    get calendar(): CalendarStatus | null {
      return runner.controller.calendarStatus(books.clock.nowUs);
    },
    get rejections(): RejectionCounts {
      return { ...rejections };
    },
    get recorded() {
      return { stable: { ...recorded.stable }, canary: { ...recorded.canary } };
    },
    totals: (arm) => armTotalsToJson(books.ledger.armTotals(arm)),
    approve: (id) => {
      ensureOpen();
      const proposal = proposalIdOf('approve', id);
      return operate((controller, now) => controller.approve(proposal, now));
    },
    reject: (id, reason) => {
      ensureOpen();
      const proposal = proposalIdOf('reject', id);
      const why = reasonOf('reject', reason);
      return operate((controller, now) => controller.reject(proposal, why, now));
    },
    halt: (reason) => {
      ensureOpen();
      const why = reasonOf('halt', reason);
      return operate((controller, now) => controller.halt(why, now));
    },
    resume: () => operate((controller, now) => controller.resume(now)),
    rollback: (reason) => {
      ensureOpen();
      const why = reasonOf('rollback', reason);
      return operate((controller, now) => controller.forceRollback(why, now));
    },
    close: () => shut('close() was called', true),
  };
  const persisted = [options.statePath, options.auditPath, options.journalPath];
  claimFiles(
    persisted.filter((path) => path !== undefined),
    files,
  );
  return canary;
}

/** What a report sent under a key names (`reportName`), or null when it is not an order, fill or reject. */
function sentReportName(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const { type, orderId, fillId } = input as Record<string, unknown>;
  if (typeof orderId !== 'string') return null;
  if (type === 'order' || type === 'reject') return reportName(type, orderId, undefined);
  if (type === 'fill' && typeof fillId === 'string') return reportName(type, orderId, fillId);
  return null;
}

/**
 * The state, audit log and report journal are three files, none of them another's own (the
 * state's `.tmp`, the audit log's `.lock` and `.torn`): given one file for two, the canary ran and
 * left a rollout that could not be opened again (`E_AUDIT_LOG`). A `ConfigError` `E_USAGE`.
 */
function checkDistinctFiles(options: CanaryOptions): void {
  const files = new Map<string, string>();
  const claim = (path: string | undefined, role: string): void => {
    if (path === undefined) return;
    const file = resolve(path);
    const other = files.get(file);
    if (other !== undefined) {
      throw new ConfigError(
        'E_USAGE',
        `${role} and ${other} name the same file, ${file}: the state, the audit log and the report journal need a file each`,
      );
    }
    files.set(file, role);
  };
  const { statePath, auditPath, journalPath } = options;
  claim(statePath, 'statePath');
  claim(auditPath, 'auditPath');
  claim(journalPath, 'journalPath');
  if (statePath !== undefined) claim(`${statePath}.tmp`, "statePath's .tmp");
  if (auditPath !== undefined) {
    claim(`${auditPath}.lock`, "auditPath's .lock");
    claim(`${auditPath}.torn`, "auditPath's .torn");
  }
}

/** The longest reason an operator command takes (as the fleet protocol's `reason`). */
const MAX_REASON_LENGTH = 1000;

/**
 * An operator command's reason, as the audit log keeps it: a string of 1 to 1000 characters.
 * Anything else (`undefined` from JavaScript, a number) was written as it came and left an audit
 * log that could not be read back (`E_AUDIT_LOG` at the restart): a `CanaryError` `E_USAGE`.
 */
function reasonOf(command: string, reason: unknown): string {
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    const shown = typeof reason === 'string' ? `${reason.length} characters` : String(reason);
    throw new CanaryError(
      'E_USAGE',
      `${command}: the reason must be a string of 1 to ${MAX_REASON_LENGTH} characters, got ${shown}`,
    );
  }
  return reason;
}

/** A proposal's id (its decision `seq`): a whole number ≥ 1, else a `CanaryError` `E_USAGE`. */
function proposalIdOf(command: string, id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw new CanaryError(
      'E_USAGE',
      `${command}: the proposal id must be a whole number ≥ 1 (pendingProposal.id), got ${typeof id === 'string' ? JSON.stringify(id) : String(id)}`,
    );
  }
  return id;
}

/** The longest equity sample interval, ms (an hour, as replay's `--interval`). */
const MAX_SAMPLE_INTERVAL_MS = 3_600_000;

/**
 * The version labels are what the audit log records: non-empty strings. The mode is `auto` or
 * `manual`: another ("Manual") made a hybrid that applied increases by itself and held the
 * analysis's rollbacks for a person.
 */
function checkLabelsAndMode(options: CanaryOptions): void {
  for (const arm of ['stable', 'canary'] as const) {
    const label: unknown = options[arm];
    if (typeof label !== 'string' || label.length === 0) {
      throw new ConfigError(
        'E_USAGE',
        `${arm} must be the version label of its strategy (name@version), got ${JSON.stringify(label) ?? 'undefined'}`,
      );
    }
  }
  const mode: unknown = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'manual') {
    throw new ConfigError(
      'E_USAGE',
      `mode must be "auto" or "manual", got ${JSON.stringify(mode) ?? String(mode)}`,
    );
  }
}

function presetOf(name: string): RolloutPlan {
  if (!isPlanPresetName(name)) {
    throw new ConfigError('E_PLAN', `no plan preset "${name}"; use loadPlan() for a plan file`);
  }
  return PLAN_PRESETS[name];
}

/** Creates the folder `path` goes in, and its parents; `E_OUTPUT` when it cannot. */
function makeParentDir(path: string): void {
  try {
    makeDirectorySync(dirname(path));
  } catch (error) {
    throw new OutputError(path, error);
  }
}

function newCounts(): { orders: number; fills: number; rejects: number } {
  return { orders: 0, fills: 0, rejects: 0 };
}
