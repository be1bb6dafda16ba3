import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from './browser-harness.js';
import {
  BROWSER_ENV,
  bundledChromium,
  isLoopbackUrl,
  openInBrowser,
  openLoopbackPage,
  pageProblems,
  resolveBrowser,
  SYSTEM_CHROMIUM_PATH,
} from './browser-harness.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the file's tests (not cli-harness's: nothing from src/). */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Writes a tiny HTML page into a fresh temp dir and returns its path. */
function fixture(name: string, body: string, head = ''): string {
  const path = join(tempDir('sc-browser-'), name);
  writeFileSync(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>${head}` +
      `</head><body>${body}</body></html>\n`,
  );
  return path;
}

/** Opens `path`, runs `check` on the session, always closes it. */
async function withPage(
  path: string,
  check: (session: BrowserSession) => Promise<void>,
  screenshotPath?: string,
): Promise<void> {
  const session = await openInBrowser(path, screenshotPath === undefined ? {} : { screenshotPath });
  try {
    await check(session);
  } finally {
    await session.close();
  }
}

describe('browser harness: a clean self-contained page', () => {
  it('finds an inline SVG, records no errors and no requests, and writes full-page screenshots', async () => {
    const dir = tempDir('sc-browser-shots-');
    const auto = join(dir, 'nested', 'on-open.png');
    const page = fixture(
      'clean.html',
      '<h1>Inline chart</h1>' +
        '<svg id="chart" width="320" height="120" viewBox="0 0 320 120">' +
        '<rect x="0" y="0" width="320" height="120" fill="#eef"/>' +
        '<polyline points="0,100 80,60 160,80 240,20 320,40" fill="none" stroke="#036"/>' +
        '</svg>' +
        // Taller than the viewport: a full-page screenshot is taller than a viewport one.
        '<div style="height:2000px"></div>' +
        '<script>document.title = "drawn"; console.log("a log line is not an error");</script>',
    );
    let userDataDir = '';
    await withPage(
      page,
      async (session) => {
        userDataDir = session.userDataDir;
        expect(existsSync(userDataDir)).toBe(true);
        expect(session.consoleErrors).toEqual([]);
        expect(session.pageErrors).toEqual([]);
        expect(session.requests).toEqual([]);
        expect(await session.page.title()).toBe('drawn');

        const svg = session.page.locator('svg#chart');
        expect(await svg.count()).toBe(1);
        const box = await svg.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.width).toBe(320);
        expect(box!.height).toBe(120);
        expect(await svg.locator('polyline, path, rect').count()).toBe(2);

        const explicit = join(dir, 'explicit.png');
        expect(await session.screenshot(explicit)).toBe(explicit);
        for (const shot of [auto, explicit]) {
          const png = readFileSync(shot);
          expect(png.length, shot).toBeGreaterThan(1000);
          expect(png.subarray(0, 8).equals(PNG_SIGNATURE), `${shot} is a PNG`).toBe(true);
          // PNG height (IHDR, big-endian at byte 20): the whole 2000 px page, not the viewport.
          expect(png.readUInt32BE(20), `${shot} height`).toBeGreaterThan(2000);
        }
      },
      auto,
    );
    // close() removed the fresh profile directory.
    expect(userDataDir).not.toBe('');
    expect(existsSync(userDataDir)).toBe(false);
  });

  it('gives every launch a fresh profile directory, and close() may be called twice', async () => {
    const page = fixture('plain.html', '<p>plain</p>');
    const first = await openInBrowser(page);
    const second = await openInBrowser(page);
    try {
      expect(first.userDataDir).not.toBe(second.userDataDir);
      expect(first.fileUrl).toMatch(/^file:\/\/\/.*\/plain\.html$/);
    } finally {
      await first.close();
      await second.close();
    }
    await first.close();
    expect(existsSync(first.userDataDir)).toBe(false);
    expect(existsSync(second.userDataDir)).toBe(false);
  });
});

describe('browser harness: errors', () => {
  it('captures console.error and uncaught page errors', async () => {
    const page = fixture(
      'errors.html',
      '<p>oops</p><script>' +
        'console.error("report failed: " + 42);' +
        'console.warn("a warning is not an error");' +
        'setTimeout(() => { throw new Error("boom from a timer"); }, 0);' +
        'Promise.reject(new Error("unhandled rejection"));' +
        '</script>',
    );
    await withPage(page, async (session) => {
      await expect.poll(() => session.pageErrors.length).toBe(2);
      expect(session.consoleErrors).toHaveLength(1);
      expect(session.consoleErrors[0]).toContain('report failed: 42');
      expect(session.pageErrors.join('\n')).toContain('boom from a timer');
      expect(session.pageErrors.join('\n')).toContain('unhandled rejection');
      expect(session.requests).toEqual([]);
    });
  });

  it('refuses a missing HTML file and a missing browser with clear messages', async () => {
    const missing = join(tempDir('sc-browser-'), 'nope.html');
    await expect(openInBrowser(missing)).rejects.toThrow(/no such file: .*nope\.html/);
    const page = fixture('plain.html', '<p>plain</p>');
    await expect(openInBrowser(page, { executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      /no Chromium at \/nonexistent\/chromium: leave executablePath out/,
    );
  });
});

describe('browser harness: which browser', () => {
  it("uses Debian's chromium when installed, else the bundled one; honours STRATEGY_CANARY_BROWSER", async () => {
    const auto = await resolveBrowser({});
    expect(auto.kind).toBe(existsSync(SYSTEM_CHROMIUM_PATH) ? 'system' : 'bundled');
    expect((await resolveBrowser({ [BROWSER_ENV]: 'auto' })).kind).toBe(auto.kind);
    expect((await resolveBrowser({ [BROWSER_ENV]: 'bundled' })).kind).toBe('bundled');
    await expect(resolveBrowser({ [BROWSER_ENV]: '/nonexistent/chromium' })).rejects.toThrow(
      /no Chromium at \/nonexistent\/chromium/,
    );
    await expect(resolveBrowser({ [BROWSER_ENV]: 'firefox' })).rejects.toThrow(
      /expected auto, bundled, system or an absolute path/,
    );
  });

  it('opens a page in the Chromium npm ci installs (no apt, no network)', async () => {
    const browser = await bundledChromium();
    expect(browser.executablePath).toMatch(/strategy-canary-chromium-[^/]+\/chromium$/);
    const page = fixture(
      'bundled.html',
      '<h1>bundled</h1><svg id="chart" width="200" height="50"></svg>' +
        '<script>document.title = "drawn by " + navigator.userAgent;</script>',
    );
    const session = await openInBrowser(page, {
      executablePath: browser.executablePath,
      env: browser.env,
    });
    try {
      expect(session.executablePath).toBe(browser.executablePath);
      expect(await session.page.title()).toMatch(/^drawn by .*HeadlessChrome\//);
      expect(await session.page.locator('svg#chart').count()).toBe(1);
      expect(session.consoleErrors).toEqual([]);
      expect(session.pageErrors).toEqual([]);
      expect(session.requests).toEqual([]);
    } finally {
      await session.close();
    }
  });
});

describe('browser harness: nothing leaves the machine', () => {
  // A real server on loopback: if the harness let a request through, it would arrive here. No
  // internet is involved either way.
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'access-control-allow-origin': '*' }).end('reached');
  });
  server.on('upgrade', (request, socket) => {
    hits.push(`upgrade ${request.url}`);
    socket.destroy();
  });
  let origin = '';

  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('records and aborts an image from example.com and a fetch of https://example.com', async () => {
    const page = fixture(
      'remote.html',
      '<img src="http://example.com/x.png" alt="x">' +
        '<script>fetch("https://example.com/").then(' +
        '() => { document.body.dataset.fetched = "yes"; },' +
        '() => { document.body.dataset.fetched = "no"; });</script>',
    );
    await withPage(page, async (session) => {
      await expect.poll(() => session.page.locator('body').getAttribute('data-fetched')).toBe('no');
      const byUrl = new Map(session.requests.map((r) => [r.url, r]));
      expect([...byUrl.keys()].sort()).toEqual([
        'http://example.com/x.png',
        'https://example.com/',
      ]);
      expect(byUrl.get('http://example.com/x.png')).toMatchObject({
        resourceType: 'image',
        blocked: true,
      });
      expect(byUrl.get('https://example.com/')).toMatchObject({
        method: 'GET',
        resourceType: 'fetch',
        blocked: true,
      });
      // Aborted by the harness in the browser (not a DNS or connection failure on the way out).
      for (const request of session.requests) {
        expect(request.failure, request.url).toMatch(/^net::ERR_BLOCKED_BY_CLIENT/);
      }
    });
  });

  it('aborts image, fetch, stylesheet and WebSocket requests before they reach a server', async () => {
    const page = fixture(
      'loopback.html',
      `<img src="http://${origin}/img.png" alt="x">` +
        '<script>' +
        `fetch("http://${origin}/data.json").catch(() => undefined);` +
        `new WebSocket("ws://${origin}/live");` +
        '</script>',
      `<link rel="stylesheet" href="http://${origin}/style.css">`,
    );
    await withPage(page, async (session) => {
      await expect.poll(() => session.requests.length).toBe(4);
      expect(session.requests.map((r) => [r.resourceType, r.url]).sort()).toEqual(
        [
          ['fetch', `http://${origin}/data.json`],
          ['image', `http://${origin}/img.png`],
          ['stylesheet', `http://${origin}/style.css`],
          ['websocket', `ws://${origin}/live`],
        ].sort(),
      );
      expect(session.requests.every((r) => r.blocked)).toBe(true);
    });
    expect(hits).toEqual([]);
  });

  it('records (without blocking) other local files: a self-contained page needs none', async () => {
    const page = fixture(
      'sibling.html',
      '<p>needs a sibling</p>',
      '<link rel="stylesheet" href="style.css">',
    );
    writeFileSync(join(page, '..', 'style.css'), 'p { color: rgb(200, 0, 0); }\n');
    await withPage(page, async (session) => {
      expect(session.requests).toHaveLength(1);
      expect(session.requests[0]).toMatchObject({
        resourceType: 'stylesheet',
        blocked: false,
        failure: null,
      });
      expect(session.requests[0]!.url).toMatch(/^file:\/\/\/.*\/style\.css$/);
      expect(statSync(join(page, '..', 'style.css')).size).toBeGreaterThan(0);
      // ... and let through: the stylesheet applied.
      expect(
        await session.page.evaluate('getComputedStyle(document.querySelector("p")).color'),
      ).toBe('rgb(200, 0, 0)');
    });
  });
});

