// A fake engine for the rollout's tests: applies the controller's commands to a real Router over a
// few hundred accounts (some pinned or excluded) and tracks which version each arm runs.
import type { RoutingOverride } from '../../core/account.js';
import type { Arm } from '../../core/arm.js';
import { plainReason, type DecisionAction, type DecisionReason } from '../../core/decision.js';
import { Router } from '../../router/index.js';
import type { DecisionProposal, ProposalTrigger } from '../decision-proposal.js';
import type { RolloutCommand } from '../rollout-command.js';
import { applyRouterCommand } from '../router-sync.js';

export const SALT = 'rollout-tests';
export const OLD = 'momentum@1.0.0';
export const NEW = 'momentum@2.0.0';

/** `acct-0000`…; every 20th pinned to canary, every 20th (offset 7) to stable, every 25th excluded. */
export function testAccounts(count: number): Array<{ id: string; override?: RoutingOverride }> {
  const accounts: Array<{ id: string; override?: RoutingOverride }> = [];
  for (let i = 0; i < count; i++) {
    const id = `acct-${String(i).padStart(4, '0')}`;
    if (i % 20 === 3) accounts.push({ id, override: 'canary' });
    else if (i % 20 === 7) accounts.push({ id, override: 'stable' });
    else if (i % 25 === 11) accounts.push({ id, override: 'exclude' });
    else accounts.push({ id });
  }
  return accounts;
}

export class FakeEngine {
  readonly router: Router;
  readonly ids: readonly string[];
  readonly armVersion: Record<Arm, string | null> = { stable: OLD, canary: null };
  /** Every version that has ever run on an arm. */
  readonly deployed = new Set<string>([OLD]);
  inProgress: RolloutCommand | null = null;
  readonly applied: RolloutCommand[] = [];

  constructor(accountCount = 300) {
    const accounts = testAccounts(accountCount);
    const overrides: Array<readonly [string, RoutingOverride]> = [];
    for (const a of accounts) if (a.override !== undefined) overrides.push([a.id, a.override]);
    this.router = new Router({ salt: SALT, weightBps: 0, overrides });
    this.router.disableCanary(); // what syncRouter does for a pending rollout
    this.ids = accounts.map((a) => a.id);
  }

  apply(command: RolloutCommand): void {
    if (this.inProgress !== null)
      throw new Error(
        `two transitions at once: ${command.type} while ${this.inProgress.type} is in progress`,
      );
    applyRouterCommand(this.router, command);
    switch (command.type) {
      case 'set-weight':
        this.armVersion.canary = NEW;
        this.deployed.add(NEW);
        break;
      case 'promote':
        // the stable arm keeps its version: the router alone must send everyone to the canary
        this.armVersion.canary = command.version;
        break;
      case 'rollback':
        if (!this.deployed.has(command.toVersion))
          throw new Error(`rollback to ${command.toVersion}, never deployed`);
        this.armVersion.stable = command.toVersion;
        this.armVersion.canary = null;
        break;
    }
    this.inProgress = command;
    this.applied.push(command);
  }

  complete(): void {
    this.inProgress = null;
  }

  /** The version account `id` runs now (null: routed to an arm with no version). */
  versionOf(id: string): string | null {
    return this.armVersion[this.router.route(id)];
  }

  canaryCount(): number {
    let n = 0;
    for (const id of this.ids) if (this.router.route(id) === 'canary') n++;
    return n;
  }

  liveVersions(): Set<string | null> {
    const set = new Set<string | null>();
    for (const id of this.ids) set.add(this.versionOf(id));
    return set;
  }
}

/** A proposal as the analysis would send it. */
export function proposal(
  action: DecisionAction,
  stepIndex: number,
  trigger: ProposalTrigger = 'analysis',
  codes: readonly string[] = [action === 'hold' ? 'METRIC_INCONCLUSIVE' : 'ALL_NON_INFERIOR'],
): DecisionProposal {
  const reasons: DecisionReason[] = codes.map((code) => plainReason(code, code));
  return {
    type: 'decision-proposal',
    action,
    stepIndex,
    trigger,
    reasons,
    guardrails:
      trigger === 'guardrail'
        ? [{ name: 'canaryDrawdownPct', value: 4, limit: 3, unit: '%', breached: true }]
        : [],
  };
}
