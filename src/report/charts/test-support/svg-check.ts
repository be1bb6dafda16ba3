// Minimal well-formedness checks for the chart tests (no XML parser dependency).

/**
 * Throws unless `svg` is one `<svg>` root whose tags nest and close properly, with no raw `<` or
 * `&` in text or attribute values (an unescaped reason would break the report).
 */
export function assertWellFormedSvg(svg: string): void {
  if (!svg.startsWith('<svg ')) throw new Error(`does not start with <svg: ${svg.slice(0, 40)}`);
  if (!svg.endsWith('</svg>')) throw new Error(`does not end with </svg>: ${svg.slice(-40)}`);
  const stack: string[] = [];
  const token =
    /<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39|#\d+);)/g;
  let rootClosed = false;
  for (const m of svg.matchAll(token)) {
    const [all, closing, name, , selfClosing] = m;
    if (all === '<')
      throw new Error(`stray "<" at ${m.index}: ${svg.slice(m.index, m.index + 60)}`);
    if (all.startsWith('&')) throw new Error(`unescaped "&" at ${m.index}`);
    if (name === undefined) continue; // CDATA
    if (rootClosed) throw new Error(`content after the root at ${m.index}`);
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${m.index}`);
      if (stack.length === 0) rootClosed = true;
    } else if (selfClosing !== '/') {
      if (stack.length === 0 && name !== 'svg') throw new Error(`root is <${name}>`);
      stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
}

/** The text content of every `<text>` element. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

/** The text content of every `<title>` element. */
export function svgTitles(svg: string): string[] {
  return [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1] ?? '');
}

/** The number of points (M/L commands) of each `<path>` stroked in `color`, e.g. an arm's line. */
export function strokedPathPoints(svg: string, color: string): number[] {
  return [...svg.matchAll(/<path d="([^"]*)"[^>]*>/g)]
    .filter((m) => m[0].includes(`stroke="${color}"`))
    .map((m) => m[1]?.match(/[ML]/g)?.length ?? 0);
}
