import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's `chromium` package; the tests use no browser Playwright downloads. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags Chromium needs on these machines (root, no display, no GPU, no network chatter). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch and navigation (and every other page operation) give up after this long. */
export const BROWSER_TIMEOUT_MS = 30_000;

/** After `load`, how long to wait at most for requests still in flight to finish or fail. */
const SETTLE_MS = 5_000;

/** A request the page made for anything other than the opened file itself. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  /** Playwright's resource type (`image`, `fetch`, `script`, `stylesheet`, `websocket`, ...). */
  readonly resourceType: string;
  /** Whether the harness aborted it (every non-`file:` URL is aborted: nothing leaves the machine). */
  blocked: boolean;
  /** Chromium's error text if the request failed (`net::ERR_FAILED` once aborted), else null. */
  failure: string | null;
}

export interface OpenInBrowserOptions {
  /** Take a full-page PNG here once the page has loaded (directories are created). */
  readonly screenshotPath?: string;
  /** The browser to launch; {@link CHROMIUM_PATH} unless told. */
  readonly executablePath?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
}

export interface BrowserSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** The `file://` URL that was opened. */
  readonly fileUrl: string;
  /** This launch's fresh profile directory (removed by {@link BrowserSession.close}). */
  readonly userDataDir: string;
  /** `console.error(...)` messages (and Chromium's own error-level console lines), as text. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page (`pageerror`). */
  readonly pageErrors: string[];
  /** Every request for a URL other than the opened file, in the order they were made. */
  readonly requests: RecordedRequest[];
  /** Full-page PNG at `path` (directories are created); resolves to the path. */
  screenshot(path: string): Promise<string>;
  /** Closes the browser and removes the profile directory; safe to call more than once. */
  close(): Promise<void>;
}

/** `url` without its fragment, to compare with the opened file. */
function withoutHash(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** Rejects after `ms` with `message`, so a hung browser cannot hang the suite. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens a local HTML file in headless Chromium (Debian's `/usr/bin/chromium`, a fresh temporary
 * profile per call) and records what a self-contained offline page must not do: console errors,
 * uncaught page errors, and requests for anything but the file itself. Every request whose URL is
 * not `file:` (http, https, ws, ...) is aborted before it leaves the machine, and recorded.
 * Resolves once the page's `load` event has fired and two animation frames have painted.
 * Always `close()` the session (in `finally` / `afterAll`).
 */
export async function openInBrowser(
  htmlPath: string,
  options: OpenInBrowserOptions = {},
): Promise<BrowserSession> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: the browser tests need it; ` +
        `install Debian's chromium: apt-get install -y chromium`,
    );
  }
  const absolute = resolve(htmlPath);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new Error(`openInBrowser: no such file: ${absolute}`);
  }
  const fileUrl = pathToFileURL(absolute).href;

  const userDataDir = mkdtempSync(join(tmpdir(), 'sc-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: BROWSER_TIMEOUT_MS,
      viewport: { ...(options.viewport ?? { width: 1280, height: 900 }) },
      deviceScaleFactor: 1,
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    throw new Error(`could not launch ${executablePath}: ${String(error)}`, { cause: error });
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      try {
        await within(context.close(), BROWSER_TIMEOUT_MS, 'Chromium did not close in time');
      } finally {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    })();
    return closed;
  };

  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: RecordedRequest[] = [];
  const byRequest = new WeakMap<Request, RecordedRequest>();
  const blockedUrls = new Set<string>();
  const pending = new Set<Request>();
  const isSelf = (url: string): boolean => withoutHash(url) === fileUrl;

  try {
    // Nothing but file: URLs is let through; the abort happens inside the browser, before any
    // connection is opened. WebSockets are routed separately (context.route does not see them).
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blockedUrls.add(url);
      const recorded = byRequest.get(route.request());
      if (recorded !== undefined) recorded.blocked = true;
      return route.abort('blockedbyclient').catch(() => undefined);
    });
    await context.routeWebSocket(/.*/, (ws) => {
      requests.push({
        url: ws.url(),
        method: 'GET',
        resourceType: 'websocket',
        blocked: true,
        failure: 'blocked by the browser harness',
      });
      // Never calls connectToServer(): the socket is closed without reaching any server.
      return ws.close({ code: 1008, reason: 'blocked by the browser harness' });
    });
    context.on('request', (request) => {
      if (isSelf(request.url())) return;
      const recorded: RecordedRequest = {
        url: request.url(),
        method: request.method(),
        resourceType: request.resourceType(),
        blocked: blockedUrls.has(request.url()),
        failure: null,
      };
      byRequest.set(request, recorded);
      requests.push(recorded);
      pending.add(request);
    });
    context.on('requestfinished', (request) => pending.delete(request));
    context.on('requestfailed', (request) => {
      pending.delete(request);
      const recorded = byRequest.get(request);
      if (recorded === undefined) return;
      recorded.failure = request.failure()?.errorText ?? 'failed';
      if (blockedUrls.has(recorded.url)) recorded.blocked = true;
    });

    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url, lineNumber } = message.location();
      consoleErrors.push(url === '' ? message.text() : `${message.text()} (${url}:${lineNumber})`);
    });
    page.on('pageerror', (error) => {
      pageErrors.push(error.stack ?? `${error.name}: ${error.message}`);
    });

    await page.goto(fileUrl, { waitUntil: 'load', timeout: BROWSER_TIMEOUT_MS });
    // Let scripts that draw on load (and fonts) finish before anyone measures or screenshots.
    await page.evaluate(
      'document.fonts.ready.then(() => new Promise((done) => ' +
        'requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))',
    );
    // Requests made during load (a fetch, an image) end before the lists are handed over.
    const settleBy = Date.now() + SETTLE_MS;
    while (pending.size > 0 && Date.now() < settleBy) await page.waitForTimeout(25);

    const screenshot = async (path: string): Promise<string> => {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      await page.screenshot({ path, fullPage: true, animations: 'disabled' });
      return path;
    };
    if (options.screenshotPath !== undefined) await screenshot(options.screenshotPath);

    return {
      page,
      context,
      fileUrl,
      userDataDir,
      consoleErrors,
      pageErrors,
      requests,
      screenshot,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
