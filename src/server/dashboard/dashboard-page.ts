import { createHash } from 'node:crypto';
import { DASHBOARD_CHARTS_SCRIPT } from './dashboard-charts-script.js';
import { DASHBOARD_CONNECTION_SCRIPT } from './dashboard-connection-script.js';
import { DASHBOARD_FORMAT_SCRIPT } from './dashboard-format-script.js';
import { DASHBOARD_MARKUP } from './dashboard-markup.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';
import { DASHBOARD_VIEW_SCRIPT } from './dashboard-view-script.js';

/** The dashboard as `GET /` serves it: one HTML document and its response headers. */
export interface DashboardPage {
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The page's one script: its four parts in one strict scope, in the order they depend. */
export const DASHBOARD_SCRIPT = [
  '(() => {',
  "'use strict';",
  DASHBOARD_FORMAT_SCRIPT,
  DASHBOARD_CHARTS_SCRIPT,
  DASHBOARD_VIEW_SCRIPT,
  DASHBOARD_CONNECTION_SCRIPT,
  '})();',
].join('\n');

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy of the page: its own inline script and style (by their sha256, so
 * no other inline code runs), requests to its own origin only (`/health`, the websocket at `/ws`),
 * images from `data:` only (the empty favicon), and nothing else: no external script, style,
 * font, frame or form target.
 */
export function dashboardPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256Source(script)}`,
    `style-src ${sha256Source(style)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

let built: DashboardPage | null = null;

/**
 * The live dashboard (docs/server.md, "Dashboard"): a self-contained page (inline CSS and
 * script, charts drawn as SVG, no external resource, so it works offline) that asks for a token,
 * follows the rollout over the websocket and shows the operator's buttons only to a connection the
 * server admitted as an operator's. Built once per process.
 */
export function dashboardPage(): DashboardPage {
  built ??= build();
  return built;
}

function build(): DashboardPage {
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>strategy-canary</title>',
    '<link rel="icon" href="data:,">',
    `<style>${DASHBOARD_STYLE}</style>`,
    '</head>',
    '<body>',
    DASHBOARD_MARKUP,
    `<script>${DASHBOARD_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': dashboardPolicy(DASHBOARD_SCRIPT, DASHBOARD_STYLE),
      // The page is small and changes with the package: never a stale copy after an upgrade.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
  };
}
