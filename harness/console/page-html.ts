/**
 * The console's one document and its sign-in page. The package ships compiled JavaScript only, so the
 * page, its style (page-css.ts) and its script (page-script.ts) are string constants: nothing to find on
 * disk, no CDN, nothing fetched but the console's own API. Nothing from the lab is ever in these strings:
 * the script inserts every name, path and value as text.
 */

/** The console's page: landmarks, a tab list, one panel per page, a live region for what a click did. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ssf-lab console</title>
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body>
<header class="top">
  <h1>ssf-lab console</h1>
  <p class="tagline">Jamf Security Cloud → SSF → Okta Identity Threat Protection → Universal Logout, live</p>
  <p class="live" id="live" aria-live="polite">connecting to the timeline…</p>
</header>
<nav aria-label="Pages">
  <div role="tablist" aria-label="Console pages">
    <button role="tab" id="tab-fleet" aria-controls="fleet" aria-selected="true">Fleet</button>
    <button role="tab" id="tab-streams" aria-controls="streams" aria-selected="false" tabindex="-1">Streams</button>
    <button role="tab" id="tab-timeline" aria-controls="timeline" aria-selected="false" tabindex="-1">Timeline</button>
    <button role="tab" id="tab-okta" aria-controls="okta" aria-selected="false" tabindex="-1">Okta</button>
    <button role="tab" id="tab-runs" aria-controls="runs" aria-selected="false" tabindex="-1">Runs</button>
  </div>
  <a class="record" href="/api/record" download="ssf-lab-record.json">Download the run record</a>
</nav>
<main>
  <section role="tabpanel" id="fleet" aria-labelledby="tab-fleet">
    <h2>Fleet <span class="sub">Jamf Security Cloud's devices, with Jamf Pro's record of each</span></h2>
    <div class="bar">
      <label for="fleet-filter">Filter</label>
      <input id="fleet-filter" type="search" placeholder="name, user, platform, risk, threat…" autocomplete="off">
      <span id="fleet-count" class="muted"></span>
    </div>
    <div class="scroll"><table id="fleet-table">
      <caption class="visually-hidden">Devices</caption>
      <thead><tr><th scope="col">Device</th><th scope="col">Platform</th><th scope="col">User</th><th scope="col">Risk</th><th scope="col">Active threats</th><th scope="col">Jamf Pro</th><th scope="col">Raise a threat</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section role="tabpanel" id="streams" aria-labelledby="tab-streams" hidden>
    <h2>Streams <span class="sub">every SSF stream at Jamf Security Cloud, and Okta's receiver</span></h2>
    <div class="bar" id="receiver"></div>
    <div class="scroll"><table id="streams-table">
      <caption class="visually-hidden">SSF streams</caption>
      <thead><tr><th scope="col">Stream</th><th scope="col">Status</th><th scope="col">Delivery</th><th scope="col">Events</th><th scope="col">Subjects</th><th scope="col">SETs</th><th scope="col">Change</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section role="tabpanel" id="timeline" aria-labelledby="tab-timeline" hidden>
    <h2>Timeline <span class="sub">every hop between the services, as it happens</span></h2>
    <div class="bar">
      <input id="timeline-all" type="checkbox">
      <label for="timeline-all">Show every call (the set-up's too), not only SETs, Universal Logouts and Jamf Pro updates</label>
    </div>
    <div class="split">
      <div class="scroll diagram" id="diagram" role="log" aria-label="Sequence diagram"></div>
      <aside id="set-detail" aria-label="The SET chosen" aria-live="polite"><p class="muted">Choose a SET on the timeline to see it decoded, its signature checked and its findings under each profile.</p></aside>
    </div>
  </section>
  <section role="tabpanel" id="okta" aria-labelledby="tab-okta" hidden>
    <h2>Okta <span class="sub">a user's risk, the Entity Risk Policy, the System Log and the apps</span></h2>
    <div class="bar">
      <label for="okta-user">User</label>
      <input id="okta-user" list="okta-users" autocomplete="off" placeholder="login (email)">
      <datalist id="okta-users"></datalist>
      <button type="button" id="okta-show">Show</button>
    </div>
    <div id="okta-body"><p class="muted">Choose a user, or raise a threat on the Fleet page: that device's user is shown here.</p></div>
  </section>
  <section role="tabpanel" id="runs" aria-labelledby="tab-runs" hidden>
    <h2>Runs <span class="sub">a scenario against this lab, narrated as it goes, judged into a report</span></h2>
    <div class="bar">
      <label for="run-scenario">Scenario</label>
      <select id="run-scenario"></select>
      <button type="button" id="run-start" class="primary">Start</button>
    </div>
    <div id="runs-list"><p class="muted">No run yet.</p></div>
  </section>
  <p id="status" class="status" role="status" aria-live="polite"></p>
</main>
<footer><p>An offline lab: every service here is a mock. <a href="https://openid.net/specs/openid-sharedsignals-framework-1_0.html" rel="noreferrer">OpenID Shared Signals Framework</a></p></footer>
</body>
</html>
`;

/** What a browser without a session gets (401): how to sign in, and nothing of the lab. */
export const SIGN_IN_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ssf-lab console: sign in</title></head>
<body>
<main>
<h1>ssf-lab console</h1>
<p>Sign in with the link <code>ssf-lab serve</code> printed: the manifest's <code>console.signInUrl</code>,
which carries the lab admin token. A script may send <code>Authorization: Bearer &lt;lab.adminToken&gt;</code> instead.</p>
</main>
</body>
</html>
`;
