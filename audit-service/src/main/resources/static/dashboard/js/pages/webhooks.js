// Webhooks: the registered endpoints (register, enable / disable, delete) and the delivery log with
// each delivery's state, attempts, last status and last error, and a manual redeliver. Endpoint
// URLs, descriptions and errors are shown as text; every change goes to /dashboard/api/webhooks
// with the session and the X-Signet-Dashboard header.
import { api } from '../api.js';
import { h, replace, loading, empty, errorBox, fmtTime, ago, badge, num } from '../dom.js';
import { short } from './common.js';

const STATES = ['', 'PENDING', 'FAILED', 'DELIVERED'];

export function webhooksPage() {
  let interacting = false;
  let state = '';
  const endpointsBody = h('div', null, loading());
  const deliveriesBody = h('div', null, loading());
  const formResult = h('div', { role: 'status', id: 'webhook-form-result' });

  const url = h('input', { type: 'text', inputmode: 'url', class: 'note', maxlength: '2048', placeholder: 'https://example.com/signet-webhooks', 'aria-label': 'Endpoint URL', id: 'webhook-url' });
  const types = h('input', { type: 'text', class: 'note', maxlength: '2000', placeholder: 'challenge.verified, sms.dispatched (or *)', 'aria-label': 'Event types', id: 'webhook-types' });
  const description = h('input', { type: 'text', class: 'note', maxlength: '200', placeholder: 'Description', 'aria-label': 'Description', id: 'webhook-description' });
  const add = h('button', { class: 'btn primary', type: 'button', id: 'webhook-add' }, 'Register');
  add.addEventListener('click', async () => {
    add.disabled = true;
    try {
      const eventTypes = types.value.split(/[\s,]+/).filter(Boolean);
      const created = await api.registerWebhook({ url: url.value.trim(), eventTypes, description: description.value.trim() });
      replace(formResult, h('div', { class: 'decided' }, 'Registered ', h('span', { class: 'mono' }, created.endpointId), '.'));
      url.value = '';
      types.value = '';
      description.value = '';
      await refresh();
    } catch (e) {
      replace(formResult, errorBox(e));
    } finally {
      add.disabled = false;
    }
  });

  const filter = h('select', { 'aria-label': 'Delivery state', id: 'webhook-state' },
    STATES.map((s) => h('option', { value: s }, s || 'All states')));
  filter.addEventListener('change', () => {
    state = filter.value;
    refreshDeliveries();
  });

  function endpointsTable(list) {
    if (!list.items.length) {
      return empty('No endpoints yet', 'Register an https URL below; deliveries are signed with the API secret (X-Signature-V2).');
    }
    return h('table', { class: 'table', id: 'webhook-endpoints' },
      h('thead', null, h('tr', null, ['Endpoint', 'URL', 'Event types', 'State', 'Registered', ''].map((x) => h('th', null, x)))),
      h('tbody', null, list.items.map((e) => {
        const toggle = h('button', { class: 'btn', type: 'button' }, e.enabled ? 'Disable' : 'Enable');
        const remove = h('button', { class: 'btn bad', type: 'button' }, 'Delete');
        const cell = h('td', null, toggle, ' ', remove);
        toggle.addEventListener('click', async () => {
          toggle.disabled = true;
          try {
            await api.updateWebhook(e.endpointId, { enabled: !e.enabled });
            await refresh();
          } catch (err) {
            replace(cell, errorBox(err));
          }
        });
        remove.addEventListener('click', () => {
          interacting = true;
          const yes = h('button', { class: 'btn bad', type: 'button' }, 'Yes, delete');
          const no = h('button', { class: 'btn', type: 'button' }, 'Cancel');
          replace(cell, h('div', { class: 'confirm' }, 'Delete it and its delivery log? ', yes, no));
          no.addEventListener('click', () => {
            interacting = false;
            refresh();
          });
          yes.addEventListener('click', async () => {
            yes.disabled = true;
            try {
              await api.deleteWebhook(e.endpointId);
            } catch (err) {
              replace(cell, errorBox(err));
              return;
            } finally {
              interacting = false;
            }
            await refresh();
          });
        });
        return h('tr', null,
          h('td', { class: 'mono small' }, e.endpointId, e.description ? h('div', { class: 'muted' }, e.description) : null),
          h('td', { class: 'mono small' }, e.url),
          h('td', { class: 'small' }, e.eventTypes.join(', ')),
          h('td', null, badge(e.enabled ? 'ENABLED' : 'DISABLED')),
          h('td', { class: 'small', title: fmtTime(e.createdAt) }, ago(e.createdAt), h('div', { class: 'muted' }, e.createdBy)),
          cell);
      })));
  }

  function deliveriesTable(list) {
    if (!list.items.length) {
      return empty('No deliveries', state ? 'None in this state.' : 'Deliveries appear here once an event matches an endpoint.');
    }
    return h('table', { class: 'table compact', id: 'webhook-deliveries' },
      h('thead', null, h('tr', null, ['Created', 'Event', 'Endpoint', 'State', 'Attempts', 'Last status', 'Last error', 'Next attempt', ''].map((x) => h('th', null, x)))),
      h('tbody', null, list.items.map((d) => {
        const again = h('button', { class: 'btn', type: 'button', disabled: d.attempting ? '' : null, title: d.attempting ? 'An attempt is running' : 'Send this event again now' }, 'Redeliver');
        const cell = h('td', null, again);
        again.addEventListener('click', async () => {
          again.disabled = true;
          try {
            await api.redeliverWebhook(d.deliveryId);
            replace(cell, h('span', { class: 'small' }, 'queued'));
            refreshDeliveries();
          } catch (err) {
            replace(cell, errorBox(err));
          }
        });
        return h('tr', null,
          h('td', { class: 'small', title: fmtTime(d.createdAt) }, ago(d.createdAt)),
          h('td', { class: 'small' }, d.eventType, h('div', { class: 'mono muted', title: d.eventId }, short(d.eventId))),
          h('td', { class: 'mono small' }, d.endpointId),
          h('td', null, badge(d.state), d.attempting ? h('div', { class: 'small muted' }, 'attempting') : null),
          h('td', { class: 'num' }, num(d.attempts)),
          h('td', { class: 'num' }, d.lastStatusCode === null ? '—' : String(d.lastStatusCode)),
          h('td', { class: 'small' }, d.lastError || '—'),
          h('td', { class: 'small', title: fmtTime(d.nextAttemptAt) }, d.nextAttemptAt ? fmtTime(d.nextAttemptAt) : '—'),
          cell);
      })));
  }

  async function refreshDeliveries() {
    try {
      replace(deliveriesBody, deliveriesTable(await api.webhookDeliveries({ state, limit: 100 })));
    } catch (e) {
      replace(deliveriesBody, errorBox(e, refreshDeliveries));
    }
  }

  async function refresh() {
    try {
      const list = await api.webhooks();
      replace(endpointsBody, endpointsTable(list), h('p', { class: 'small muted' }, num(list.items.length) + ' of at most ' + num(list.maxEndpoints) + ' endpoints.'));
    } catch (e) {
      replace(endpointsBody, errorBox(e, refresh));
    }
    await refreshDeliveries();
  }

  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' }, h('div', null, h('h1', null, 'Webhooks'),
      h('p', { class: 'muted' }, 'Signed deliveries of audit events to your own systems, retried with back-off for 24 hours.'))),
    h('div', { class: 'stack' },
      h('section', { class: 'card', id: 'webhook-endpoints-card' }, h('h2', null, 'Endpoints'), endpointsBody,
        h('div', { class: 'row' }, url, types, description, add), formResult),
      h('section', { class: 'card', id: 'webhook-deliveries-card' }, h('h2', null, 'Delivery log'),
        h('div', { class: 'row' }, filter), deliveriesBody)));

  return { element, refresh, busy: () => interacting || (element.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') };
}
