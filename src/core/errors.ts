/**
 * Stable error codes. Every error a user can cause carries one; docs/errors.md lists them all with
 * their meaning. Codes never change meaning once released; new ones are added at the end.
 */
export type ErrorCode =
  // command line
  | 'E_USAGE'
  // feeds
  | 'E_FEED_NOT_FOUND'
  | 'E_FEED_EMPTY'
  | 'E_FEED_UNKNOWN_FORMAT'
  | 'E_FEED_TRUNCATED_GZIP'
  | 'E_FEED_READ'
  | 'E_FEED_MALFORMED_LINE'
  | 'E_FEED_BAD_FIELD'
  | 'E_FEED_OUT_OF_ORDER'
  | 'E_FEED_SYMBOL_UNKNOWN'
  // accounts
  | 'E_ACCOUNTS_FILE'
  | 'E_UNKNOWN_ACCOUNT'
  // strategies
  | 'E_STRATEGY_UNKNOWN'
  | 'E_STRATEGY_LOAD'
  | 'E_STRATEGY_INVALID'
  | 'E_STRATEGY_PARAMS'
  // execution
  | 'E_INJECT_SPEC'
  // output
  | 'E_OUTPUT'
  // rollout
  | 'E_PLAN'
  | 'E_OPERATOR_SCRIPT'
  | 'E_AUDIT_LOG'
  | 'E_REPORT_JOURNAL'
  | 'E_ROLLOUT_STATE'
  | 'E_RUN_DIR'
  | 'E_SWEEP_GRID'
  | 'E_SWEEP_RUN'
  | 'E_INTERRUPTED'
  // live feeds
  | 'E_LISTEN'
  | 'E_NATS'
  // exact books
  | 'E_PRECISION'
  // ctl
  | 'E_SERVER'
  | 'E_REFUSED'
  // ccxt adapter (src/ccxt/)
  | 'E_CCXT_NUMBER'
  | 'E_CCXT_MARKET'
  | 'E_CCXT_FEE_CURRENCY'
  | 'E_CCXT_ORDER'
  // embedding (src/embed/)
  | 'E_CLOSED'
  // persisted rollouts (serve --state-dir, createCanary's statePath and auditPath)
  | 'E_STATE_LOCKED';

/** Base class of every error the tool reports to a user: a stable `code` and a one-line message. */
export class CanaryError extends Error {
  override readonly name: string = 'CanaryError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Bad command-line usage: unknown option, missing argument, out-of-range value. */
export class UsageError extends CanaryError {
  override readonly name = 'UsageError';

  constructor(message: string, options?: ErrorOptions) {
    super('E_USAGE', message, options);
  }
}

/**
 * Bad input data, located: `file:line: field: reason`. `line` is 1-based; 0 when the problem is
 * the file as a whole (empty, unknown format, unreadable). `field` is the column or JSON key, or
 * `-` when the whole line is at fault.
 */
export class FeedError extends CanaryError {
  override readonly name = 'FeedError';
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;

  constructor(
    code: ErrorCode,
    location: { readonly file: string; readonly line: number; readonly field: string },
    reason: string,
    options?: ErrorOptions,
  ) {
    const where = location.line > 0 ? `${location.file}:${location.line}` : location.file;
    super(code, `${where}: ${location.field}: ${reason}`, options);
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.reason = reason;
  }
}

/** A configuration input (accounts file, strategy parameters, injection spec) that does not validate. */
export class ConfigError extends CanaryError {
  override readonly name = 'ConfigError';
}

/** An output (report directory, generated feed) that cannot be written: path and cause. */
export class OutputError extends CanaryError {
  override readonly name = 'OutputError';
  /** The file that could not be written. */
  readonly path: string;
  /** Why, in a few words (the cause's message). */
  readonly reason: string;

  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('E_OUTPUT', `cannot write ${path}: ${reason}`, { cause });
    this.path = path;
    this.reason = reason;
  }
}
