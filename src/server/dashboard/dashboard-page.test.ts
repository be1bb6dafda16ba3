import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { testCanary } from '../../embed/test-support/bot-driver.js';
import { createCanaryServer, type CanaryServer } from '../create-canary-server.js';
import { DASHBOARD_SCRIPT, dashboardPage } from './dashboard-page.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

const hash = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Every `scheme://…` in the page, but the SVG namespace (a name, never fetched). */
function absoluteUrls(text: string): string[] {
  return [...text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s'"`)<>]*/giu)]
    .map((m) => m[0])
    .filter((url) => url !== 'http://www.w3.org/2000/svg');
}

describe('the dashboard page', () => {
  const { html, headers } = dashboardPage();

  it('is one document whose inline script and style are the only code the CSP lets run', () => {
    const policy = headers['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src ${hash(DASHBOARD_SCRIPT)}`);
    expect(policy).toContain(`style-src ${hash(DASHBOARD_STYLE)}`);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/unsafe|https?:|\*/u);
    expect(html).toContain(`<script>${DASHBOARD_SCRIPT}</script>`);
    expect(html).toContain(`<style>${DASHBOARD_STYLE}</style>`);
    expect(html.match(/<script/gu)).toHaveLength(1);
    expect(html.match(/<style/gu)).toHaveLength(1);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe('no-store');
  });

  it('refers to nothing outside itself: no URL, no external script, style, font or image', () => {
    expect(absoluteUrls(html)).toEqual([]);
    expect(html).not.toMatch(/<(link|img|iframe)\b(?![^>]*href="data:,")/iu);
    expect(DASHBOARD_STYLE).not.toMatch(/@import|@font-face|url\(/iu);
    expect(html).not.toMatch(/\son[a-z]+=/iu); // no inline handlers (the CSP would block them)
  });

  it('has a script that parses, and that never ends its own element early', () => {
    expect(() => new Script(DASHBOARD_SCRIPT)).not.toThrow(); // compiled, not run
    expect(DASHBOARD_SCRIPT).not.toMatch(/<\/script|<!--/iu);
    expect(DASHBOARD_SCRIPT).not.toContain('innerHTML');
  });
});

describe('GET / on the server', () => {
  let server: CanaryServer | undefined;
  afterEach(async () => server?.close());

  it('serves the page with its headers; HEAD gives the headers alone', async () => {
    server = await createCanaryServer({ canary: testCanary(), tokens: { operator: 'op-0123' } });
    const response = await fetch(`${server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(dashboardPage().html);
    for (const [name, value] of Object.entries(dashboardPage().headers)) {
      expect(response.headers.get(name), name).toBe(value);
    }
    const head = await fetch(`${server.httpUrl}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${server.httpUrl}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.httpUrl}/index.html`)).status).toBe(404);
  });
});
