/**
 * Browser code of the dashboard, part 3 of 4: the model (what the frames and `/health` said) and
 * how it is drawn. Every text goes in through `textContent`, never as markup. Defines `model`,
 * `addDecision`, `addSnapshot`, `resetRollout`, `scheduleRender` (uses parts 1 and 2, and part
 * 4's `sendCommand` from the operator's buttons).
 */
export const DASHBOARD_VIEW_SCRIPT = String.raw`
const MAX_DECISIONS = 200;
const MAX_POINTS = 720;
/** The per-arm series the charts draw, from each metrics snapshot's arm. */
const CHART_SERIES = {
  return: (arm) => arm.returnPct,
  fills: (arm) => arm.fills,
  latency: (arm) => (arm.latencyMs ? arm.latencyMs.p50 : null),
  slippage: (arm) => (arm.slippageBps ? arm.slippageBps.mean : null),
};

/** Everything the page shows: part 4 fills it in from the server, render() draws it. */
const model = {
  connection: { status: 'connecting', text: 'connecting…' },
  /** 'operator' or 'subscriber' once the server said so (its welcome frame), else null. */
  role: null,
  /** The welcome's rollout: id and versions. */
  rollout: null,
  state: null,
  seq: null,
  /** Sessions the server admitted since the page was opened. */
  sessions: 0,
  /** The latest GET /health body: the pending proposal, the counts per arm, the connections. */
  health: null,
  /** Latest first; decisionsVersion counts the changes (the log is redrawn on one). */
  decisions: [],
  decisionsVersion: 0,
  /** The latest decision that carried compared metrics, and the latest with guardrail readings. */
  evidence: null,
  guardrails: null,
  /** The latest metrics snapshot, and the per-arm series of event time. */
  snapshot: null,
  series: emptySeries(),
  /** What the last operator command did, as a line and its kind (applied, refused, error). */
  commandResult: null,
};

function emptySeries() {
  const series = {};
  for (const name of Object.keys(CHART_SERIES)) series[name] = { stable: [], canary: [] };
  return series;
}

/** Another rollout (or the same one started afresh): what was drawn of the last one goes. */
function resetRollout() {
  model.decisions = [];
  model.decisionsVersion++;
  model.evidence = null;
  model.guardrails = null;
  model.snapshot = null;
  model.series = emptySeries();
}

function decisionKey(decision) {
  return decision.seq + '@' + decision.at;
}

/** A decision into the log (once: a decision seen again is skipped), latest first. */
function addDecision(decision) {
  const key = decisionKey(decision);
  if (model.decisions.some((d) => decisionKey(d) === key)) return;
  const later = (a, b) => a.at > b.at || (a.at === b.at && a.seq > b.seq);
  let at = 0;
  while (at < model.decisions.length && later(model.decisions[at], decision)) at++;
  model.decisions.splice(at, 0, decision);
  model.decisions.length = Math.min(model.decisions.length, MAX_DECISIONS);
  model.decisionsVersion++;
  const newest = model.decisions[0];
  if (newest === decision || model.evidence === null || later(decision, model.evidence)) {
    if (decision.reasons.some((r) => r.metric !== null && r.scope !== undefined)) model.evidence = decision;
  }
  if (newest === decision || model.guardrails === null || later(decision, model.guardrails)) {
    if (decision.guardrails.length > 0) model.guardrails = decision;
  }
}

/** A metrics snapshot: the latest figures, and a point on each chart. */
function addSnapshot(snapshot) {
  const last = model.snapshot;
  if (last !== null && snapshot.tsUs < last.tsUs) model.series = emptySeries();
  model.snapshot = snapshot;
  for (const name of Object.keys(CHART_SERIES)) {
    for (const arm of ['stable', 'canary']) {
      const value = CHART_SERIES[name](snapshot.arms[arm]);
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      const line = model.series[name][arm];
      if (line.length > 0 && line[line.length - 1][0] === snapshot.tsUs) line.pop();
      line.push([snapshot.tsUs, value]);
      if (line.length > MAX_POINTS) line.splice(0, line.length - MAX_POINTS);
    }
  }
}

/** An element: h('td', { class: 'num', text: '5' }, child…); data-* and other keys are attributes. */
function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const key of Object.keys(props || {})) {
    const value = props[key];
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') element.textContent = String(value);
    else if (key === 'onclick') element.addEventListener('click', value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

function byId(id) {
  return document.getElementById(id);
}

function setText(id, text) {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text;
}

/** Where the rollout is, in words (as ctl status says it). */
function describeState(state) {
  const halted = state.halted ? ', halted' : '';
  switch (state.status) {
    case 'pending': return 'not started (baseline)' + halted;
    case 'step':
    case 'shadow': return 'step ' + ((state.stepIndex === null ? 0 : state.stepIndex) + 1) + ' at ' + state.weightPct + ' %' + halted;
    case 'promoted': return 'promoted at ' + state.weightPct + ' %';
    case 'rolled_back': return 'rolled back at ' + state.weightPct + ' %';
    default: return String(state.status);
  }
}

const STATUS_WORDS = { pending: 'baseline', shadow: 'shadow', step: 'step', promoted: 'promoted', rolled_back: 'rolled back' };

function renderHeader() {
  const rollout = model.rollout;
  setText('rollout-name', rollout === null ? '' : rollout.versions.stable + ' → ' + rollout.versions.canary + ' (' + rollout.id.slice(0, 12) + ')');
  document.title = rollout === null ? 'strategy-canary' : 'strategy-canary: ' + rollout.versions.stable + ' → ' + rollout.versions.canary;
  const connection = byId('connection');
  connection.className = 'connection ' + model.connection.status;
  setText('connection', model.connection.text);
  setText('role', model.role === null ? '' : model.role === 'operator' ? 'operator' : 'subscriber (read-only)');
  const body = document.body.dataset;
  body.connection = model.connection.status;
  body.role = model.role || '';
  body.sessions = String(model.sessions);
  body.seq = model.seq === null ? '' : String(model.seq);
}

function renderRollout() {
  const state = model.state;
  if (state === null) return;
  const status = byId('status');
  status.replaceChildren(STATUS_WORDS[state.status] || String(state.status));
  if (state.halted) status.append(' ', h('span', { class: 'badge halted', text: 'halted' }));
  status.title = describeState(state);
  setText('step', state.stepIndex === null ? '—' : String(state.stepIndex + 1));
  setText('weight', state.weightPct + ' %');
  drawWeightBar(byId('weight-bar'), state.weightPct);
  setText('weights', 'stable ' + (100 - state.weightPct) + ' % · canary ' + state.weightPct + ' % of the accounts; ' + describeState(state));
  setText('seq', model.seq === null ? '—' : String(model.seq));
  const health = model.health;
  if (health !== null) {
    const arm = (name) => {
      const r = health.recorded[name];
      return name + ' ' + formatCount(r.orders) + ' orders, ' + formatCount(r.fills) + ' fills, ' + formatCount(r.rejects) + ' rejects';
    };
    setText('recorded', 'recorded: ' + arm('stable') + '; ' + arm('canary'));
    const calendar = health.calendar;
    byId('calendar').hidden = calendar === undefined;
    if (calendar !== undefined) {
      const why = calendar.blackout === null ? 'outside the sessions' : 'blackout "' + calendar.blackout + '"';
      const until = calendar.opensAtLocal === null ? 'never opens again' : 'until ' + calendar.opensAtLocal;
      setText('calendar', calendar.open
        ? 'trading calendar: open'
        : 'trading calendar: closed, ' + why + ', ' + until + ' (no step advances; rollbacks still apply)');
    }
    const c = health.connections;
    setText('connections', c.agent + ' agents, ' + c.operator + ' operators, ' + c.subscriber + ' subscribers connected');
  }
}

/** The operator's buttons: built only for a connection the server admitted as an operator's. */
let operatorPanelRole = null;
function renderOperatorPanel() {
  const role = model.connection.status === 'connected' ? model.role : null;
  if (role === operatorPanelRole) return;
  operatorPanelRole = role;
  const panel = byId('operator-panel');
  if (role !== 'operator') {
    panel.replaceChildren();
    return;
  }
  const rollback = h('button', { type: 'button', class: 'danger', 'data-command': 'rollback', text: 'Roll back' });
  let disarm = null;
  const setArmed = (armed) => {
    clearTimeout(disarm);
    disarm = armed ? setTimeout(() => setArmed(false), 5000) : null;
    rollback.classList.toggle('armed', armed);
    rollback.textContent = armed ? 'Confirm roll back' : 'Roll back';
  };
  rollback.addEventListener('click', () => {
    // Two clicks: the first arms it for 5 s, the second sends it (a rollback cannot be undone).
    if (disarm === null) return setArmed(true);
    setArmed(false);
    void sendCommand('rollback', withReason({}));
  });
  panel.replaceChildren(
    h('h2', { text: 'Operator' }),
    h('div', { class: 'operator' },
      h('input', { type: 'text', id: 'command-reason', maxlength: 1000, placeholder: 'reason, for the audit log (optional)' }),
      h('button', { type: 'button', 'data-command': 'halt', text: 'Halt', onclick: () => void sendCommand('halt', withReason({})) }),
      h('button', { type: 'button', 'data-command': 'resume', text: 'Resume', onclick: () => void sendCommand('resume', {}) }),
      rollback,
    ),
  );
}

/** The reason typed for a command, if any. */
function withReason(fields) {
  const input = byId('command-reason');
  const reason = input === null ? '' : input.value.trim();
  return reason === '' ? fields : Object.assign({ reason: reason }, fields);
}

let pendingDrawn = null;
function renderPending() {
  const pending = model.health === null ? null : model.health.pending;
  const operator = model.role === 'operator' && model.connection.status === 'connected';
  const key = pending === null ? 'none' : pending.id + '/' + pending.action + '/' + operator;
  if (key === pendingDrawn) return;
  pendingDrawn = key;
  const box = byId('pending');
  if (pending === null) {
    box.replaceChildren(h('p', { class: 'muted', text: 'nothing waits' }));
    return;
  }
  const children = [
    h('p', {}, h('strong', { text: 'proposal ' + pending.id + ': ' + pending.action })),
    h('ul', {}, ...pending.reasons.map((r) => h('li', {}, h('code', { text: r.code }), ': ' + r.message))),
  ];
  if (operator) {
    children.push(h('div', { class: 'operator' },
      h('button', {
        type: 'button', 'data-command': 'approve', 'data-id': pending.id,
        text: pending.action === 'promote' ? 'Promote (approve ' + pending.id + ')' : 'Approve ' + pending.action,
        onclick: () => void sendCommand('approve', { id: pending.id }),
      }),
      h('button', {
        type: 'button', 'data-command': 'reject', 'data-id': pending.id, text: 'Reject',
        onclick: () => void sendCommand('reject', withReason({ id: pending.id })),
      }),
    ));
  }
  box.replaceChildren(...children);
}

function renderCommandResult() {
  const element = byId('command-result');
  const result = model.commandResult;
  element.className = result === null ? '' : result.kind;
  setText('command-result', result === null ? '' : result.text);
}

function renderComparison() {
  const decision = model.evidence;
  if (decision === null) {
    setText('comparison-as-of', '');
    return emptyRow('metrics-body', 8, 'no decision yet');
  }
  setText('comparison-as-of', '(decision ' + decision.seq + ', ' + formatIsoTime(decision.at) + ' UTC)');
  const rows = decision.reasons
    .filter((r) => r.metric !== null && r.scope !== undefined)
    .map((r) => {
      const unit = r.unit ? ' ' + r.unit : '';
      const ci = r.ci === null ? '—' : '[' + formatNumber(r.ci[0]) + ', ' + formatNumber(r.ci[1]) + ']';
      const verdict = r.verdict === null ? r.code : r.verdict.replace('_', ' ');
      const chart = document.createElementNS(SVG_NS, 'svg');
      chart.setAttribute('class', 'interval');
      chart.setAttribute('viewBox', '0 0 180 18');
      drawInterval(chart, r);
      return h('tr', { 'data-metric': r.metric, 'data-scope': r.scope },
        h('td', {
          text: r.metric + (r.dryRun ? ' (dry run)' : r.required ? ' *' : ''),
          title: r.dryRun ? 'dry run: reported, never acts' : r.required ? 'required non-inferior to advance' : undefined,
        }),
        h('td', { text: r.scope }),
        h('td', { class: 'num', text: formatNumber(r.estimate) + unit }),
        h('td', { class: 'num', text: ci }),
        h('td', { class: 'num', text: formatNumber(r.margin) }),
        h('td', { class: 'verdict v-' + (r.verdict || 'inconclusive'), text: verdict }),
        h('td', { class: 'num', text: formatCount(r.n) + ' / ' + formatCount(r.nStable) }),
        h('td', {}, chart),
      );
    });
  byId('metrics-body').replaceChildren(...rows);
}

function renderGuardrails() {
  const decision = model.guardrails;
  if (decision === null) return emptyRow('guardrails-body', 4, 'no decision yet');
  byId('guardrails-body').replaceChildren(...decision.guardrails.map((g) => h('tr', { 'data-guardrail': g.name },
    h('td', { text: g.name }),
    h('td', { class: 'num', text: formatNumber(g.value) + ' ' + g.unit }),
    h('td', { class: 'num', text: formatNumber(g.limit) + ' ' + g.unit }),
    h('td', { class: g.breached ? 'breached' : '', text: g.breached ? 'breached' : 'within' }),
  )));
}

function renderArms() {
  const snapshot = model.snapshot;
  if (snapshot === null) {
    setText('arms-as-of', '');
    return emptyRow('arms-body', 5, 'no metrics yet');
  }
  setText('arms-as-of', '(' + formatTsUs(snapshot.tsUs) + ' UTC' + (snapshot.final ? ', final' : '') + ')');
  byId('arms-body').replaceChildren(...['stable', 'canary'].map((name) => {
    const arm = snapshot.arms[name];
    return h('tr', { 'data-arm': name },
      h('th', {}, h('span', { class: 'swatch ' + name }), name),
      h('td', { class: 'num', text: formatCount(arm.fills) }),
      h('td', { class: 'num', text: formatNumber(arm.returnPct) + ' %' }),
      h('td', { class: 'num', text: formatNumber(arm.latencyMs ? arm.latencyMs.p50 : null) + ' ms' }),
      h('td', { class: 'num', text: formatNumber(arm.slippageBps ? arm.slippageBps.mean : null) + ' bps' }),
    );
  }));
}

function renderCharts() {
  for (const name of Object.keys(CHART_SERIES)) {
    drawLineChart(byId('chart-' + name).querySelector('svg'), model.series[name]);
  }
}

/** A table body's one row saying there is nothing yet. */
function emptyRow(bodyId, columns, text) {
  byId(bodyId).replaceChildren(h('tr', {}, h('td', { colspan: columns, class: 'muted', text: text })));
}

let decisionsDrawn = -1;
function renderDecisions() {
  if (decisionsDrawn === model.decisionsVersion) return;
  decisionsDrawn = model.decisionsVersion;
  if (model.decisions.length === 0) return emptyRow('decisions-body', 6, 'no decision yet');
  byId('decisions-body').replaceChildren(...model.decisions.map((d) => {
    const main = d.reasons[0];
    return h('tr', { 'data-seq': d.seq },
      h('td', { class: 'num', text: d.seq }),
      h('td', { text: formatIsoTime(d.at) }),
      h('td', { text: d.action }),
      h('td', { class: 'num', text: d.fromWeightPct === d.toWeightPct ? d.toWeightPct + ' %' : d.fromWeightPct + ' → ' + d.toWeightPct + ' %' }),
      h('td', { text: d.disposition }),
      h('td', {}, main === undefined ? '' : h('code', { text: main.code }), main === undefined ? '' : ': ' + main.message),
    );
  }));
}

function render() {
  renderHeader();
  renderRollout();
  renderOperatorPanel();
  renderPending();
  renderCommandResult();
  renderComparison();
  renderGuardrails();
  renderArms();
  renderCharts();
  renderDecisions();
}

let renderQueued = false;
/** Draws once for a burst of frames (a decision, its state and assignments arrive together). */
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    render();
  }, 30);
}
`;
