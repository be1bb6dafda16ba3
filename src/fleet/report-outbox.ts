import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { ConfigError } from '../core/errors.js';
import type { BotReport } from '../embed/bot-report.js';
import type { CanaryState } from '../rollout/index.js';

/** A report waiting for the server's acknowledgement. */
export interface OutboxEntry {
  readonly reportId: string;
  readonly report: BotReport;
}

/** Acknowledgements appended before the journal is rewritten with the pending reports only. */
const DEFAULT_COMPACT_AFTER_ACKS = 50_000;

/**
 * An agent's reports from the moment it makes them until the server acknowledges them, in order,
 * each with its report id. With a `path` it is a journal (JSON lines: `{"next":n}` first, then
 * `{"id","report"}` per report, `{"ack"}` per acknowledgement and `{"state"}` per rollout state
 * heard), written before a report is sent: a bot that is killed and restarted finds its unacknowledged reports and the next id
 * there, replays them, and the server's idempotency on report ids drops those it already had;
 * it also finds the last state it heard, so it routes at the last weight it knew even before the
 * server is back.
 * Until `compactAfterAcks` acknowledgements have been appended (then the journal is rewritten
 * with the pending reports only) it is also the full history of what the bot reported.
 * Appends are synchronous writes (they survive the process being killed, not a power cut: there
 * is no fsync). Without a path the ids carry a random session prefix, so a restarted bot never
 * reuses one.
 */
export class ReportOutbox {
  readonly #path: string | null;
  readonly #prefix: string;
  readonly #pending = new Map<string, BotReport>();
  #next = 1;
  #lastState: CanaryState | null = null;
  #acksSinceCompact = 0;
  readonly #compactAfterAcks: number;

  constructor(path?: string, options: { readonly compactAfterAcks?: number } = {}) {
    this.#path = path ?? null;
    this.#prefix = path === undefined ? `${randomBytes(6).toString('hex')}-` : '';
    this.#compactAfterAcks = options.compactAfterAcks ?? DEFAULT_COMPACT_AFTER_ACKS;
    if (this.#path !== null) {
      if (existsSync(this.#path)) this.#load(this.#path);
      else this.#compact();
    }
  }

  /** Reports not yet acknowledged. */
  get size(): number {
    return this.#pending.size;
  }

  /** The pending reports, oldest first. */
  pending(): IterableIterator<OutboxEntry> {
    return mapEntries(this.#pending.entries());
  }

  /** The last rollout state recorded (from the journal of an earlier run too), or null. */
  get lastState(): CanaryState | null {
    return this.#lastState;
  }

  /** Records the rollout's state as the server sent it. */
  recordState(state: CanaryState): void {
    this.#lastState = state;
    this.#append({ state });
  }

  /** Gives `report` the next id, journals it, and returns the id. */
  add(report: BotReport): string {
    const reportId = `${this.#prefix}${this.#next++}`;
    this.#append({ id: reportId, report });
    this.#pending.set(reportId, report);
    return reportId;
  }

  /** The report, if it is still pending. */
  get(reportId: string): BotReport | undefined {
    return this.#pending.get(reportId);
  }

  /** The server answered for `reportId`: it leaves the outbox. False if it was not pending. */
  settle(reportId: string): boolean {
    if (!this.#pending.delete(reportId)) return false;
    this.#append({ ack: reportId });
    if (++this.#acksSinceCompact >= this.#compactAfterAcks) this.#compact();
    return true;
  }

  #append(line: object): void {
    if (this.#path !== null) appendFileSync(this.#path, `${JSON.stringify(line)}\n`);
  }

  /** Rewrites the journal with the pending reports only (write, then rename: never half done). */
  #compact(): void {
    if (this.#path === null) return;
    const lines = [JSON.stringify({ next: this.#next })];
    if (this.#lastState !== null) lines.push(JSON.stringify({ state: this.#lastState }));
    for (const [id, report] of this.#pending) lines.push(JSON.stringify({ id, report }));
    const temporary = `${this.#path}.tmp`;
    writeFileSync(temporary, `${lines.join('\n')}\n`);
    renameSync(temporary, this.#path);
    this.#acksSinceCompact = 0;
  }

  #load(path: string): void {
    const text = readFileSync(path, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    if (complete < text.length) {
      // Killed in the middle of an append: that report was never sent. Cut it off, so the next
      // append starts a line of its own.
      truncateSync(path, Buffer.byteLength(text.slice(0, complete)));
    }
    const lines = text.slice(0, complete).split('\n');
    let maxSeen = 0;
    lines.forEach((source, index) => {
      if (source.trim() === '') return;
      let line: { next?: unknown; id?: unknown; report?: unknown; ack?: unknown; state?: unknown };
      try {
        line = JSON.parse(source) as typeof line;
      } catch {
        throw new ConfigError('E_USAGE', `${path}:${index + 1}: not a report outbox line`);
      }
      if (typeof line.next === 'number') maxSeen = Math.max(maxSeen, line.next - 1);
      else if (typeof line.id === 'string' && typeof line.report === 'object') {
        this.#pending.set(line.id, line.report as BotReport);
        const n = Number(line.id);
        if (Number.isSafeInteger(n)) maxSeen = Math.max(maxSeen, n);
      } else if (typeof line.ack === 'string') this.#pending.delete(line.ack);
      else if (typeof line.state === 'object' && line.state !== null) {
        this.#lastState = line.state as CanaryState;
      } else throw new ConfigError('E_USAGE', `${path}:${index + 1}: not a report outbox line`);
    });
    this.#next = maxSeen + 1;
  }
}

function* mapEntries(entries: Iterable<[string, BotReport]>): IterableIterator<OutboxEntry> {
  for (const [reportId, report] of entries) yield { reportId, report };
}
