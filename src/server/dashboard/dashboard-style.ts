/**
 * The dashboard's stylesheet, inlined in the page (its sha256 is in the page's
 * Content-Security-Policy): system fonts only, the arms in report.html's colours.
 */
export const DASHBOARD_STYLE = String.raw`
:root { color-scheme: light; --ink: #1d2530; --muted: #5b6675; --line: #d9dee5; --band: #f4f6f9;
  --stable: #4a6785; --canary: #d9730d; --bad: #b42318; --good: #1a7f37; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 10px 24px;
  border-bottom: 2px solid var(--line); background: var(--band); }
header h1 { font-size: 18px; margin: 0; }
header .versions { font-weight: 400; color: var(--muted); margin-left: 6px; }
main { max-width: 1200px; margin: 0 auto; padding: 12px 24px 48px; display: grid; gap: 4px 28px;
  grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
main > section { min-width: 0; }
main > section.wide { grid-column: 1 / -1; }
h2 { font-size: 16px; margin: 18px 0 8px; padding-bottom: 3px; border-bottom: 2px solid var(--line); }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.mono, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.connection { padding: 2px 10px; border-radius: 10px; font-weight: 600; background: var(--line); }
.connection.connected { background: #dafbe1; color: var(--good); }
.connection.reconnecting, .connection.connecting { background: #fff8c5; color: var(--warn); }
.connection.refused { background: #ffebe9; color: var(--bad); }
.role { color: var(--muted); }
form.token { display: flex; gap: 6px; align-items: center; margin-left: auto; }
form.token input { width: 16em; }
input, button { font: inherit; }
button { padding: 3px 12px; border: 1px solid #9aa5b4; border-radius: 4px; background: #fff; cursor: pointer; }
button:hover { background: var(--band); }
button.danger { border-color: var(--bad); color: var(--bad); }
button.danger.armed { background: var(--bad); color: #fff; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 28px; align-items: baseline; }
.figure .value { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); margin-right: 4px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 12px; font-weight: 600;
  background: var(--line); }
.badge.halted, .badge.bad { background: #ffebe9; color: var(--bad); }
.badge.good { background: #dafbe1; color: var(--good); }
svg.weight-bar { width: 100%; height: 18px; display: block; margin: 6px 0; }
.arm-stable { color: var(--stable); }
.arm-canary { color: var(--canary); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.swatch.stable { background: var(--stable); }
.swatch.canary { background: var(--canary); }
.operator { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.operator input { width: 18em; }
.v-worse, .breached { color: var(--bad); font-weight: 600; }
.v-better, .v-non_inferior { color: var(--good); }
.v-inconclusive { color: var(--muted); }
td.verdict { white-space: nowrap; }
svg.interval { width: 180px; height: 18px; display: block; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 8px 24px; }
figure { margin: 4px 0 10px; }
figcaption { font-weight: 600; margin-bottom: 2px; }
figure svg { width: 100%; height: auto; display: block; }
svg text { font: 10.5px system-ui, sans-serif; fill: var(--muted); }
svg .axis { stroke: var(--line); }
svg .zero { stroke: #9aa5b4; }
svg .margin { stroke: var(--bad); stroke-dasharray: 3 2; }
svg .line { fill: none; stroke-width: 1.6; }
svg .line.stable, svg .bar.stable { stroke: var(--stable); fill: var(--stable); }
svg .line.stable { fill: none; }
svg .line.canary, svg .bar.canary { stroke: var(--canary); fill: var(--canary); }
svg .line.canary { fill: none; }
svg .ci { stroke: var(--ink); stroke-width: 2; }
svg .estimate { fill: var(--ink); }
.log td { font-size: 12.5px; }
.log td:nth-child(2) { white-space: nowrap; }
#command-result.refused, #command-result.error { color: var(--bad); }
#command-result.applied { color: var(--good); }
@media (max-width: 800px) { main { grid-template-columns: minmax(0, 1fr); } }
`;
