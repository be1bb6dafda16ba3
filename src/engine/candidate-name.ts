/**
 * The name of an A/B/n replay's candidate in lane `index` (0-based): `c1`, `c2`, … in
 * `--candidate` order (its run directory, its `--inject` prefix, its report's `inputs.candidate`).
 */
export function candidateName(index: number): string {
  return `c${index + 1}`;
}
