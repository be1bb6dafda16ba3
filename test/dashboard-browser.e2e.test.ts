import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Canary } from '../src/embed/create-canary.js';
import {
  drive,
  T0_MS,
  TEST_PLAN_WITH_BLACKOUT,
  testCanary,
} from '../src/embed/test-support/bot-driver.js';
import type { ServerFrame } from '../src/protocol/index.js';
import {
  createCanaryServer,
  type CanaryServer,
  type HealthBody,
} from '../src/server/create-canary-server.js';
import { openLoopbackPage, pageProblems, type PageSession } from './browser-harness.js';
import { ROOT } from './cli-harness.js';

/**
 * The live dashboard (`GET /` of the server) in a real browser (headless Chromium), against a
 * real server on 127.0.0.1: it renders the rollout, follows new frames, sends an operator's
 * commands, shows a subscriber no buttons (and the server refuses a command forced through its
 * socket anyway), refuses a wrong token, and reconnects by itself. The page may reach
 * http://127.0.0.1 and ws://127.0.0.1 only; any other request, any console error or page error
 * fails the test. Every wait is on what the page shows, with generous bounds: nothing depends on
 * the machine's speed. Screenshots go to test-output/dashboard-browser/ for a human look.
 */

const OPERATOR = 'dashboard-e2e-operator-token-0123';
const SUBSCRIBER = 'dashboard-e2e-subscriber-token-0123';
const SCREENSHOTS = join(ROOT, 'test-output', 'dashboard-browser');
/** How long the page gets to show something: far more than it needs, on a loaded machine too. */
const WAIT_MS = 45_000;
const TEST_MS = 180_000;

const open: { servers: CanaryServer[]; sessions: PageSession[] } = { servers: [], sessions: [] };

afterEach(async () => {
  await Promise.all(open.sessions.splice(0).map((session) => session.close()));
  await Promise.all(open.servers.splice(0).map((server) => server.close()));
});

async function serve(canary: Canary, port = 0): Promise<CanaryServer> {
  const server = await createCanaryServer({
    canary,
    port,
    tokens: { operator: OPERATOR, subscriber: SUBSCRIBER },
    metricsIntervalMs: 0, // every snapshot: the charts get their points without waiting
  });
  open.servers.push(server);
  return server;
}

/** The dashboard of `server`, opened in Chromium with `#token=…` when a token is given. */
async function openDashboard(server: CanaryServer, token?: string): Promise<PageSession> {
  const fragment = token === undefined ? '' : `#token=${encodeURIComponent(token)}`;
  const session = await openLoopbackPage(`${server.httpUrl}/${fragment}`);
  open.sessions.push(session);
  return session;
}

/**
 * Waits until the page has an element matching `selector` (Playwright's: CSS, `:has-text()`,
 * `:text-is()`); fails naming `what`, with what the page shows. Locators, not waitForFunction:
 * the page's Content-Security-Policy forbids the eval that waitForFunction runs, as it should.
 */
async function waitFor(session: PageSession, what: string, selector: string): Promise<void> {
  try {
    await session.page.locator(selector).first().waitFor({ state: 'attached', timeout: WAIT_MS });
  } catch (error) {
    const shown = await session.page
      .evaluate<string>('document.body.innerText.slice(0, 1500)')
      .catch(() => '(the page could not be read)');
    throw new Error(`the dashboard did not show ${what} within ${WAIT_MS} ms\n${shown}`, {
      cause: error,
    });
  }
}

const text = (session: PageSession, selector: string) => session.page.locator(selector).innerText();

async function connectedAs(session: PageSession, role: 'operator' | 'subscriber'): Promise<void> {
  await waitFor(
    session,
    `a connection admitted as ${role}`,
    `body[data-connection="connected"][data-role="${role}"]`,
  );
}

async function showsWeight(session: PageSession, weightPct: number): Promise<void> {
  await waitFor(session, `the canary at ${weightPct} %`, `#weight:text-is("${weightPct} %")`);
}

/** A chart's line of `arm` once it has two points or more (its data-points). */
const charted = (chart: string, arm: string) =>
  `#chart-${chart} polyline[data-arm="${arm}"]:not([data-points="0"]):not([data-points="1"])`;

const storedToken = (session: PageSession) =>
  session.page.evaluate<string | null>("sessionStorage.getItem('strategy-canary.dashboard.token')");

/** Sends a command through the page's own socket (window.canaryDashboard): the server's answer. */
const forceCommand = (session: PageSession, command: string, fields: object) =>
  session.page.evaluate<ServerFrame>(
    `window.canaryDashboard.command(${JSON.stringify(command)}, ${JSON.stringify(fields)})`,
  );

async function health(server: CanaryServer): Promise<HealthBody> {
  return (await (await fetch(`${server.httpUrl}/health`)).json()) as HealthBody;
}

