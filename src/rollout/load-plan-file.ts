import { readFile } from 'node:fs/promises';
import { parsePlan } from './parse-plan.js';
import { PlanError } from './plan-error.js';
import { isPlanPresetName, PLAN_PRESETS } from './plan-presets.js';
import type { RolloutPlan } from './plan.js';

/**
 * Reads and validates a JSON plan file (docs/rollout.md, "Plan files"). Throws a `PlanError`
 * (`E_PLAN`) naming the file and the field: unreadable file, invalid JSON, or a rule broken.
 */
export async function loadPlanFile(path: string): Promise<RolloutPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlanError(
      path,
      [{ path: '(file)', message: `cannot read the file (${(error as Error).message})` }],
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new PlanError(
      path,
      [{ path: '(file)', message: `not valid JSON (${(error as Error).message})` }],
      { cause: error },
    );
  }
  return parsePlan(json, path);
}

/** `--plan`: a preset name (`standard`, `aggressive`, …) or the path of a JSON plan file. */
export async function loadPlan(spec: string): Promise<RolloutPlan> {
  return isPlanPresetName(spec) ? PLAN_PRESETS[spec] : loadPlanFile(spec);
}
