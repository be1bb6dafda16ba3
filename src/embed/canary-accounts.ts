import type { Account, RoutingOverride } from '../core/account.js';
import { ConfigError } from '../core/errors.js';
import { Decimal, isDecimalString } from '../core/money.js';
import { MONEY_DIGITS } from '../ledger/fixed-point.js';

/** One of the bot's accounts. */
export interface CanaryAccount {
  /** 1 to 256 characters, unique: what a report names (`accountId`). */
  readonly id: string;
  /** Starting capital, quote currency, > 0 (a decimal string keeps it exact). */
  readonly capital: string | number;
  readonly override?: RoutingOverride;
  /**
   * The account's segment (venue, region, account class), for a rollout per segment
   * (`createSegmentedCanary`); a single canary ignores it.
   */
  readonly segment?: string;
}

const MAX_ID_LENGTH = 256;
const OVERRIDES: readonly unknown[] = ['stable', 'canary', 'exclude'];

/**
 * `createCanary`'s accounts, checked and made exact. Throws a ConfigError `E_USAGE` naming the
 * account and the field for: no accounts; an id that is not a string of 1 to 256 characters (a
 * report could not name it) or is repeated; a capital that is not a positive decimal (a decimal
 * string or a finite number) of at most 42 places; an override other than `stable`, `canary`
 * or `exclude`.
 */
export function canaryAccounts(accounts: readonly CanaryAccount[]): Account[] {
  if (accounts.length === 0) throw new ConfigError('E_USAGE', 'accounts: none given');
  const seen = new Set<string>();
  return accounts.map((account, index) => {
    const { id, capital, override } = account as {
      readonly [K in keyof CanaryAccount]: unknown;
    };
    const where = `accounts[${index}]`;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
      throw new ConfigError(
        'E_USAGE',
        `${where}.id: ${shown(id)} is not a string of 1 to ${MAX_ID_LENGTH} characters`,
      );
    }
    const named = `${where} (${JSON.stringify(id)})`;
    if (seen.has(id)) throw new ConfigError('E_USAGE', `${named}.id: a duplicate id`);
    seen.add(id);
    const exact = positiveDecimal(capital);
    if (exact === null) {
      throw new ConfigError(
        'E_USAGE',
        `${named}.capital: ${shown(capital)} is not a positive decimal (a string like "25000", or a finite number)`,
      );
    }
    if (exact.decimalPlaces() > MONEY_DIGITS) {
      throw new ConfigError(
        'E_USAGE',
        `${named}.capital: more than ${MONEY_DIGITS} decimal places, finer than the exact books keep`,
      );
    }
    if (override !== undefined && !OVERRIDES.includes(override)) {
      throw new ConfigError(
        'E_USAGE',
        `${named}.override: ${shown(override)} is not stable, canary or exclude`,
      );
    }
    return {
      id,
      capital: exact,
      ...(account.override === undefined ? {} : { override: account.override }),
    };
  });
}

/** `value` as an exact decimal when it is a positive one (a decimal string, a finite number). */
function positiveDecimal(value: unknown): Decimal | null {
  const valid =
    (typeof value === 'string' && isDecimalString(value)) ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!valid) return null;
  const exact = new Decimal(value);
  return exact.greaterThan(0) ? exact : null;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