describe('the dashboard in Chromium', { timeout: TEST_MS }, () => {
  it('shows when the trading calendar holds the steps, and when it opens', async () => {
    const canary = testCanary({ plan: TEST_PLAN_WITH_BLACKOUT });
    const server = await serve(canary);
    const t = drive(canary, 1); // 00:00 to 00:01 UTC: inside the blackout
    const session = await openDashboard(server, SUBSCRIBER);
    await connectedAs(session, 'subscriber');
    await waitFor(
      session,
      'the calendar closed by the blackout',
      '#calendar:has-text("trading calendar: closed, blackout \\"funding\\", until 2024-08-09 00:10 UTC")',
    );
    drive(canary, 1, 0, () => false, Math.max(t, T0_MS + 12 * 60_000));
    await waitFor(session, 'the calendar open', '#calendar:text-is("trading calendar: open")');
    expect(pageProblems(session)).toEqual([]);
  });

  it('shows the rollout, follows new frames, and approves, halts and rolls it back as an operator', async () => {
    const canary = testCanary({ mode: 'manual' });
    const server = await serve(canary);
    const before: number[] = [];
    const subscription = canary.decisions$.subscribe((d) => before.push(d.seq));
    let t = drive(canary, 1); // the rollout starts: step 1 at 5 %
    subscription.unsubscribe();
    expect(canary.state).toMatchObject({ status: 'step', stepIndex: 0, weightPct: 5 });
    expect(before.length).toBeGreaterThan(1);

    const session = await openDashboard(server, OPERATOR);
    await connectedAs(session, 'operator');
    await showsWeight(session, 5);
    // The log holds the decisions taken before the page opened, not only the last one.
    await waitFor(
      session,
      'the first decision in the log',
      `#decisions-body tr[data-seq="${before[0]}"]`,
    );
    expect(await session.page.locator('#decisions-body tr[data-seq]').count()).toBe(before.length);
    expect(await text(session, '#step')).toBe('1');
    expect(await text(session, '#rollout-name')).toContain('bot@1.0.0 → bot@2.0.0');
    // The token left the address bar (and so the history); the tab keeps it in sessionStorage.
    expect(session.page.url()).toBe(`${server.httpUrl}/`);
    expect(await storedToken(session)).toBe(OPERATOR);

    // New frames: decisions, metrics, then a proposal waiting for an operator.
    t = drive(canary, 30, 0, (c) => c.pendingProposal !== null, t + 10_000);
    const proposal = canary.pendingProposal;
    expect(proposal).toMatchObject({ action: 'increase' });
    const approve = `#pending button[data-command="approve"][data-id="${proposal!.id}"]`;
    await waitFor(session, `proposal ${proposal!.id} with its Approve button`, approve);
    await waitFor(session, 'the compared metrics', '#metrics-body tr[data-metric]');
    await waitFor(session, 'the guardrails', '#guardrails-body tr[data-guardrail]');
    await waitFor(
      session,
      `decision ${proposal!.id} in the log`,
      `#decisions-body tr[data-seq="${proposal!.id}"]`,
    );
    for (const arm of ['stable', 'canary']) {
      await waitFor(session, `the ${arm} arm's fills charted`, charted('fills', arm));
    }
    // One row per compared metric and scope of the latest decision with evidence.
    const evidence = (await health(server)).lastDecision?.reasons.filter(
      (r) => r.scope !== undefined,
    );
    expect(evidence?.length).toBeGreaterThan(0);
    expect(await session.page.locator('#metrics-body tr[data-metric]').count()).toBe(
      evidence?.length,
    );
    expect(
      await text(session, '#metrics-body tr[data-metric="slippageBps"][data-scope="step"]'),
    ).toMatch(/slippageBps[\s\S]*step[\s\S]*\[.+, .+\][\s\S]*1\.5/u);

    // An operator action from the page reaches the server.
    await session.page.locator(approve).click();
    await showsWeight(session, 25);
    expect(await text(session, '#step')).toBe('2');
    expect(canary.state).toMatchObject({ stepIndex: 1, weightPct: 25, halted: false });
    await waitFor(
      session,
      'the approve applied',
      '#command-result.applied:has-text("approve: applied")',
    );

    await session.page.locator('#command-reason').fill('lunch break');
    await session.page.locator('button[data-command="halt"]').click();
    await waitFor(session, 'the rollout halted', '#status .badge.halted');
    expect(canary.state.halted).toBe(true);
    expect((await health(server)).rollout.halted).toBe(true);
    await waitFor(session, 'the halt applied', '#command-result.applied:has-text("halt: applied")');

    // The charts keep following: more event time, a newer point on each arm's line.
    const lastTs = await session.page
      .locator('#chart-fills polyline[data-arm="canary"]')
      .getAttribute('data-last-ts');
    drive(canary, 2, 0, () => false, t + 10_000);
    await waitFor(
      session,
      'a newer point on the fills chart',
      `#chart-fills polyline[data-arm="canary"]:not([data-last-ts="${lastTs}"])`,
    );
    await session.screenshot(join(SCREENSHOTS, 'operator.png'));

    // Roll back takes two clicks: the first only arms the button.
    const rollback = session.page.locator('button[data-command="rollback"]');
    await rollback.click();
    await waitFor(session, 'the armed roll back', 'button[data-command="rollback"].armed');
    expect(canary.state.status).toBe('step');
    await rollback.click();
    await waitFor(session, 'the rollout rolled back', '#status:has-text("rolled back")');
    expect(canary.state).toMatchObject({ status: 'rolled_back', weightPct: 0 });
    await showsWeight(session, 0);
    expect(pageProblems(session)).toEqual([]);
  });

  it('shows a subscriber no operator button, and the server refuses a command forced through the page', async () => {
    const canary = testCanary({ mode: 'manual' });
    const server = await serve(canary);
    drive(canary, 30, 0, (c) => c.pendingProposal !== null);
    const proposal = canary.pendingProposal;
    expect(proposal).not.toBeNull();

    // No token in the address: the server wants one, and it is typed into the password field.
    const session = await openDashboard(server);
    await waitFor(session, 'that a token is needed', 'body[data-connection="refused"]');
    await session.page.locator('#token-input').fill(SUBSCRIBER);
    await session.page.locator('#token-form button[type="submit"]').click();
    await connectedAs(session, 'subscriber');
    await showsWeight(session, 5);
    await waitFor(
      session,
      `proposal ${proposal!.id}`,
      `#pending:has-text("proposal ${proposal!.id}:")`,
    );
    expect(await session.page.locator('button[data-command]').count()).toBe(0);
    expect(await text(session, '#role')).toContain('read-only');
    expect(await storedToken(session)).toBe(SUBSCRIBER);

    expect(
      await forceCommand(session, 'halt', { reason: 'forced from a subscriber page' }),
    ).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
    });
    expect(await forceCommand(session, 'approve', { id: proposal!.id })).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
    });
    expect(canary.state).toMatchObject({ halted: false, weightPct: 5 });
    expect((await health(server)).pending?.id).toBe(proposal!.id);
    await waitFor(session, 'the refusal', '#command-result.error:has-text("FORBIDDEN")');
    await session.screenshot(join(SCREENSHOTS, 'subscriber.png'));
    // The first attempt, without a token, was refused by the server: not a browser error.
    expect(pageProblems(session)).toEqual([]);
  });

  it('says a wrong token was refused, forgets it, and shows nothing of the rollout', async () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const server = await serve(canary);
    const session = await openDashboard(server, `${OPERATOR}-wrong`);
    await waitFor(session, 'the refusal', 'body[data-connection="refused"]');
    expect(await text(session, '#connection')).toMatch(/UNAUTHORIZED/u);
    expect(await text(session, '#status')).toBe('—');
    expect(await session.page.locator('button[data-command]').count()).toBe(0);
    expect(await storedToken(session)).toBeNull();
    expect((await health(server)).connections).toMatchObject({ operator: 0, subscriber: 0 });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^strategy_canary_client_errors_total\{code="UNAUTHORIZED"\} 1$/mu);
    expect(pageProblems(session)).toEqual([]);
  });

  it('reconnects by itself when the server comes back on the same port', async () => {
    const canary = testCanary();
    drive(canary, 1);
    const first = await serve(canary);
    const session = await openDashboard(first, OPERATOR);
    await connectedAs(session, 'operator');
    await showsWeight(session, 5);

    await first.close();
    open.servers.splice(open.servers.indexOf(first), 1);
    await waitFor(session, 'that the connection is lost', 'body[data-connection="reconnecting"]');
    expect(await session.page.locator('button[data-command]').count()).toBe(0);
    // At least one attempt finds nobody listening, and the page backs off and tries again.
    await waitFor(session, 'a second attempt', '#connection:has-text("(attempt 2)")');

    const second = await serve(canary, first.port);
    await waitFor(
      session,
      'a second session',
      'body[data-connection="connected"][data-sessions="2"]',
    );
    await connectedAs(session, 'operator');
    expect((await health(second)).connections.operator).toBe(1);
    await session.page.locator('button[data-command="halt"]').click();
    await waitFor(session, 'the rollout halted', '#status .badge.halted');
    expect(canary.state.halted).toBe(true);
    // While the server was away Chromium logged the refused connections: those, and only those.
    const refusedConnection =
      /^console error: (WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/ws' failed: .*|Failed to load resource: )net::ERR_CONNECTION_REFUSED/u;
    expect(pageProblems(session).filter((line) => !refusedConnection.test(line))).toEqual([]);
  });
});
