/**
 * Browser code of the dashboard, part 4 of 4: the token, the websocket to `/ws` and its
 * reconnection, `GET /health`, the operator's commands, and the start. The token is kept in
 * sessionStorage (this tab only) and sent in the hello, never in a URL the server sees: a
 * `#token=` fragment (which browsers do not send) is read once and taken out of the address bar.
 * Defines `sendCommand`, and `window.canaryDashboard` for scripting the page from its console.
 */
export const DASHBOARD_CONNECTION_SCRIPT = String.raw`
const TOKEN_KEY = 'strategy-canary.dashboard.token';
/** Reconnection: the first wait, doubling up to the last, each drawn in [ceiling / 2, ceiling]. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5000;
/** GET /health while connected (the pending proposal and the counts have no frame of their own). */
const HEALTH_EVERY_MS = 5000;

/** The token when sessionStorage cannot keep it (it then lasts as long as the page). */
let memoryToken = null;
let socket = null;
let attempt = 0;
let retryTimer = null;
let healthTimer = null;
let healthBusy = false;
let healthAgain = false;
let requests = 0;
/** Commands sent and not answered yet: requestId → resolve. */
const waiting = new Map();

function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function storeToken(token) {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch { /* no storage: memoryToken keeps it */ }
  memoryToken = token;
}

function currentToken() {
  const stored = storedToken();
  return stored === null ? memoryToken : stored;
}

/** A token given as #token=… : taken, and the fragment removed from the address bar and history. */
function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match === null) return;
  history.replaceState(null, '', location.pathname + location.search);
  try { storeToken(decodeURIComponent(match[1])); } catch { /* malformed: ignored */ }
}

/** The websocket endpoint beside the page (ws: or wss: as the page's own scheme). */
function socketUrl() {
  const url = new URL('ws', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.href;
}

function jitter() {
  return crypto.getRandomValues(new Uint32Array(1))[0] / 4294967296;
}

function setConnection(status, text) {
  model.connection = { status: status, text: text };
  scheduleRender();
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  const token = currentToken();
  const ws = new WebSocket(socketUrl());
  socket = ws;
  let refusal = null;
  if (attempt === 0) setConnection('connecting', 'connecting…');
  ws.addEventListener('open', () => {
    const hello = { type: 'hello', role: 'auto' };
    if (token !== null) hello.token = token;
    ws.send(JSON.stringify(hello));
  });
  ws.addEventListener('message', (event) => {
    if (ws !== socket) return;
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    if (model.role === null && frame.type === 'error') {
      refusal = frame;
      return;
    }
    onFrame(frame);
  });
  ws.addEventListener('close', (event) => {
    if (ws !== socket) return;
    socket = null;
    const admitted = model.role !== null;
    model.role = null;
    stopHealth();
    settleAll('the connection closed before the server answered');
    if (refusal !== null) {
      // Refused at the hello (a wrong token): asking again would be refused again.
      if (refusal.code === 'UNAUTHORIZED' && token !== null) storeToken(null);
      setConnection('refused', 'refused: ' + refusal.code + ': ' + refusal.message);
      byId('token-input').focus();
      return;
    }
    const why = admitted ? 'connection lost (' + event.code + ')' : 'cannot connect';
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
    const delayMs = ceiling / 2 + (jitter() * ceiling) / 2;
    attempt++;
    setConnection('reconnecting', why + '; reconnecting in ' + (delayMs / 1000).toFixed(1) + ' s (attempt ' + attempt + ')');
    retryTimer = setTimeout(connect, delayMs);
  });
}

/** Drops the connection and connects again at once (a new token). */
function reconnectNow() {
  attempt = 0;
  const old = socket;
  socket = null;
  model.role = null;
  stopHealth();
  settleAll('the connection was replaced');
  if (old !== null) old.close(1000, 'new token');
  connect();
}

function onFrame(frame) {
  switch (frame.type) {
    case 'welcome': {
      const last = model.rollout;
      if (last !== null && last.id !== frame.rollout.id) resetRollout();
      model.role = frame.role;
      model.rollout = frame.rollout;
      // The log so far: a page opened mid-rollout shows the decisions it missed (each once).
      for (const decision of frame.recentDecisions) addDecision(decision);
      model.sessions++;
      attempt = 0;
      setConnection('connected', 'connected');
      startHealth();
      break;
    }
    case 'state':
      model.state = frame.state;
      model.seq = frame.seq;
      refreshHealth();
      break;
    case 'decision':
      model.seq = frame.seq;
      addDecision(frame.decision);
      refreshHealth();
      break;
    case 'assignment':
      model.seq = frame.seq;
      break;
    case 'metrics':
      model.seq = frame.seq;
      addSnapshot(frame.snapshot);
      break;
    case 'result':
    case 'error':
      settle(frame);
      refreshHealth();
      break;
  }
  scheduleRender();
}

/** A command's answer: shown, and handed to whoever sent it. */
function settle(frame) {
  const mine = typeof frame.requestId === 'string' && waiting.has(frame.requestId);
  if (frame.type === 'result') {
    if (!mine) return;
    model.commandResult = frame.applied
      ? { kind: 'applied', text: frame.command + ': applied; rollout ' + describeState(frame.state) }
      : { kind: 'refused', text: frame.command + ': refused, ' + (frame.refusal ? frame.refusal.code + ': ' + frame.refusal.message : 'REFUSED') + '; rollout ' + describeState(frame.state) };
  } else {
    model.commandResult = { kind: 'error', text: frame.code + ': ' + frame.message };
  }
  if (mine) {
    const resolve = waiting.get(frame.requestId);
    waiting.delete(frame.requestId);
    resolve(frame);
  }
}

function settleAll(why) {
  for (const [requestId, resolve] of waiting) {
    resolve({ type: 'error', code: 'NOT_CONNECTED', message: why, requestId: requestId });
  }
  waiting.clear();
}

/**
 * Sends an operator command over the page's connection; resolves with the server's answer (its
 * result or error frame). The server decides: a subscriber's command is refused (FORBIDDEN).
 */
function sendCommand(command, fields) {
  return new Promise((resolve) => {
    if (socket === null || socket.readyState !== WebSocket.OPEN || model.role === null) {
      const refused = { type: 'error', code: 'NOT_CONNECTED', message: 'not connected to the server' };
      model.commandResult = { kind: 'error', text: command + ': ' + refused.message };
      scheduleRender();
      resolve(refused);
      return;
    }
    const requestId = 'dashboard-' + ++requests;
    waiting.set(requestId, resolve);
    socket.send(JSON.stringify(Object.assign({ type: 'command', command: command }, fields || {}, { requestId: requestId })));
    model.commandResult = { kind: 'sent', text: command + ': sent…' };
    scheduleRender();
  });
}

/** GET /health, one request at a time (another asked for meanwhile follows it). */
function refreshHealth() {
  if (healthBusy) {
    healthAgain = true;
    return;
  }
  healthBusy = true;
  fetch(new URL('health', location.href), { cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      if (body === null || model.role === null) return;
      model.health = body;
      if (body.lastDecision) addDecision(body.lastDecision);
      scheduleRender();
    })
    .catch(() => undefined)
    .finally(() => {
      healthBusy = false;
      if (healthAgain && healthTimer !== null) {
        healthAgain = false;
        refreshHealth();
      }
    });
}

function startHealth() {
  stopHealth();
  refreshHealth();
  healthTimer = setInterval(refreshHealth, HEALTH_EVERY_MS);
}

function stopHealth() {
  clearInterval(healthTimer);
  healthTimer = null;
  healthAgain = false;
}

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId('token-input');
  const token = input.value.trim();
  input.value = '';
  storeToken(token === '' ? null : token);
  reconnectNow();
});
byId('forget-token').addEventListener('click', () => {
  storeToken(null);
  reconnectNow();
});

window.canaryDashboard = Object.freeze({
  /** sendCommand('halt', { reason: '…' }), sendCommand('approve', { id: 12 }): the server's answer. */
  command: sendCommand,
  get role() { return model.role; },
});

takeTokenFromFragment();
connect();
render();
`;
