import { ConfigError } from '../core/errors.js';
import { EMPTY_WATERMARK, type AuditEntry, type InputWatermark } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { AuditLogLock } from './audit-log-lock.js';
import type { DecisionProposal } from './decision-proposal.js';
import { readAuditLog, type TornLine } from './read-audit-log.js';
import { repairTornLine, type TornLineRepair } from './repair-torn-line.js';
import {
  RolloutController,
  type ControllerOutput,
  type RolloutControllerOptions,
} from './rollout-controller.js';
import { RolloutStateStore } from './rollout-state-store.js';

/** Options of {@link RolloutSession.open}. */
export interface RolloutSessionOptions extends RolloutControllerOptions {
  /** The persisted state (`state.json`). */
  readonly statePath: string;
  /** The audit log (`audit.jsonl`). */
  readonly auditPath: string;
  /** The run's configuration hash (covering at least `planHash(plan)`), on every audit line. */
  readonly configHash: string;
  /** Move a torn last line aside (`repairTornLine`) instead of refusing to open. Default false. */
  readonly repairTornLine?: boolean;
}

/**
 * Where an opened session's state came from: nothing (`new`), the state file alone (`state`),
 * the audit log alone (no state file: every record replayed, `log`), or the state file plus the
 * log's later records (`state+log`).
 */
export type ResumedFrom = 'new' | 'state' | 'log' | 'state+log';

/**
 * A controller with its audit log and persisted state, in the crash-safe order: every call
 * (1) computes the records, (2) appends each one, flushed to disk, (3) saves the state
 * atomically, and only then (4) returns the commands for the engine to apply. A crash anywhere
 * leaves a log at least as new as the state; `open` resumes from both (docs/rollout.md,
 * "Persisted state and resume").
 *
 * @example
 * const session = RolloutSession.open({ plan, mode: 'auto', stableVersion, canaryVersion, statePath, auditPath, configHash });
 * for (const command of session.start(tsUs, watermark).commands) engine.apply(command);
 */
export class RolloutSession {
  /** The controller, to read (weight, step, status…); drive it only through the session. */
  readonly controller: RolloutController;
  readonly resumedFrom: ResumedFrom;
  /** Log entries applied on top of the state file at open. */
  readonly replayed: readonly AuditEntry[];
  /** The torn last line found at open, if any (repaired when `repairTornLine` was set). */
  readonly torn: TornLine | null;
  readonly repair: TornLineRepair | null;
  /**
   * What open had to finish: a transition the log implied but did not hold yet (a crash between
   * two lines of one call). Its commands are for the engine, like any call's.
   */
  readonly recovered: ControllerOutput;
  readonly #log: AuditLog;
  readonly #store: RolloutStateStore;
  readonly #lock: AuditLogLock;

  private constructor(fields: {
    controller: RolloutController;
    resumedFrom: ResumedFrom;
    replayed: readonly AuditEntry[];
    torn: TornLine | null;
    repair: TornLineRepair | null;
    recovered: ControllerOutput;
    log: AuditLog;
    store: RolloutStateStore;
    lock: AuditLogLock;
  }) {
    this.controller = fields.controller;
    this.resumedFrom = fields.resumedFrom;
    this.replayed = fields.replayed;
    this.torn = fields.torn;
    this.repair = fields.repair;
    this.recovered = fields.recovered;
    this.#log = fields.log;
    this.#store = fields.store;
    this.#lock = fields.lock;
  }

