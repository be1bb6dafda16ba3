/** Text for SVG/XML content and attribute values: `& < > " '` escaped. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number for SVG attributes: at most 2 decimals, no `-0`. */
export function svgNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** The root `<svg>` tag: a fixed viewBox that scales to the container's width (and prints). */
export function svgOpenTag(width: number, height: number, title: string, xlink = false): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${xlink ? ' xmlns:xlink="http://www.w3.org/1999/xlink"' : ''}` +
    ` viewBox="0 0 ${width} ${height}" style="width:100%;height:auto;display:block"` +
    ` role="img" aria-label="${escapeXml(title)}">`
  );
}
