/**
 * The results of the latest agent reports, by `(agentId, reportId)`, for idempotency: a report
 * sent again (an agent replaying after a reconnect) gets the first result back and is not
 * recorded twice. Bounded: beyond `capacity` ids overall the oldest is forgotten (a ring of ids
 * in arrival order; about 150 bytes an id of 20 characters).
 */
export class ReportIdCache<V> {
  readonly capacity: number;
  readonly #byAgent = new Map<string, Map<string, V>>();
  readonly #ringAgent: string[] = [];
  readonly #ringReport: string[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.#ringAgent.length;
  }

  get(agentId: string, reportId: string): V | undefined {
    return this.#byAgent.get(agentId)?.get(reportId);
  }

  set(agentId: string, reportId: string, result: V): void {
    let results = this.#byAgent.get(agentId);
    if (results === undefined) {
      results = new Map();
      this.#byAgent.set(agentId, results);
    }
    if (results.has(reportId)) {
      results.set(reportId, result);
      return;
    }
    results.set(reportId, result);
    if (this.#ringAgent.length < this.capacity) {
      this.#ringAgent.push(agentId);
      this.#ringReport.push(reportId);
      return;
    }
    const i = this.#next;
    this.#forget(this.#ringAgent[i] as string, this.#ringReport[i] as string);
    this.#ringAgent[i] = agentId;
    this.#ringReport[i] = reportId;
    this.#next = (i + 1) % this.capacity;
  }

  #forget(agentId: string, reportId: string): void {
    const results = this.#byAgent.get(agentId);
    if (results === undefined) return;
    results.delete(reportId);
    if (results.size === 0) this.#byAgent.delete(agentId);
  }
}
