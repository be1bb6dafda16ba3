import { existsSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { PLAN_PRESET_NAMES } from '../rollout/index.js';
import { nearestName } from './nearest-name.js';

/**
 * `--plan standrad`: not a file and shaped like a preset name (letters, digits, dashes), so a
 * mistyped preset rather than a missing file: refused (`E_PLAN`) with the presets and the nearest
 * one. Anything else passes on to `loadPlan`.
 */
export function checkPresetName(spec: string): void {
  if ((PLAN_PRESET_NAMES as readonly string[]).includes(spec)) return;
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(spec) || existsSync(spec)) return;
  const nearest = nearestName(spec, PLAN_PRESET_NAMES);
  throw new ConfigError(
    'E_PLAN',
    `--plan: "${spec}" is neither a preset (${PLAN_PRESET_NAMES.join(', ')}) nor a plan file${nearest === null ? '' : `; did you mean ${nearest}?`}`,
  );
}
