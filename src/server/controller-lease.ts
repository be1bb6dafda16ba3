import type { KV } from '@nats-io/kv';

/** Options of {@link ControllerLease}. */
export interface ControllerLeaseOptions {
  /** The leases bucket (its entries expire `leaseMs` after they were last written). */
  readonly kv: KV;
  readonly key: string;
  /** This controller's id (host, process and a random part: never two alike). */
  readonly id: string;
  /** How long a lease lasts without renewal, ms (the bucket's `ttl`). */
  readonly leaseMs: number;
  /** Whether this controller may take the lease now (it has applied the log so far). */
  readonly ready: () => boolean;
  /** Called when this controller becomes the leader (true) or stops being it (false). */
  readonly onChange: (leader: boolean) => void;
  /** Wall clock, ms (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * The controllers' lease in a JetStream key-value bucket (docs/server.md, "Failover"): whoever
 * creates the key leads, and renews it every quarter of `leaseMs` with a compare-and-set on its
 * revision; an entry not renewed expires with the bucket's `ttl`, and a standby then creates it.
 * A leader that cannot renew for half of `leaseMs` (NATS away, or its process stalled) steps
 * down before its entry can expire, so two controllers lead at once only across a stall longer
 * than that; and even then nothing is counted twice, because every controller books the same log
 * (the leader only speaks for the rollout).
 */
export class ControllerLease {
  readonly #options: ControllerLeaseOptions;
  readonly #now: () => number;
  #revision = 0;
  #renewedAtMs = 0;
  #leader = false;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;

  constructor(options: ControllerLeaseOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** Starts contending for the lease (now, then every quarter of `leaseMs`). */
  start(): void {
    const every = Math.max(50, Math.floor(this.#options.leaseMs / 4));
    this.#timer = setInterval(() => void this.tick(), every);
    void this.tick();
  }

  /** One round: renew the lease held, or try to take a free one. */
  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      if (this.#leader) await this.#renew();
      else if (this.#options.ready()) await this.#take();
    } finally {
      this.#busy = false;
    }
  }

  /** Stops, and frees the lease if held (the standby takes over at once instead of after `leaseMs`). */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#busy) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!this.#leader) return;
    this.#set(false);
    await this.#options.kv
      .delete(this.#options.key, { previousSeq: this.#revision })
      .catch(() => undefined);
  }

  async #renew(): Promise<void> {
    const { kv, key, id } = this.#options;
    try {
      this.#revision = await kv.update(key, id, this.#revision, this.#options.leaseMs / 4);
      this.#renewedAtMs = this.#now();
    } catch (error) {
      const taken = String(error).includes('wrong last sequence');
      if (taken || this.#now() - this.#renewedAtMs > this.#options.leaseMs / 2) this.#set(false);
    }
  }

  async #take(): Promise<void> {
    const { kv, key, id } = this.#options;
    try {
      this.#revision = await kv.create(key, id);
    } catch {
      // Held: by another controller, or by this one before it stepped down (then it is ours).
      try {
        const entry = await kv.get(key);
        if (entry === null || entry.string() !== id) return;
        this.#revision = await kv.update(key, id, entry.revision);
      } catch {
        return;
      }
    }
    this.#renewedAtMs = this.#now();
    this.#set(true);
  }

  #set(leader: boolean): void {
    if (this.#leader === leader) return;
    this.#leader = leader;
    this.#options.onChange(leader);
  }
}
