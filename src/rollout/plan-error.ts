import { ConfigError } from '../core/errors.js';

/** One problem with a plan: the field path (`steps.2.weightPct`) and what is wrong with it. */
export interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A rollout plan that does not validate (a `ConfigError` with code `E_PLAN`). The message names the file (or preset) and
 * every bad field: `plan.json: steps.1.weightPct: must be greater than steps.0.weightPct (5)`.
 */
export class PlanError extends ConfigError {
  /** The plan file's path, or `preset:<name>` / `plan:<name>` for plans built in code. */
  readonly file: string;
  readonly issues: readonly PlanIssue[];

  constructor(file: string, issues: readonly PlanIssue[], options?: ErrorOptions) {
    const parts: string[] = [];
    for (const issue of issues) parts.push(`${file}: ${issue.path}: ${issue.message}`);
    super('E_PLAN', parts.join('; '), options);
    this.file = file;
    this.issues = issues;
  }
}