describe('browser harness: a page served on 127.0.0.1', () => {
  // The page and what it asks for come from this server; only http and ws to 127.0.0.1 get here.
  const hits: string[] = [];
  let origin = '';
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    if (request.url === '/') {
      const other = origin.replace('127.0.0.1', 'localhost');
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>served</title>' +
            '<link rel="icon" href="data:,"></head><body>' +
            `<img src="http://${other}/other-host.png" alt="x">` +
            '<script>' +
            'fetch("/data.json").then((r) => r.text()).then((t) => { document.body.dataset.data = t; });' +
            `const ws = new WebSocket("ws://${origin}/live");` +
            'ws.onopen = () => { document.body.dataset.ws = "open"; };' +
            `new WebSocket("ws://${other}/other-host");` +
            'fetch("https://example.com/").catch(() => { document.body.dataset.remote = "blocked"; });' +
            '</script></body></html>',
        );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('reached');
  });
  const sockets = new Set<Duplex>();
  server.on('upgrade', (request, socket) => {
    hits.push(`upgrade ${request.url}`);
    sockets.add(socket);
    // A minimal handshake, enough for the browser to call the socket open.
    const key = String(request.headers['sec-websocket-key']);
    const accept = createHash('sha1')
      .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
  });

  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it('lets http and ws to 127.0.0.1 through, and aborts every other request', async () => {
    const session = await openLoopbackPage(`http://${origin}/`);
    try {
      await session.page.locator('body[data-data="reached"][data-ws="open"]').waitFor();
      await session.page.locator('body[data-remote="blocked"]').waitFor();
      await expect
        .poll(() =>
          session.requests
            .filter((r) => r.blocked)
            .map((r) => r.url)
            .sort(),
        )
        .toEqual(
          [
            `http://${origin.replace('127.0.0.1', 'localhost')}/other-host.png`,
            'https://example.com/',
            `ws://${origin.replace('127.0.0.1', 'localhost')}/other-host`,
          ].sort(),
        );
      expect(session.requests.find((r) => r.url.endsWith('/data.json'))).toMatchObject({
        blocked: false,
      });
      const problems = pageProblems(session);
      expect(problems.filter((line) => line.startsWith('blocked: '))).toHaveLength(3);
    } finally {
      await session.close();
    }
    expect(hits.sort()).toEqual(['GET /', 'GET /data.json', 'upgrade /live']);
  });

  it('opens only http://127.0.0.1 pages, and says which URLs count as loopback', async () => {
    await expect(openLoopbackPage('https://example.com/')).rejects.toThrow(/127\.0\.0\.1/u);
    await expect(openLoopbackPage('http://localhost:1/')).rejects.toThrow(/127\.0\.0\.1/u);
    expect(isLoopbackUrl('http://127.0.0.1:8080/health')).toBe(true);
    expect(isLoopbackUrl('ws://127.0.0.1:8080/ws')).toBe(true);
    expect(isLoopbackUrl('wss://127.0.0.1:8080/ws')).toBe(false);
    expect(isLoopbackUrl('http://127.0.0.2/')).toBe(false);
    expect(isLoopbackUrl('http://example.com/')).toBe(false);
  });
});
