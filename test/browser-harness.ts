import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's `chromium` package, used when present (unless {@link BROWSER_ENV} says otherwise). */
export const SYSTEM_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Which browser the tests open: `bundled` (the Chromium inside the `@sparticuz/chromium` dev
 * dependency, which `npm ci` brings: no apt, no network), `system` ({@link SYSTEM_CHROMIUM_PATH}),
 * or an absolute path to a Chromium binary. Unset (or `auto`): the system one when it is
 * installed, else the bundled one.
 */
export const BROWSER_ENV = 'STRATEGY_CANARY_BROWSER';

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

/** A browser to launch: its binary and what its process needs in its environment. */
export interface ResolvedBrowser {
  readonly kind: 'system' | 'bundled' | 'path';
  readonly executablePath: string;
  /** Added to the browser's environment (the bundled one's libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The browser {@link BROWSER_ENV} asks for (`env` is `process.env` unless told). Rejects with a
 * clear message when an asked-for browser is missing; never falls back silently to a skip.
 */
export async function resolveBrowser(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedBrowser> {
  const wanted = (env[BROWSER_ENV] ?? '').trim();
  if (wanted === '' || wanted === 'auto') {
    return isExecutable(SYSTEM_CHROMIUM_PATH)
      ? { kind: 'system', executablePath: SYSTEM_CHROMIUM_PATH, env: {} }
      : bundledChromium();
  }
  if (wanted === 'bundled') return bundledChromium();
  if (wanted === 'system' || isAbsolute(wanted)) {
    const path = wanted === 'system' ? SYSTEM_CHROMIUM_PATH : wanted;
    if (!isExecutable(path)) {
      throw new Error(
        `${BROWSER_ENV}=${wanted}: no Chromium at ${path}; ` +
          `unset ${BROWSER_ENV} (or set it to bundled) to use the one npm ci installs`,
      );
    }
    return { kind: wanted === 'system' ? 'system' : 'path', executablePath: path, env: {} };
  }
  throw new Error(
    `${BROWSER_ENV}=${wanted}: expected auto, bundled, system or an absolute path to Chromium`,
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

let bundled: Promise<ResolvedBrowser> | undefined;

/**
 * The Chromium (headless shell) shipped brotli-compressed inside `@sparticuz/chromium`, unpacked
 * once per package version into `<tmpdir>/strategy-canary-chromium-<version>/` with the libraries
 * (NSS, NSPR, expat) and fonts it ships, so it needs nothing from apt. Unpacking goes to a private
 * directory that is then renamed into place, so parallel test workers never see half a binary.
 * The package is pinned at 147.0.0, its last release that supports Node 20 (x64 Linux only).
 * (Not the package's own `executablePath()`: that unpacks to a shared `/tmp/chromium` without
 * that guarantee.)
 */
export function bundledChromium(): Promise<ResolvedBrowser> {
  bundled ??= Promise.resolve().then(unpackBundledChromium);
  return bundled;
}

function unpackBundledChromium(): ResolvedBrowser {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  } catch (error) {
    throw new Error('@sparticuz/chromium is not installed: run npm ci', { cause: error });
  }
  const packageDir = resolve(dirname(entry), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const bin = join(packageDir, 'bin');
  const dir = join(tmpdir(), `strategy-canary-chromium-${version}`);
  const browser: ResolvedBrowser = {
    kind: 'bundled',
    executablePath: join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(dir, 'lib'), process.env['LD_LIBRARY_PATH'] ?? '']
        .filter((part) => part !== '')
        .join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
  if (isExecutable(browser.executablePath)) return browser;

  const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(partial, { recursive: true });
    writeFileSync(
      join(partial, 'chromium'),
      brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))),
      {
        mode: 0o755,
      },
    );
    untar(join(bin, 'swiftshader.tar.br'), partial);
    untar(join(bin, 'al2023.tar.br'), partial); // lib/: libnss3, libnspr4, libexpat, ...
    untar(join(bin, 'fonts.tar.br'), partial); // fonts/Open_Sans/*.ttf (and a fonts.conf for /tmp)
    writeFileSync(
      join(partial, 'fonts.conf'),
      '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n' +
        `  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n` +
        '</fontconfig>\n',
    );
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another worker renamed its copy into place first: theirs is as good as ours.
      if (!isExecutable(browser.executablePath)) throw error;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return browser;
}

/** Unpacks a brotli-compressed ustar archive of plain files and directories into `into`. */
function untar(archive: string, into: string): void {
  const tar = brotliDecompressSync(readFileSync(archive));
  const field = (at: number, length: number): string =>
    tar.toString('utf8', at, at + length).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length;) {
    const name = field(at, 100);
    if (name === '') break;
    const prefix = field(at + 345, 155);
    const size = Number.parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    const relative = normalize(prefix === '' ? name : `${prefix}/${name}`);
    const target = join(into, relative);
    if (isAbsolute(relative) || relative.startsWith('..') || !target.startsWith(into + sep)) {
      throw new Error(`${archive}: refusing to unpack ${relative} outside ${into}`);
    }
    if (type === '5') {
      mkdirSync(target, { recursive: true });
    } else if (type === '0' || type === '') {
      const mode = Number.parseInt(field(at + 100, 8).trim() || '644', 8);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, tar.subarray(at + 512, at + 512 + size), { mode });
    } else {
      throw new Error(`${archive}: unexpected entry type ${JSON.stringify(type)} for ${relative}`);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

/** Launch and navigation (and every other page operation) give up after this long. */
export const BROWSER_TIMEOUT_MS = 30_000;

/** After `load`, how long to wait at most for requests still in flight to finish or fail. */
const SETTLE_MS = 5_000;

/** A request the page made for anything other than the opened page itself. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  /** Playwright's resource type (`image`, `fetch`, `script`, `stylesheet`, `websocket`, ...). */
  readonly resourceType: string;
  /** Whether the harness aborted it (a URL the session does not allow never leaves the browser). */
  blocked: boolean;
  /** Chromium's error text if the request failed (`net::ERR_FAILED` once aborted), else null. */
  failure: string | null;
}

export interface OpenInBrowserOptions {
  /** Take a full-page PNG here once the page has loaded (directories are created). */
  readonly screenshotPath?: string;
  /** The browser binary to launch; the one {@link resolveBrowser} picks unless told. */
  readonly executablePath?: string;
  /** Added to the browser's environment along with `executablePath` (see {@link ResolvedBrowser}). */
  readonly env?: Readonly<Record<string, string>>;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** An open page in its own browser, and what it did. */
export interface PageSession {
  readonly page: Page;
  readonly context: BrowserContext;
  /** The URL that was opened (with its fragment). */
  readonly url: string;
  /** The binary that was launched. */
  readonly executablePath: string;
  /** This launch's fresh profile directory (removed by {@link PageSession.close}). */
  readonly userDataDir: string;
  /** `console.error(...)` messages (and Chromium's own error-level console lines), as text. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page (`pageerror`). */
  readonly pageErrors: string[];
  /** Every request for a URL other than the opened page, in the order they were made. */
  readonly requests: RecordedRequest[];
  /** Full-page PNG at `path` (directories are created); resolves to the path. */
  screenshot(path: string): Promise<string>;
  /** Closes the browser and removes the profile directory; safe to call more than once. */
  close(): Promise<void>;
}

/** A local file opened by {@link openInBrowser}. */
export interface BrowserSession extends PageSession {
  /** The `file://` URL that was opened. */
  readonly fileUrl: string;
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
 * Opens a local HTML file in headless Chromium ({@link resolveBrowser}'s: Debian's when installed,
 * else the one `npm ci` brings; a fresh temporary profile per call) and records what a self-contained offline page must not do: console errors,
 * uncaught page errors, and requests for anything but the file itself. Every request whose URL is
 * not `file:` (http, https, ws, ...) is aborted before it leaves the machine, and recorded.
 * Resolves once the page's `load` event has fired and two animation frames have painted.
 * Always `close()` the session (in `finally` / `afterAll`).
 */
export async function openInBrowser(
  htmlPath: string,
  options: OpenInBrowserOptions = {},
): Promise<BrowserSession> {
  const absolute = resolve(htmlPath);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new Error(`openInBrowser: no such file: ${absolute}`);
  }
  const fileUrl = pathToFileURL(absolute).href;
  const session = await openPage(
    {
      url: fileUrl,
      allows: (url) => url.startsWith('file:'),
      isSelf: (url) => withoutHash(url) === fileUrl,
    },
    options,
  );
  return { ...session, fileUrl };
}

/** The only host {@link openLoopbackPage} lets a page reach. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Whether `url` is `http://127.0.0.1…` or `ws://127.0.0.1…` (any port): what a served page may reach. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'ws:') &&
      parsed.hostname === LOOPBACK_HOST
    );
  } catch {
    return false;
  }
}

/**
 * Opens a page a local server serves (`http://127.0.0.1:PORT/…`) in headless Chromium, as
 * {@link openInBrowser} opens a file: only `http://127.0.0.1` and `ws://127.0.0.1` requests (any
 * port) go through; every other one (https, another host, a CDN, `data:` aside) is aborted inside
 * the browser and recorded as `blocked`. {@link pageProblems} lists what a test should fail on.
 */
export async function openLoopbackPage(
  url: string,
  options: OpenInBrowserOptions = {},
): Promise<PageSession> {
  if (!isLoopbackUrl(url) || !url.startsWith('http:')) {
    throw new Error(`openLoopbackPage: an http://${LOOPBACK_HOST}:PORT/ URL, got ${url}`);
  }
  return openPage(
    { url, allows: isLoopbackUrl, isSelf: (other) => withoutHash(other) === withoutHash(url) },
    options,
  );
}

/**
 * What a test of a page should fail on, one line each: aborted requests, console errors and
 * uncaught page errors (empty when there were none).
 */
export function pageProblems(session: PageSession): string[] {
  return [
    ...session.requests
      .filter((request) => request.blocked)
      .map((r) => `blocked: ${r.resourceType} ${r.url}`),
    ...session.consoleErrors.map((text) => `console error: ${text}`),
    ...session.pageErrors.map((text) => `page error: ${text}`),
  ];
}

/** What a session opens, and which requests it lets through. */
interface PageTarget {
  readonly url: string;
  /** Requests (and websockets) for URLs this allows go through; all others are aborted. */
  readonly allows: (url: string) => boolean;
  /** The opened page itself: not recorded among the requests. */
  readonly isSelf: (url: string) => boolean;
}

async function openPage(target: PageTarget, options: OpenInBrowserOptions): Promise<PageSession> {
  let browser: ResolvedBrowser;
  if (options.executablePath === undefined) {
    browser = await resolveBrowser();
  } else {
    if (!isExecutable(options.executablePath)) {
      throw new Error(
        `no Chromium at ${options.executablePath}: leave executablePath out to use ` +
          `${SYSTEM_CHROMIUM_PATH} or the one npm ci installs (@sparticuz/chromium)`,
      );
    }
    browser = { kind: 'path', executablePath: options.executablePath, env: options.env ?? {} };
  }
  const { executablePath } = browser;

  const userDataDir = mkdtempSync(join(tmpdir(), 'sc-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      ...(Object.keys(browser.env).length === 0 ? {} : { env: { ...process.env, ...browser.env } }),
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

  try {
    // Only what the target allows is let through; the abort happens inside the browser, before
    // any connection is opened. WebSockets are routed separately (context.route does not see
    // them), and only those not allowed: an allowed one reaches its server untouched.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (target.allows(url)) return route.continue();
      blockedUrls.add(url);
      const recorded = byRequest.get(route.request());
      if (recorded !== undefined) recorded.blocked = true;
      return route.abort('blockedbyclient').catch(() => undefined);
    });
    await context.routeWebSocket(
      (url) => !target.allows(url.href),
      (ws) => {
        requests.push({
          url: ws.url(),
          method: 'GET',
          resourceType: 'websocket',
          blocked: true,
          failure: 'blocked by the browser harness',
        });
        // Never calls connectToServer(): the socket is closed without reaching any server.
        return ws.close({ code: 1008, reason: 'blocked by the browser harness' });
      },
    );
    context.on('request', (request) => {
      if (target.isSelf(request.url())) return;
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

    await page.goto(target.url, { waitUntil: 'load', timeout: BROWSER_TIMEOUT_MS });
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
      url: target.url,
      executablePath,
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
