/**
 * The dashboard's body before its script runs: the sections the script fills in, each with an id
 * (docs/server.md, "Dashboard"). The operator's controls are not here: the script creates them
 * only once the server has said the connection is an operator's. The token's field has no name
 * and its form posts nowhere (the CSP's form-action 'none'): the token is never submitted as a
 * form, which would put it in a URL; the script sends it in the websocket's hello.
 */
export const DASHBOARD_MARKUP = String.raw`
<header>
  <h1>strategy-canary <span class="versions" id="rollout-name"></span></h1>
  <span class="connection connecting" id="connection">connecting…</span>
  <span class="role" id="role"></span>
  <form class="token" id="token-form" method="post" autocomplete="off">
    <label for="token-input">Token</label>
    <input type="password" id="token-input" autocomplete="current-password"
      placeholder="operator or subscriber token">
    <button type="submit">Connect</button>
    <button type="button" id="forget-token">Forget</button>
  </form>
</header>
<main>
  <section id="rollout">
    <h2>Rollout</h2>
    <div class="figures">
      <div class="figure"><span class="label">status</span><span class="value" id="status">—</span></div>
      <div class="figure"><span class="label">step</span><span class="value" id="step">—</span></div>
      <div class="figure"><span class="label">canary weight</span><span class="value" id="weight">—</span></div>
    </div>
    <svg class="weight-bar" id="weight-bar" viewBox="0 0 100 10" preserveAspectRatio="none"
      role="img" aria-label="weights"></svg>
    <p id="weights" class="muted"></p>
    <p id="calendar" class="muted" hidden></p>
    <p id="recorded" class="muted"></p>
    <p class="muted">frame <span id="seq">—</span>; <span id="connections"></span></p>
  </section>
  <section id="control">
    <h2>Waiting for an operator</h2>
    <div id="pending"><p class="muted">nothing waits</p></div>
    <div id="operator-panel"></div>
    <p id="command-result" aria-live="polite"></p>
  </section>
  <section id="comparison" class="wide">
    <h2>Compared metrics <span class="muted" id="comparison-as-of"></span></h2>
    <p class="muted">canary − stable, with its anytime-valid interval; the dashed line is the margin
      (worse beyond it); lower is better but for edgeBps.</p>
    <table>
      <thead><tr><th>metric</th><th>scope</th><th class="num">canary − stable</th>
        <th class="num">interval</th><th class="num">margin</th><th>verdict</th>
        <th class="num">n canary / stable</th><th>interval and margin</th></tr></thead>
      <tbody id="metrics-body"><tr><td colspan="8" class="muted">no decision yet</td></tr></tbody>
    </table>
  </section>
  <section id="guardrails">
    <h2>Guardrails</h2>
    <table>
      <thead><tr><th>guardrail</th><th class="num">value</th><th class="num">limit</th><th>state</th></tr></thead>
      <tbody id="guardrails-body"><tr><td colspan="4" class="muted">no decision yet</td></tr></tbody>
    </table>
  </section>
  <section id="arms">
    <h2>Arms <span class="muted" id="arms-as-of"></span></h2>
    <table>
      <thead><tr><th></th><th class="num">fills</th><th class="num">return</th>
        <th class="num">latency p50</th><th class="num">slippage mean</th></tr></thead>
      <tbody id="arms-body"><tr><td colspan="5" class="muted">no metrics yet</td></tr></tbody>
    </table>
  </section>
  <section id="charts" class="wide">
    <h2>Per arm, over event time</h2>
    <p><span class="swatch stable"></span>stable <span class="swatch canary"></span>canary</p>
    <div class="charts">
      <figure id="chart-return"><figcaption>Return (%)</figcaption><svg viewBox="0 0 480 170" role="img"></svg></figure>
      <figure id="chart-fills"><figcaption>Fills</figcaption><svg viewBox="0 0 480 170" role="img"></svg></figure>
      <figure id="chart-latency"><figcaption>Fill latency p50 (ms)</figcaption><svg viewBox="0 0 480 170" role="img"></svg></figure>
      <figure id="chart-slippage"><figcaption>Slippage mean (bps, positive = worse)</figcaption><svg viewBox="0 0 480 170" role="img"></svg></figure>
    </div>
  </section>
  <section id="decisions" class="wide">
    <h2>Decision log <span class="muted">(latest first)</span></h2>
    <table class="log">
      <thead><tr><th class="num">#</th><th>event time</th><th>action</th><th class="num">weight</th>
        <th>disposition</th><th>main reason</th></tr></thead>
      <tbody id="decisions-body"><tr><td colspan="6" class="muted">no decision yet</td></tr></tbody>
    </table>
  </section>
</main>
`;
