/**
 * The console's script, plain ES2020 for any current browser. Every string from the lab — a device name,
 * a user, a path, a SET's claims — goes into the page as text (`textContent`, text nodes), never as HTML,
 * so a device named `<img src=x onerror=…>` shows as those characters. It keeps no secret: the session
 * cookie is HttpOnly, and every call is same-origin with the header the console's API asks of a change.
 *
 * Live: the timeline arrives as server-sent events; each hop also refreshes the page on view (debounced),
 * so a threat raised on the Fleet page shows its consequences everywhere without a reload. String.raw: a
 * backslash here (`\n`) reaches the browser as written.
 */
export const CONSOLE_SCRIPT = String.raw`
'use strict';
(function () {
  var LANES = ['jamf-pro', 'jamf-security-cloud', 'okta', 'salesforce', 'google-workspace', 'office365', 'harness'];
  var LANE_NAMES = { 'jamf-pro': 'Jamf Pro', 'jamf-security-cloud': 'Jamf Security Cloud', okta: 'Okta', salesforce: 'Salesforce', 'google-workspace': 'Google Workspace', office365: 'Office 365', harness: 'other' };
  var MAX_HOPS = 1500;
  var state = { tab: 'fleet', fleet: null, fleetKey: '', oktaUser: '', categories: [], chosen: null, refreshTimer: null };

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'className') node.className = v;
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function add(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function say(text, error) {
    var s = document.getElementById('status');
    s.textContent = text;
    s.className = error ? 'status error' : 'status';
  }
  function risk(level) { var l = String(level || 'NONE').toUpperCase(); return el('span', { className: 'risk risk-' + l, text: l }); }
  function time(iso) { try { return new Date(iso).toLocaleTimeString(); } catch (e) { return String(iso); } }

  function api(method, path, body) {
    var init = { method: method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET') init.headers['x-ssf-lab-console'] = '1';
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = t; }
        if (!r.ok) throw new Error((data && data.error) || ('the console answered ' + r.status));
        return data;
      });
    });
  }

  // ---- tabs -----------------------------------------------------------------------------------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role=tab]'));
  function show(name) {
    state.tab = name;
    tabs.forEach(function (t) {
      var on = t.getAttribute('aria-controls') === name;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    });
    if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
    refresh();
  }
  tabs.forEach(function (t, i) {
    t.addEventListener('click', function () { show(t.getAttribute('aria-controls')); });
    t.addEventListener('keydown', function (e) {
      var d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      var next = tabs[(i + d + tabs.length) % tabs.length];
      next.focus();
      show(next.getAttribute('aria-controls'));
    });
  });

  function refresh() {
    var p = state.tab === 'fleet' ? loadFleet() : state.tab === 'streams' ? loadStreams() : state.tab === 'okta' ? loadOkta() : state.tab === 'runs' ? loadRuns() : null;
    if (p) p.catch(function (e) { say(e.message, true); });
  }
  /** A hop arrived: the page on view reads the lab again, once things settle. */
  function soon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 250);
  }

  // ---- Fleet ----------------------------------------------------------------------------------------
  var filter = document.getElementById('fleet-filter');
  filter.addEventListener('input', function () { state.fleetKey = ''; soon(); });
  function loadFleet() {
    return api('GET', '/api/fleet?q=' + encodeURIComponent(filter.value)).then(function (data) {
      var key = JSON.stringify(data);
      state.categories = data.categories;
      fillUsers(data.devices);
      // Unchanged: the table (and whatever a user is choosing in it) stays as it is.
      if (key === state.fleetKey) return;
      state.fleetKey = key;
      var body = document.querySelector('#fleet-table tbody');
      clear(body);
      document.getElementById('fleet-count').textContent = data.devices.length + ' of ' + data.total + ' devices';
      data.devices.forEach(function (d) { body.appendChild(deviceRow(d, data)); });
    });
  }
  function deviceRow(d, data) {
    var active = d.threats.filter(function (t) { return t.status === 'ACTIVE'; });
    var jp = d.jamfPro;
    return el('tr', { 'data-device': d.id },
      el('td', null, el('div', { className: 'device-name', text: d.name }), el('div', { className: 'small', text: d.udid })),
      el('td', null, d.platform, el('div', { className: 'small', text: d.osVersion })),
      el('td', null, d.user ? [el('div', { text: d.user.name }), el('div', { className: 'small', text: d.user.email })] : el('span', { className: 'muted', text: 'not activated' })),
      el('td', null, risk(d.risk)),
      el('td', { className: 'threats' }, active.length === 0 ? el('span', { className: 'muted', text: 'none' }) : active.map(function (t) {
        return el('div', { className: 'threat' }, el('span', { text: t.category + ' (' + t.severity + ')' }),
          el('button', { type: 'button', 'aria-label': 'Resolve ' + t.category + ' on ' + d.name, text: 'Resolve', onclick: function (e) { resolve(e.target, t, d); } }));
      })),
      el('td', null, jp === null ? el('span', { className: 'muted', text: 'not in Jamf Pro' }) : [
        el('div', null, el('span', { className: 'small', text: data.riskAttribute + ': ' }), el('span', { className: 'ea-risk', text: jp.riskAttribute || '—' })),
        jp.attributes.length ? el('div', { className: 'small', text: jp.attributes.map(function (a) { return a.name + ': ' + a.value; }).join('; ') }) : null,
        el('div', { className: 'chips' }, jp.groups.map(function (g) { return el('span', { className: 'chip', title: g.smart ? 'smart group' : 'static group', text: g.name }); }))
      ]),
      el('td', null, raiseForm(d))
    );
  }
  function raiseForm(d) {
    var category = el('select', { 'aria-label': 'Threat category for ' + d.name, className: 'category' },
      state.categories.map(function (c) { return el('option', { value: c.name, text: c.name }); }));
    var severity = el('select', { 'aria-label': 'Severity for ' + d.name, className: 'severity' },
      el('option', { value: '', text: 'policy' }), ['LOW', 'MEDIUM', 'HIGH'].map(function (s) { return el('option', { value: s, text: s }); }));
    var button = el('button', { type: 'button', className: 'primary', 'aria-label': 'Raise the threat on ' + d.name, text: 'Raise' });
    button.addEventListener('click', function () {
      button.disabled = true;
      var body = { device: d.id, category: category.value };
      if (severity.value) body.severity = severity.value;
      say('Raising ' + category.value + ' on ' + d.name + '…');
      api('POST', '/api/threats', body).then(function () {
        say(category.value + ' raised on ' + d.name + '.');
        if (d.user) setOktaUser(d.user.email);
        state.fleetKey = '';
        return loadFleet();
      }).catch(function (e) { say(e.message, true); button.disabled = false; });
    });
    return el('div', { className: 'raise' }, category, severity, button);
  }
  function resolve(button, t, d) {
    button.disabled = true;
    say('Resolving ' + t.category + ' on ' + d.name + '…');
    api('DELETE', '/api/threats/' + encodeURIComponent(t.id)).then(function () {
      say(t.category + ' resolved on ' + d.name + '.');
      state.fleetKey = '';
      return loadFleet();
    }).catch(function (e) { say(e.message, true); button.disabled = false; });
  }
  var knownUsers = '';
  function fillUsers(devices) {
    var emails = devices.filter(function (d) { return d.user; }).map(function (d) { return d.user.email; });
    var key = emails.join(',');
    if (key === knownUsers) return;
    knownUsers = key;
    var list = document.getElementById('okta-users');
    clear(list);
    emails.forEach(function (e) { list.appendChild(el('option', { value: e })); });
  }

  // ---- Streams --------------------------------------------------------------------------------------
  function loadStreams() {
    return api('GET', '/api/streams').then(function (data) {
      var r = document.getElementById('receiver');
      clear(r);
      add(r, [el('span', null, "Okta's receiver: ", el('strong', { id: 'receiver-state', text: data.receiver.fault })),
        el('button', { type: 'button', text: data.receiver.down ? 'Bring it back up' : 'Take it down (503, Retry-After 2 s)', onclick: function (e) {
          e.target.disabled = true;
          api('PUT', '/api/receiver', { up: data.receiver.down }).then(loadStreams).catch(function (x) { say(x.message, true); });
        } })]);
      var body = document.querySelector('#streams-table tbody');
      clear(body);
      data.streams.forEach(function (s) {
        var counts = Object.keys(s.counts).filter(function (k) { return s.counts[k] > 0; }).map(function (k) { return el('span', { className: 'chip', text: k + ' ' + s.counts[k] }); });
        body.appendChild(el('tr', { 'data-stream': s.streamId },
          el('td', null, el('div', { text: s.audience || s.streamId }), el('div', { className: 'small', text: s.streamId + ' · made by ' + s.madeBy })),
          el('td', null, el('strong', { className: 'stream-status', text: s.status }), s.reason ? el('div', { className: 'small', text: s.reason }) : null),
          el('td', null, s.delivery || el('span', { className: 'muted', text: 'the receiver chose' }), el('div', { className: 'small', text: s.endpoint })),
          el('td', null, s.events.join(', ') || '—', s.format ? el('div', { className: 'small', text: 'format ' + s.format }) : null),
          el('td', null, s.subjects),
          el('td', null, el('div', { className: 'chips' }, counts.length ? counts : el('span', { className: 'muted', text: 'none yet' })),
            s.retrying.map(function (w) { return el('div', { className: 'small', text: w }); })),
          el('td', null, ['enabled', 'paused', 'disabled'].map(function (status) {
            var verb = { enabled: 'Enable', paused: 'Pause', disabled: 'Disable' }[status];
            return el('button', { type: 'button', disabled: s.status === status, 'aria-label': verb + ' stream ' + s.streamId, text: verb, onclick: function (e) {
              e.target.disabled = true;
              api('PUT', '/api/streams/' + encodeURIComponent(s.streamId) + '/status', { status: status }).then(loadStreams).catch(function (x) { say(x.message, true); });
            } });
          }))
        ));
      });
    });
  }

  // ---- Timeline -------------------------------------------------------------------------------------
  var diagram = document.getElementById('diagram');
  var all = document.getElementById('timeline-all');
  diagram.appendChild(el('div', { className: 'lanes', 'aria-hidden': 'true' }, el('span', { text: 'time' }), LANES.map(function (l) { return el('span', { text: LANE_NAMES[l] }); })));
  all.addEventListener('change', function () {
    Array.prototype.forEach.call(diagram.querySelectorAll('.hop.minor'), function (h) { h.hidden = !all.checked; });
  });
  function lane(name) { var i = LANES.indexOf(name); return i < 0 ? LANES.length - 1 : i; }
  function isMinor(h) {
    if (h.set) return false;
    if (/global-token-revocation/.test(h.path)) return false;
    if (h.from === 'jamf-security-cloud' && h.to === 'jamf-pro' && h.method === 'PATCH') return false;
    return true;
  }
  function addHop(h) {
    var a = lane(h.from), b = lane(h.to);
    var lo = Math.min(a, b), hi = Math.max(a, b);
    var failed = h.error || (h.status && h.status >= 400);
    var text = h.set ? (h.set.event + (h.set.summary ? ' ' + h.set.summary : '')) : (h.method + ' ' + h.path);
    var outcome = h.error ? ' ✗ ' + h.error : h.status ? ' → ' + h.status : '';
    var label = h.set
      ? el('button', { type: 'button', className: 'label', title: h.method + ' ' + h.path + outcome, text: 'SET ' + text + outcome, onclick: function () { choose(row, h); } })
      : el('span', { className: 'label', title: h.method + ' ' + h.path + outcome, text: text + outcome });
    var minor = isMinor(h);
    var row = el('div', { className: 'hop' + (h.set ? ' set' : '') + (minor ? ' minor' : '') + (failed ? ' failed' : ''), 'data-seq': h.seq, 'data-from': h.from, 'data-to': h.to },
      el('span', { className: 't', text: h.realMs === undefined ? '' : (h.realMs / 1000).toFixed(2) + ' s' }));
    // The arrow spans the lanes between the two services (a call to itself sits in its own lane).
    var arrow = el('div', { className: 'arrow ' + (a === b ? 'self' : b > a ? 'right' : 'left') }, label, el('div', { className: 'line' }));
    arrow.style.gridColumn = (lo + 2) + ' / ' + (hi + 3);
    row.appendChild(arrow);
    row.setAttribute('aria-label', (LANE_NAMES[h.from] || h.from) + ' to ' + (LANE_NAMES[h.to] || h.to) + ': ' + text + outcome);
    if (minor && !all.checked) row.hidden = true;
    diagram.appendChild(row);
    var hops = diagram.querySelectorAll('.hop');
    if (hops.length > MAX_HOPS) diagram.removeChild(hops[0]);
    if (!row.hidden && state.tab === 'timeline') row.scrollIntoView({ block: 'nearest' });
  }
  function choose(row, h) {
    Array.prototype.forEach.call(diagram.querySelectorAll('.hop.chosen'), function (c) { c.classList.remove('chosen'); });
    row.classList.add('chosen');
    var box = document.getElementById('set-detail');
    clear(box);
    box.appendChild(el('p', { className: 'muted', text: 'Judging the SET…' }));
    api('GET', '/api/sets/' + h.seq).then(function (j) {
      clear(box);
      var verified = j.signature === 'valid' || j.signature === 'verified';
      add(box, [
        el('h3', { text: 'SET ' + h.set.event }),
        el('p', null, 'From ', el('strong', { text: LANE_NAMES[j.from] || j.from }), ' to ', el('strong', { text: LANE_NAMES[j.to] || j.to }), ', answered ' + (j.status || '—')),
        el('p', null, 'Signature: ', el('span', { id: 'set-signature', className: verified ? 'ok' : 'bad', text: j.signature }), el('span', { className: 'small', text: ' against ' + j.jwks })),
        el('h3', { text: 'Findings by profile' }),
        Object.keys(j.profiles).map(function (p) {
          var f = j.profiles[p];
          return el('div', { className: 'profile', 'data-profile': p }, el('strong', { text: p + ': ' }),
            f.length === 0 ? el('span', { className: 'ok', text: 'no findings' }) :
              el('ul', null, f.map(function (x) { return el('li', { className: 'finding-' + x.level, text: x.level + ' · ' + x.check + ' (' + x.requirement + '): ' + x.message }); })));
        }),
        el('h3', { text: 'Header' }), el('pre', { text: JSON.stringify(j.header, null, 2) }),
        el('h3', { text: 'Claims' }), el('pre', { id: 'set-claims', text: JSON.stringify(j.payload, null, 2) })
      ]);
    }).catch(function (e) { clear(box); box.appendChild(el('p', { className: 'bad', text: e.message })); });
  }
  function follow() {
    var live = document.getElementById('live');
    var source = new EventSource('/api/timeline');
    source.addEventListener('hop', function (e) {
      try { addHop(JSON.parse(e.data)); } catch (x) { return; }
      soon();
    });
    source.onopen = function () { live.textContent = 'live: following the timeline'; };
    source.onerror = function () { live.textContent = 'the timeline is not reachable; trying again…'; };
  }

  // ---- Okta -----------------------------------------------------------------------------------------
  var userInput = document.getElementById('okta-user');
  document.getElementById('okta-show').addEventListener('click', function () { setOktaUser(userInput.value.trim()); show('okta'); });
  userInput.addEventListener('keydown', function (e) { if (e.key === 'Enter') { setOktaUser(userInput.value.trim()); refresh(); } });
  function setOktaUser(login) { state.oktaUser = login; userInput.value = login; }
  function loadOkta() {
    if (!state.oktaUser) return null;
    return api('GET', '/api/okta?user=' + encodeURIComponent(state.oktaUser)).then(function (v) {
      var box = document.getElementById('okta-body');
      clear(box);
      add(box, [
        el('div', { className: 'grid2' },
          el('div', null,
            el('h3', { text: v.user.name + ' (' + v.user.login + ')' }),
            el('p', { className: 'big' }, 'Risk level: ', el('span', { id: 'okta-risk' }, risk(v.risk.level)), v.risk.reason ? el('span', { className: 'small', text: ' ' + v.risk.reason }) : null),
            el('h3', { text: 'Risk history' }),
            el('table', { id: 'risk-history' }, el('thead', null, el('tr', null, ['When', 'Change', 'Reason', 'Source'].map(function (h) { return el('th', { scope: 'col', text: h }); }))),
              el('tbody', null, v.history.slice().reverse().map(function (h) {
                return el('tr', null, el('td', { text: time(h.at) }), el('td', null, risk(h.previous), ' → ', risk(h.current)), el('td', { text: h.reason }), el('td', { text: h.source }));
              })))
          ),
          el('div', null,
            el('h3', { text: 'Apps: sessions and Universal Logout' }),
            el('table', { id: 'okta-apps' }, el('thead', null, el('tr', null, ['App', 'Sessions', 'Universal Logout'].map(function (h) { return el('th', { scope: 'col', text: h }); }))),
              el('tbody', null, v.apps.map(function (a) {
                var last = a.logouts[a.logouts.length - 1];
                return el('tr', { 'data-app': a.kind },
                  el('td', null, a.name, el('div', { className: 'small', text: a.partial ? 'partial support: refresh tokens only' : 'full support' })),
                  el('td', { text: Object.keys(a.sessions).map(function (k) { return a.sessions[k] + ' ' + k; }).join(', ') || 'none' }),
                  el('td', { className: 'logout' }, last ? el('span', { text: (last.scope === 'partial' ? 'logged out partially' : 'logged out fully') + ' (' + last.status + ', ' + time(last.at) + ')' }) : el('span', { className: 'muted', text: 'none yet' })));
              })))
          )
        ),
        el('h3', { text: 'Signals: Entity Risk Policy and System Log, by TraceId' }),
        v.signals.length === 0 ? el('p', { className: 'muted', text: 'No signal about this user yet.' }) : v.signals.map(function (s) {
          return el('div', { className: 'signal', 'data-trace': s.traceId },
            el('div', null, el('strong', { text: time(s.at) }), ' · TraceId ', el('code', { text: s.traceId })),
            el('div', null, 'Rule matched: ', el('strong', { className: 'rule', text: s.rule || '—' }), ' · action: ', el('strong', { text: s.action || '—' })),
            el('ol', { className: 'chain' }, s.chain.map(function (c) {
              return el('li', { 'data-event': c.eventType }, el('code', { text: c.eventType }), ' — ' + c.step + (c.outcome && c.outcome !== 'SUCCESS' ? ' (' + c.outcome + ')' : ''));
            })));
        })
      ]);
    });
  }

  // ---- Runs -----------------------------------------------------------------------------------------
  var scenarioSelect = document.getElementById('run-scenario');
  var knownScenarios = '';
  document.getElementById('run-start').addEventListener('click', function (e) {
    var button = e.target;
    button.disabled = true;
    say('Starting ' + scenarioSelect.value + '…');
    api('POST', '/api/runs', { scenario: scenarioSelect.value }).then(function (run) {
      say('Run ' + run.id + ' started: ' + run.title + '.');
      return loadRuns();
    }).catch(function (x) { say(x.message, true); }).then(function () { button.disabled = false; });
  });
  function loadRuns() {
    return api('GET', '/api/runs').then(function (data) {
      var key = data.scenarios.join(',');
      if (key !== knownScenarios) {
        knownScenarios = key;
        clear(scenarioSelect);
        data.scenarios.forEach(function (n) { scenarioSelect.appendChild(el('option', { value: n, text: n })); });
        document.getElementById('run-start').disabled = data.scenarios.length === 0;
      }
      var box = document.getElementById('runs-list');
      clear(box);
      if (data.runs.length === 0) { box.appendChild(el('p', { className: 'muted', text: data.scenarios.length ? 'No run yet.' : 'This console runs no scenarios.' })); return; }
      data.runs.forEach(function (r) {
        var done = r.state !== 'running';
        box.appendChild(el('div', { className: 'signal run', 'data-run': r.id, 'data-state': r.state },
          el('div', null, el('strong', { text: 'Run ' + r.id + ': ' + r.title }), ' · ', el('span', { className: r.state === 'passed' ? 'ok' : r.state === 'running' ? 'muted' : 'bad', text: r.state }),
            r.checks ? ' · ' + r.checks.passed + '/' + r.checks.total + ' checks passed' : '', r.durationMs !== undefined ? ' · ' + r.durationMs + ' ms' : ''),
          r.error ? el('p', { className: 'bad', text: r.error }) : null,
          done && !r.error ? el('p', null, el('a', { href: '/api/runs/' + r.id + '/report', target: '_blank', rel: 'noopener', text: 'Open the report' }), ' · ',
            el('a', { href: '/api/runs/' + r.id + '/record', download: 'ssf-lab-run-' + r.id + '.json', text: 'Download the run record' })) : null,
          el('pre', { text: r.lines.join('\n') })));
      });
    });
  }

  // ---- start ----------------------------------------------------------------------------------------
  follow();
  setInterval(refresh, 3000);
  var first = (location.hash || '#fleet').slice(1);
  show(['fleet', 'streams', 'timeline', 'okta', 'runs'].indexOf(first) >= 0 ? first : 'fleet');
})();
`;
