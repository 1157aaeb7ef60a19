// Routes: how SMS and WhatsApp messages leave Signet. The routing rules (per destination country and
// channel, routes in failover order with weights) are read and replaced through rules-service, which
// validates them and publishes a new send-policy version; its refusals are shown as it words them.
// The overview's routes card shows each route's circuit (from an sms-dispatcher's metrics) and its
// delivery rate and time to delivery (from the views).
import { api } from '../api.js';
import { h, replace, pct, num, duration, errorBox, empty, badge, loading } from '../dom.js';

/** Per route: sends, deliveries and the worst bucket p95 of the aggregate rows. */
export function routeFigures(rows) {
  const byRoute = {};
  for (const r of rows || []) {
    for (const [route, f] of Object.entries(r.routes || {})) {
      const x = byRoute[route] || (byRoute[route] = { route, sends: 0, deliveries: 0, p95: [] });
      x.sends += f.sends;
      x.deliveries += f.deliveries;
      if (f.sendToDeliveryP95Millis !== null && f.sendToDeliveryP95Millis !== undefined) x.p95.push(f.sendToDeliveryP95Millis);
    }
  }
  return byRoute;
}

/** The overview's card: circuit state, delivery rate and p95 time to delivery per route. */
export function routesCard(rows, health) {
  const figures = routeFigures(rows);
  const states = {};
  if (health.status === 'fulfilled') {
    for (const r of health.value.routes || []) states[r.route] = r;
    for (const route of Object.keys(states)) if (!figures[route]) figures[route] = { route, sends: 0, deliveries: 0, p95: [] };
  }
  const list = Object.values(figures).sort((a, b) => b.sends - a.sends || a.route.localeCompare(b.route));
  const content = list.length
    ? h('table', { class: 'table', id: 'routes-table' },
      h('thead', null, h('tr', null, ['Route', 'Circuit', 'Sends', 'Delivery rate', 'p95 to delivery'].map((x) => h('th', null, x)))),
      h('tbody', null, list.map((r) => {
        const s = states[r.route];
        return h('tr', { 'data-route': r.route },
          h('td', { class: 'mono' }, r.route),
          h('td', null, s ? badge(String(s.state).toUpperCase(), 'Circuit ' + s.state) : '—',
            s && s.failureRatePercent !== null && s.failureRatePercent !== undefined ? h('span', { class: 'small muted' }, ' ' + pct(s.failureRatePercent / 100) + ' failing') : null),
          h('td', { class: 'num' }, num(r.sends)),
          h('td', { class: 'num' }, r.sends ? pct(r.deliveries / r.sends) : '—'),
          h('td', { class: 'num' }, r.p95.length ? duration(Math.max(...r.p95)) : '—'));
      })))
    : empty('No routed sends in this period', 'Routes appear once messages are sent.');
  return h('section', { class: 'card', id: 'routes-card' },
    h('header', null, h('h2', null, 'Routes'),
      h('p', { class: 'muted small' }, 'Circuit state now (from ', health.status === 'fulfilled' ? health.value.source : 'sms-dispatcher',
        '), delivered ÷ sent and the worst p95 time to delivery of the period, per route. ', h('a', { href: '#/routes' }, 'Routing rules →'))),
    health.status === 'rejected' ? errorBox(health.reason) : null,
    content);
}

/** The routing rules page: the rules in force, and an editor that replaces them. */
export function routingPage() {
  const rulesView = h('div', { id: 'routing-rules' }, loading());
  const editor = h('textarea', { id: 'routing-editor', class: 'code', rows: '14', spellcheck: 'false', 'aria-label': 'Routing rules as JSON' });
  const save = h('button', { class: 'btn primary', type: 'button', id: 'routing-save' }, 'Save rules');
  const reset = h('button', { class: 'btn', type: 'button', id: 'routing-reload' }, 'Discard changes');
  const result = h('div', { id: 'routing-result', role: 'status' });
  let dirty = false;
  let version = null;

  editor.addEventListener('input', () => {
    dirty = true;
  });
  reset.addEventListener('click', () => {
    dirty = false;
    replace(result);
    refresh(true);
  });
  save.addEventListener('click', async () => {
    let body;
    try {
      body = JSON.parse(editor.value);
    } catch (e) {
      replace(result, errorBox({ title: 'Not valid JSON', message: 'The rules must be JSON: ' + e.message }));
      return;
    }
    save.disabled = true;
    try {
      const saved = await api.replaceRouting(body);
      dirty = false;
      show(saved);
      replace(result, h('div', { class: 'decided', id: 'routing-saved' }, 'Saved as send-policy version ', h('strong', null, String(saved.version)), '; the dispatchers pick it up within seconds.'));
    } catch (e) {
      replace(result, errorBox(e));
    } finally {
      save.disabled = false;
    }
  });

  function show(routing) {
    version = routing.version;
    replace(rulesView, rulesTable(routing.rules || []), h('p', { class: 'small muted' }, 'Send-policy version ' + version + '.'));
    if (!dirty) editor.value = JSON.stringify({ rules: routing.rules || [] }, null, 2);
  }

  async function refresh(first) {
    try {
      show(await api.routing());
    } catch (e) {
      replace(rulesView, errorBox(e, () => refresh(true)));
      if (first) throw e;
    }
  }

  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('h1', null, 'Routes'),
        h('p', { class: 'muted' }, 'Which provider routes a message takes, per destination country and channel: the first route is drawn by weight, the others follow in order when one fails.'))),
    h('section', { class: 'card' }, h('h2', null, 'Rules in force'), rulesView),
    h('section', { class: 'card' },
      h('h2', null, 'Edit'),
      h('p', { class: 'muted small' }, 'Replace every rule at once: {"rules":[{"country":"GB" or "*","channel":"SMS" or "WHATSAPP","routes":[{"provider":"vonage","api":"sms","weight":70},{"provider":"twilio","api":"messaging","weight":30}]}]}. An empty list sends every SMS through the Vonage SMS API and every WhatsApp message through the Messages API. rules-service checks the rules and says what it refuses.'),
      editor,
      h('div', { class: 'row' }, save, reset),
      result));
  return { element, refresh, busy: () => dirty || document.activeElement === editor };
}

function rulesTable(rules) {
  if (!rules.length) {
    return empty('No routing rules', 'Every SMS goes through the Vonage SMS API, every WhatsApp message through the Messages API.');
  }
  return h('table', { class: 'table', id: 'routing-table' },
    h('thead', null, h('tr', null, ['Country', 'Channel', 'Routes in failover order (weight)'].map((x) => h('th', null, x)))),
    h('tbody', null, rules.map((rule) => h('tr', { 'data-rule': rule.country + '/' + rule.channel },
      h('td', { class: 'mono' }, rule.country),
      h('td', null, rule.channel),
      h('td', null, h('ol', { class: 'routes' }, (rule.routes || []).map((r) => h('li', null,
        h('span', { class: 'mono' }, r.provider + ' ' + r.api),
        r.weight ? h('span', { class: 'small' }, ' · weight ' + r.weight) : h('span', { class: 'small muted' }, ' · fallback'),
        r.sender ? h('span', { class: 'small muted' }, ' · from ' + r.sender) : null))))))));
}
