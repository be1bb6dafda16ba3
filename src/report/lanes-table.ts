import { escapeHtml, REPORT_STYLE } from './render-report-html.js';

/**
 * The table a run in lanes is summed up by (a segmented plan's segments, an A/B/n rollout's
 * candidates), one row per lane, rendered as `<kind>.md` and `<kind>.html`.
 */
export interface LanesTable {
  readonly title: string;
  /** The headline (bold). */
  readonly verdict: string;
  /** Sentences under it (plan, inputs, method). */
  readonly lead: readonly string[];
  readonly header: readonly string[];
  /** Right-aligned columns (numbers), by index. */
  readonly numeric: readonly number[];
  /** Each lane's cells, and its run directory (relative) for the link to its report, or null. */
  readonly rows: readonly { readonly cells: readonly string[]; readonly dir: string | null }[];
  /** What follows the table. */
  readonly notes: readonly string[];
}

const mdCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** `<kind>.md`: the table with a link to each lane's report.md. */
export function renderLanesMd(table: LanesTable): string {
  const header = [...table.header, 'report'];
  const align = header.map((_, i) => (table.numeric.includes(i) ? '---:' : '---'));
  return [
    `# ${table.title}`,
    '',
    `**${table.verdict}**`,
    '',
    ...table.lead,
    '',
    `| ${header.map(mdCell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map(
      (row) =>
        `| ${[...row.cells.map(mdCell), row.dir === null ? '–' : `[report](${row.dir}/report.md)`].join(' | ')} |`,
    ),
    '',
    ...table.notes.flatMap((note) => [note, '']),
  ].join('\n');
}

/**
 * `<kind>.html`: the same table as one self-contained page (report.html's style, no script, no
 * request), each lane linking to its report.html.
 */
export function renderLanesHtml(table: LanesTable): string {
  const e = escapeHtml;
  const cls = (i: number): string => (table.numeric.includes(i) ? ' class="num"' : '');
  const rows = table.rows
    .map(
      (row) =>
        `<tr>${row.cells.map((cell, i) => `<td${cls(i)}>${e(cell)}</td>`).join('')}<td>${
          row.dir === null ? '–' : `<a href="${e(row.dir)}/report.html">report</a>`
        }</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(table.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<h1>${e(table.title)}</h1>
<div class="verdict"><p><strong>${e(table.verdict)}</strong></p></div>
${table.lead.map((line) => `<p class="muted">${e(line)}</p>`).join('\n')}
<table>
<thead><tr>${[...table.header, 'report'].map((h, i) => `<th${cls(i)}>${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${table.notes.map((note) => `<p>${e(note)}</p>`).join('\n')}
</main>
</body>
</html>
`;
}
