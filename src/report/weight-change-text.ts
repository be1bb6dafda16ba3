/**
 * A decision's weights as the reports write them: `10 % → 50 %` when it moved the weight, else
 * the one weight it was taken at (`0 %`): a proposal waiting for an operator, a refused or held
 * decision moved nothing, and `0 % → 0 %` would read as an increase to 0.
 */
export function weightChangeText(fromWeightPct: number, toWeightPct: number): string {
  return fromWeightPct === toWeightPct
    ? `${fromWeightPct} %`
    : `${fromWeightPct} % → ${toWeightPct} %`;
}
