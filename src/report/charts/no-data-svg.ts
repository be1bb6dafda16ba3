import { FONT_FAMILY, GRID_COLOR, MUTED_COLOR } from './chart-theme.js';
import { escapeXml, svgOpenTag } from './svg-markup.js';

/**
 * A small placeholder chart: a framed box saying "No data" (and why, if given), the same width
 * as a chart so the report's layout holds.
 *
 * @example noDataSvg('Drawdown per arm') // '<svg ...>...No data...</svg>'
 */
export function noDataSvg(title: string, width = 800, height = 120, detail = ''): string {
  const text = detail === '' ? 'No data' : `No data (${detail})`;
  return (
    svgOpenTag(width, height, `${title}: ${text}`) +
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="none" stroke="${GRID_COLOR}"/>` +
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" dominant-baseline="central"` +
    ` font-family="${FONT_FAMILY}" font-size="14" fill="${MUTED_COLOR}">${escapeXml(text)}</text>` +
    '</svg>'
  );
}
