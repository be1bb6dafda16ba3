import type { ChartDecisionMarker } from '../report-series.js';
import { ACTION_LOOK, FONT_FAMILY, FONT_SIZE, MUTED_COLOR } from './chart-theme.js';
import type { ChartPixels } from './echarts-svg.js';
import { escapeXml, svgNumber } from './svg-markup.js';
import { textWidth } from './text-width.js';
import { weightChangeText } from '../weight-change-text.js';
import { utcDateTime } from './utc-time-label.js';

/** The plot area, px, that markers span. */
export interface PlotRect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Rows of marker labels above the plot (labels closer than a label's width go up a row). */
export const MARKER_LABEL_ROWS = 2;
const ROW_HEIGHT = 13;

/**
 * Decision markers as SVG: per marker a vertical line across the plot in its action's color and
 * dash, its seq number above the plot, a native `<title>` tooltip (seq, action, UTC time, weights,
 * reason) and, when `dotY` gives a value, a dot there (the timeline's new weight). Plus a key of
 * the actions present, top right. Markers outside the time axis are left out.
 */
export function decisionMarkersSvg(
  markers: readonly ChartDecisionMarker[],
  pixels: ChartPixels,
  plot: PlotRect,
  width: number,
  dotY?: (marker: ChartDecisionMarker) => number,
): string {
  const sorted = [...markers].sort((a, b) => a.tsMs - b.tsMs || a.seq - b.seq);
  const rowEnds: number[] = Array.from({ length: MARKER_LABEL_ROWS }, () => -Infinity);
  const parts: string[] = [];
  for (const marker of sorted) {
    const x = pixels.x(marker.tsMs);
    if (!Number.isFinite(x) || x < plot.left - 0.5 || x > plot.right + 0.5) continue;
    const look = ACTION_LOOK[marker.action] ?? ACTION_LOOK.hold;
    const label = String(marker.seq);
    const half = textWidth(label, 'bold 11px') / 2 + 2;
    let row = rowEnds.findIndex((end) => end <= x - half);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = x + half;
    const labelY = plot.top - 5 - row * ROW_HEIGHT;
    const sx = svgNumber(x);
    const dash = look.dash === null ? '' : ` stroke-dasharray="${look.dash.join(' ')}"`;
    const tip = `#${marker.seq} ${marker.action} at ${utcDateTime(marker.tsMs)} UTC: ${weightChangeText(marker.fromWeightPct, marker.toWeightPct)}\n${marker.reason}`;
    let dot = '';
    if (dotY !== undefined) {
      const y = pixels.y(dotY(marker));
      if (Number.isFinite(y))
        dot = `<circle cx="${sx}" cy="${svgNumber(y)}" r="3.5" fill="${look.color}" stroke="#fff"/>`;
    }
    parts.push(
      `<g><title>${escapeXml(tip)}</title>` +
        `<line x1="${sx}" y1="${plot.top}" x2="${sx}" y2="${plot.bottom}" stroke="${look.color}" stroke-width="1.5"${dash}/>` +
        `<line x1="${sx}" y1="${svgNumber(labelY - 10)}" x2="${sx}" y2="${plot.bottom}" stroke="#000" stroke-opacity="0" stroke-width="9"/>` +
        dot +
        `<text x="${sx}" y="${svgNumber(labelY)}" text-anchor="middle" font-family="${FONT_FAMILY}" font-size="11" font-weight="600" fill="${look.color}">${escapeXml(label)}</text>` +
        '</g>',
    );
  }
  if (parts.length === 0) return '';
  return `<g>${parts.join('')}${actionKey(sorted, width)}</g>`;
}

/** "decisions: — increase — rollback", right-aligned on the legend's row. */
function actionKey(markers: readonly ChartDecisionMarker[], width: number): string {
  const order: readonly ChartDecisionMarker['action'][] = [
    'increase',
    'promote',
    'hold',
    'rollback',
  ];
  const present = order.filter((a) => markers.some((m) => m.action === a));
  const y = 14;
  const font = `${FONT_SIZE - 1}px`;
  const items: string[] = [];
  let x = width - 8;
  for (const action of [...present].reverse()) {
    const look = ACTION_LOOK[action];
    x -= textWidth(action, font);
    items.unshift(
      `<text x="${svgNumber(x)}" y="${y}" dominant-baseline="central" fill="${MUTED_COLOR}">${action}</text>`,
    );
    x -= 20;
    const dash = look.dash === null ? '' : ` stroke-dasharray="${look.dash.join(' ')}"`;
    items.unshift(
      `<line x1="${svgNumber(x)}" y1="${y}" x2="${svgNumber(x + 15)}" y2="${y}" stroke="${look.color}" stroke-width="2"${dash}/>`,
    );
    x -= 10;
  }
  x -= textWidth('decisions:', font);
  items.unshift(
    `<text x="${svgNumber(x)}" y="${y}" dominant-baseline="central" fill="${MUTED_COLOR}">decisions:</text>`,
  );
  return `<g font-family="${FONT_FAMILY}" font-size="${FONT_SIZE - 1}">${items.join('')}</g>`;
}