  /**
   * Opens a new rollout or resumes one: locks the audit log against other processes
   * (`<auditPath>.lock`, `E_STATE_LOCKED` when another holds it: {@link AuditLogLock}; given
   * back by `close`), reads it (a torn last line is an `E_AUDIT_LOG`
   * error unless `repairTornLine`), loads the state file, checks they belong together, replays the
   * log's records newer than the state, finishes an interrupted transition, and saves the state.
   * A state newer than the log, or one written for another plan, mode or versions, is a
   * `ConfigError` `E_ROLLOUT_STATE`.
   */
  static open(options: RolloutSessionOptions): RolloutSession {
    const lock = AuditLogLock.acquire(options.auditPath);
    try {
      return RolloutSession.#openLocked(options, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  static #openLocked(options: RolloutSessionOptions, lock: AuditLogLock): RolloutSession {
    const { auditPath, statePath, configHash } = options;
    let contents = readAuditLog(auditPath);
    const torn = contents.torn;
    let repair: TornLineRepair | null = null;
    if (torn !== null) {
      if (options.repairTornLine !== true)
        throw new ConfigError(
          'E_AUDIT_LOG',
          `${auditPath}:${torn.lineNumber}: torn last line (${torn.reason}, ${torn.length} bytes at offset ${torn.offset}: ${JSON.stringify(torn.text.slice(0, 80))}); open it with repairTornLine (serve, report: --repair) to move it to ${auditPath}.torn`,
        );
      repair = repairTornLine(contents, { configHash });
      contents = readAuditLog(auditPath);
    }
    for (const entry of contents.entries)
      if (entry.configHash !== configHash)
        throw new ConfigError(
          'E_AUDIT_LOG',
          `${auditPath}:${entry.seq}: written for another rollout: its plan, strategy versions, salt or accounts differ from this one's (configHash ${entry.configHash.slice(0, 12)}…, this one's ${configHash.slice(0, 12)}…); resume it with the options it was started with, or give a new rollout its own files`,
        );

    const store = new RolloutStateStore(statePath);
    const snapshot = store.load();
    let controller: RolloutController;
    let from: number;
    if (snapshot === null) {
      controller = new RolloutController(options);
      from = 0;
    } else {
      controller = RolloutController.restore(snapshot, options.plan, statePath);
      const mismatch =
        snapshot.mode !== options.mode
          ? `mode ${snapshot.mode}, not ${options.mode}`
          : snapshot.stableVersion !== options.stableVersion ||
              snapshot.canaryVersion !== options.canaryVersion
            ? `versions ${snapshot.stableVersion} → ${snapshot.canaryVersion}, not ${options.stableVersion} → ${options.canaryVersion}`
            : null;
      if (mismatch !== null)
        throw new ConfigError(
          'E_ROLLOUT_STATE',
          `${statePath}: the rollout was started with ${mismatch}`,
        );
      if (snapshot.lastSeq > contents.lastSeq)
        throw new ConfigError(
          'E_ROLLOUT_STATE',
          `${statePath}: the state is at audit record ${snapshot.lastSeq} but ${auditPath} ends at ${contents.lastSeq}: records are missing from the log`,
        );
      const anchor = contents.entries[snapshot.lastSeq - 1];
      if (anchor !== undefined && anchor.tsUs !== snapshot.lastTsUs)
        throw new ConfigError(
          'E_ROLLOUT_STATE',
          `${statePath}: the state and ${auditPath} disagree at record ${snapshot.lastSeq} (event time ${String(snapshot.lastTsUs)} vs ${anchor.tsUs})`,
        );
      from = snapshot.lastSeq;
    }
    const replayed = contents.entries.slice(from);
    for (const entry of replayed) controller.replay(entry);
    const resumedFrom: ResumedFrom =
      snapshot === null
        ? contents.entries.length === 0
          ? 'new'
          : 'log'
        : replayed.length === 0
          ? 'state'
          : 'state+log';

    const log = AuditLog.open(auditPath, { configHash });
    const recovered = controller.finishInterrupted();
    const watermark = log.lastEntry?.watermark ?? EMPTY_WATERMARK;
    for (const record of recovered.records) log.append(record, watermark);
    if (snapshot === null || replayed.length > 0 || recovered.records.length > 0)
      store.save(controller.snapshot());
    return new RolloutSession({
      controller,
      resumedFrom,
      replayed,
      torn,
      repair,
      recovered,
      log,
      store,
      lock,
    });
  }

  /** See `RolloutController.start`. */
  start(nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.start(nowUs), watermark);
  }

  /** See `RolloutController.onDecision`. */
  onDecision(
    proposal: DecisionProposal,
    nowUs: number,
    watermark: InputWatermark,
  ): ControllerOutput {
    return this.#commit(this.controller.onDecision(proposal, nowUs), watermark);
  }

  /** See `RolloutController.approve`. */
  approve(id: number, nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.approve(id, nowUs), watermark);
  }

  /** See `RolloutController.reject`. */
  reject(id: number, reason: string, nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.reject(id, reason, nowUs), watermark);
  }

  /** See `RolloutController.halt`. */
  halt(reason: string, nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.halt(reason, nowUs), watermark);
  }

  /** See `RolloutController.resume`. */
  resume(nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.resume(nowUs), watermark);
  }

  /** See `RolloutController.forceRollback`. */
  forceRollback(
    reason: string,
    nowUs: number,
    watermark: InputWatermark,
    toVersion?: string,
  ): ControllerOutput {
    return this.#commit(this.controller.forceRollback(reason, nowUs, toVersion), watermark);
  }

  /** See `RolloutController.transitionComplete`. */
  transitionComplete(nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.transitionComplete(nowUs), watermark);
  }

  /** See `RolloutController.tick`. */
  tick(nowUs: number, watermark: InputWatermark): ControllerOutput {
    return this.#commit(this.controller.tick(nowUs), watermark);
  }

  /** Closes the audit log and gives back its lock. */
  close(): void {
    this.#log.close();
    this.#lock.release();
  }

  /**
   * Records what a direct call of `controller` produced, in the crash-safe order (each record
   * appended and flushed, then the state saved); returns it for its commands. For callers that
   * drive the controller themselves (the rollout runner), as every method above does.
   */
  commit(output: ControllerOutput, watermark: InputWatermark): ControllerOutput {
    return this.#commit(output, watermark);
  }

  #commit(output: ControllerOutput, watermark: InputWatermark): ControllerOutput {
    if (output.records.length === 0) return output;
    for (const record of output.records) this.#log.append(record, watermark);
    this.#store.save(this.controller.snapshot());
    return output;
  }
}
