import { ConfigError } from '../core/errors.js';
import { CLIENT_ROLES, type ClientRole } from '../protocol/index.js';

/** A token bucket: `perSecond` messages refilled each second, at most `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** The server's limits (docs/server.md, "Limits"). Sizes in bytes, durations in wall-clock ms. */
export interface ServerLimits {
  /** Largest message a client may send; a larger one closes the connection with 1009. */
  readonly maxPayloadBytes: number;
  /** A client that has not said `hello` within this time gets an error and is closed (1008). */
  readonly helloTimeoutMs: number;
  /** Open websocket connections (including those before `hello`); more are refused with 503. */
  readonly maxConnections: number;
  /** Messages a client may send, per role, after its `hello`. */
  readonly rates: Readonly<Record<ClientRole, RateLimit>>;
  /** Above this many bytes waiting to be sent to a client, its `metrics` frames are dropped. */
  readonly softBufferedBytes: number;
  /** A frame that would take a client above this many waiting bytes closes it with 1013. */
  readonly hardBufferedBytes: number;
  /** A client closed for being slow is cut off (its buffer freed) if still open after this time. */
  readonly slowCloseGraceMs: number;
  /** Report ids remembered for idempotency, over all agents: the latest this many. */
  readonly reportIdsKept: number;
}

/** The limits' input form: any field may be left out, and any role of `rates`. */
export type ServerLimitsInput = Partial<Omit<ServerLimits, 'rates'>> & {
  readonly rates?: Partial<Record<ClientRole, RateLimit>>;
};

const MIB = 1024 * 1024;

/** The defaults (docs/server.md). */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxPayloadBytes: 64 * 1024,
  helloTimeoutMs: 5000,
  maxConnections: 256,
  rates: {
    subscriber: { perSecond: 5, burst: 10 },
    operator: { perSecond: 20, burst: 40 },
    agent: { perSecond: 2000, burst: 4000 },
  },
  softBufferedBytes: 4 * MIB,
  hardBufferedBytes: 16 * MIB,
  slowCloseGraceMs: 1000,
  reportIdsKept: 1_000_000,
};

/**
 * The defaults with `input`'s fields over them, checked.
 * @throws ConfigError `E_USAGE` for a limit that is not a positive number, or a soft buffer bound
 *   above the hard one.
 */
export function resolveServerLimits(input: ServerLimitsInput = {}): ServerLimits {
  const d = DEFAULT_SERVER_LIMITS;
  const rates = Object.fromEntries(
    CLIENT_ROLES.map((role) => {
      const rate = input.rates?.[role] ?? d.rates[role];
      positive(`rates.${role}.perSecond`, rate.perSecond);
      positive(`rates.${role}.burst`, rate.burst);
      return [role, { perSecond: rate.perSecond, burst: rate.burst }];
    }),
  ) as Record<ClientRole, RateLimit>;
  const limits: ServerLimits = {
    maxPayloadBytes: positiveInteger('maxPayloadBytes', input.maxPayloadBytes ?? d.maxPayloadBytes),
    helloTimeoutMs: positive('helloTimeoutMs', input.helloTimeoutMs ?? d.helloTimeoutMs),
    maxConnections: positiveInteger('maxConnections', input.maxConnections ?? d.maxConnections),
    rates,
    softBufferedBytes: positive(
      'softBufferedBytes',
      input.softBufferedBytes ?? d.softBufferedBytes,
    ),
    hardBufferedBytes: positive(
      'hardBufferedBytes',
      input.hardBufferedBytes ?? d.hardBufferedBytes,
    ),
    slowCloseGraceMs: positive('slowCloseGraceMs', input.slowCloseGraceMs ?? d.slowCloseGraceMs),
    reportIdsKept: positiveInteger('reportIdsKept', input.reportIdsKept ?? d.reportIdsKept),
  };
  if (limits.softBufferedBytes > limits.hardBufferedBytes) {
    throw new ConfigError(
      'E_USAGE',
      `server limits: softBufferedBytes (${limits.softBufferedBytes}) is above hardBufferedBytes (${limits.hardBufferedBytes})`,
    );
  }
  return limits;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      'E_USAGE',
      `server limits: ${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(
      'E_USAGE',
      `server limits: ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
