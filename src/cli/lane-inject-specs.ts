import { ConfigError } from '../core/errors.js';

/** `--inject` specs split by lane: `NAME/ARM:…` parts apply to lane NAME (a segment, a candidate), the others to all. */
export interface LaneInjectSpecs {
  readonly common: readonly string[];
  readonly byLane: ReadonlyMap<string, readonly string[]>;
}

/** `usdm/canary:latency=+20ms`: a segment name, a slash, then an arm's spec. */
const SEGMENT_PREFIX = /^\s*([^/:;]+)\/(.*)$/s;

/** The lanes `--inject` prefixes may name: a plan's segments, or an A/B/n run's candidates. */
export interface InjectLanes {
  readonly kind: 'segment' | 'candidate';
  readonly names: readonly string[];
}

/**
 * Splits `--inject` specs into the parts every lane gets and each lane's own (`NAME/ARM:…`: a
 * segment, docs/rollout.md "Segments", or a candidate, `c2/canary:…`). `lanes` null: the run has
 * none, and a prefix is an error.
 * @throws ConfigError `E_INJECT_SPEC` for a prefix naming no lane (or any prefix without lanes).
 */
export function splitInjectSpecs(
  specs: readonly string[],
  lanes: InjectLanes | null,
): LaneInjectSpecs {
  const common: string[] = [];
  const byLane = new Map<string, string[]>();
  for (const spec of specs) {
    for (const part of spec.split(';')) {
      const match = SEGMENT_PREFIX.exec(part);
      if (match === null) {
        common.push(part);
        continue;
      }
      const name = match[1]!.trim();
      if (lanes === null)
        throw new ConfigError(
          'E_INJECT_SPEC',
          `bad --inject spec "${part}": the prefix "${name}/" needs a plan with segments or several --candidate (docs/rollout.md)`,
        );
      if (!lanes.names.includes(name))
        throw new ConfigError(
          'E_INJECT_SPEC',
          lanes.kind === 'segment'
            ? `bad --inject spec "${part}": the plan has no segment "${name}" (its segments: ${lanes.names.join(', ')})`
            : `bad --inject spec "${part}": there is no candidate "${name}" (the candidates: ${lanes.names.join(', ')}, in --candidate order)`,
        );
      byLane.set(name, [...(byLane.get(name) ?? []), match[2]!]);
    }
  }
  return { common, byLane };
}
