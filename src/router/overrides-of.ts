import type { Account, RoutingOverride } from '../core/account.js';

/** The overrides carried by `accounts`, ready for `new Router({ ..., overrides })`. */
export function overridesOf(
  accounts: readonly Account[],
): Array<readonly [string, RoutingOverride]> {
  const overrides: Array<readonly [string, RoutingOverride]> = [];
  for (const account of accounts)
    if (account.override !== undefined) overrides.push([account.id, account.override]);
  return overrides;
}
