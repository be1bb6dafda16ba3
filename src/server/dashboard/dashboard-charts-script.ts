/**
 * Browser code of the dashboard, part 2 of 4: the charts, drawn as inline SVG by hand. Not
 * ECharts, as report.html's are: a live page redraws a few hundred points a second at most, which
 * a polyline does in well under a millisecond, while the ECharts bundle is about a megabyte of
 * script to serve, hash into the CSP and parse, for charts this simple. Defines `drawWeightBar`,
 * `drawLineChart`, `drawInterval` (uses part 1's formatting).
 */
export const DASHBOARD_CHARTS_SCRIPT = String.raw`
const SVG_NS = 'http://www.w3.org/2000/svg';

/** A new SVG element with these attributes. */
function svgElement(name, attributes) {
  const element = document.createElementNS(SVG_NS, name);
  for (const key of Object.keys(attributes)) element.setAttribute(key, String(attributes[key]));
  return element;
}

function svgText(x, y, text, anchor) {
  const element = svgElement('text', { x: x, y: y, 'text-anchor': anchor || 'start' });
  element.textContent = text;
  return element;
}

/** The stable and canary shares of the accounts, side by side (viewBox 100 × 10). */
function drawWeightBar(svg, weightPct) {
  svg.replaceChildren(
    svgElement('rect', { class: 'bar stable', x: 0, y: 0, width: 100 - weightPct, height: 10 }),
    svgElement('rect', { class: 'bar canary', x: 100 - weightPct, y: 0, width: weightPct, height: 10 }),
  );
}

/**
 * One line per arm over event time: series.stable and series.canary are [tsUs, value] pairs.
 * Each polyline says its arm, how many points it has and the event time of its last one
 * (data-arm, data-points, data-last-ts).
 */
function drawLineChart(svg, series) {
  const width = 480, height = 170, left = 56, right = 10, top = 8, bottom = 22;
  const points = series.stable.concat(series.canary);
  const children = [];
  if (points.length === 0) {
    children.push(svgText(width / 2, height / 2, 'no data yet', 'middle'));
    svg.replaceChildren(...children);
    return;
  }
  let t0 = Infinity, t1 = -Infinity, lo = Infinity, hi = -Infinity;
  for (const point of points) {
    t0 = Math.min(t0, point[0]); t1 = Math.max(t1, point[0]);
    lo = Math.min(lo, point[1]); hi = Math.max(hi, point[1]);
  }
  if (lo === hi) { lo -= Math.abs(lo) * 0.05 || 1; hi += Math.abs(hi) * 0.05 || 1; }
  if (t0 === t1) { t0 -= 1; t1 += 1; }
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  children.push(
    svgElement('line', { class: 'axis', x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }),
    svgElement('line', { class: 'axis', x1: left, x2: left, y1: top, y2: height - bottom }),
    svgText(left - 4, top + 9, formatNumber(hi), 'end'),
    svgText(left - 4, height - bottom, formatNumber(lo), 'end'),
    svgText(left, height - 6, formatTsUs(t0), 'start'),
    svgText(width - right, height - 6, formatTsUs(t1) + ' UTC', 'end'),
  );
  if (lo < 0 && hi > 0) {
    children.push(svgElement('line', { class: 'zero', x1: left, x2: width - right, y1: y(0), y2: y(0) }));
  }
  for (const arm of ['stable', 'canary']) {
    const line = series[arm];
    children.push(svgElement('polyline', {
      class: 'line ' + arm,
      'data-arm': arm,
      'data-points': line.length,
      'data-last-ts': line.length === 0 ? '' : line[line.length - 1][0],
      points: line.map((p) => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' '),
    }));
  }
  svg.replaceChildren(...children);
}

/**
 * A compared metric's evidence on one axis: zero, the margin (dashed: worse beyond it, above it
 * when lower is better, below it for edgeBps), the interval (an open side runs to the edge) and
 * the estimate.
 */
function drawInterval(svg, reason) {
  const width = 180, height = 18, pad = 6;
  const lowerIsBetter = reason.metric !== 'edgeBps';
  const margin = reason.margin === null ? null : (lowerIsBetter ? reason.margin : -reason.margin);
  const lower = reason.ci === null ? null : reason.ci[0];
  const upper = reason.ci === null ? null : reason.ci[1];
  const known = [0, margin, lower, upper, reason.estimate].filter((v) => v !== null && Number.isFinite(v));
  let lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
  const span = hi - lo || 1;
  lo -= span * 0.15; hi += span * 0.15;
  const x = (v) => pad + ((v - lo) / (hi - lo)) * (width - 2 * pad);
  const children = [svgElement('line', { class: 'zero', x1: x(0), x2: x(0), y1: 1, y2: height - 1 })];
  if (margin !== null) {
    children.push(svgElement('line', { class: 'margin', x1: x(margin), x2: x(margin), y1: 0, y2: height }));
  }
  if (lower !== null || upper !== null) {
    children.push(svgElement('line', {
      class: 'ci',
      x1: lower === null ? 0 : x(lower),
      x2: upper === null ? width : x(upper),
      y1: height / 2,
      y2: height / 2,
    }));
  }
  if (reason.estimate !== null) {
    children.push(svgElement('circle', { class: 'estimate', cx: x(reason.estimate), cy: height / 2, r: 3 }));
  }
  svg.replaceChildren(...children);
}
`;
