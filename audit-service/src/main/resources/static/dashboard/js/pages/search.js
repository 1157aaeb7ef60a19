// Search by user id, phone number or challenge id.
import { api } from '../api.js';
import { h, replace, loading, empty, errorBox, badge, fmtTime, ago, route, num } from '../dom.js';
import { challengeLink, userLink } from './common.js';

const PHONE = /^\+?[0-9][0-9 ().-]{5,}$/;

export function searchPage(q) {
  const input = h('input', { type: 'search', id: 'search-input', name: 'q', value: q, placeholder: 'User id, phone number (+44 7700 900123) or challenge id', autocomplete: 'off', 'aria-label': 'Search' });
  const form = h('form', { class: 'search-form', role: 'search' }, input, h('button', { class: 'btn primary', type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    window.location.hash = '#/search?q=' + encodeURIComponent(value);
  });
  const results = h('div', { class: 'stack', id: 'search-results' });
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' }, h('div', null, h('h1', null, 'Search'),
      h('p', { class: 'muted' }, 'Find a user\'s timeline, every challenge sent to a phone number, or one challenge.'))),
    form, results);

  async function refresh(first) {
    if (!q) {
      replace(results, empty('Search for a user or a phone number', 'Phone numbers are matched in any common notation; only the masked number is ever shown.'));
      return;
    }
    if (first) replace(results, loading('Searching…'));
    if (PHONE.test(q) && q.replace(/\D/g, '').length >= 7) {
      await byPhone();
    } else {
      await byId();
    }
  }

  async function byPhone() {
    const [challenges, activities] = await Promise.allSettled([
      api.challenges({ phone: q, limit: 50 }),
      api.activities({ phone: q, limit: 200 }),
    ]);
    if (challenges.status === 'rejected') {
      replace(results, errorBox(challenges.reason, () => refresh(true)));
      return;
    }
    const items = challenges.value.items;
    const users = new Map();
    if (activities.status === 'fulfilled') {
      for (const a of activities.value.items) {
        if (a.userId && !users.has(a.userId)) users.set(a.userId, a.occurredAt);
      }
    }
    for (const c of items) if (c.userId && !users.has(c.userId)) users.set(c.userId, c.createdAt);
    if (!items.length && !users.size) {
      replace(results, empty('Nothing recorded for this number', 'No challenge has been sent to it within the retention period.'));
      return;
    }
    replace(results,
      users.size ? h('section', { class: 'card' }, h('h2', null, 'Users'),
        h('ul', { class: 'plain' }, [...users.entries()].map(([id, at]) => h('li', null, userLink(id), ' ', h('span', { class: 'muted small' }, 'last seen ', ago(at)))))) : null,
      challengeTable('Challenges sent to this number', items, challenges.value.nextCursor));
  }

  async function byId() {
    const [timeline, challenge, actions] = await Promise.allSettled([
      api.timeline(q, { limit: 1 }),
      api.challenge(q),
      api.challenges({ userId: q, limit: 20 }),
    ]);
    const found = [];
    if (timeline.status === 'fulfilled' && timeline.value.items.length) {
      const last = timeline.value.items[0];
      found.push(h('a', { class: 'card result', href: route('users', q) },
        h('div', { class: 'result-kind' }, 'User'),
        h('div', { class: 'result-title mono' }, q),
        h('div', { class: 'muted small' }, 'last activity ', h('span', { class: 'mono' }, last.type), ' ', ago(last.occurredAt))));
    }
    if (challenge.status === 'fulfilled') {
      const c = challenge.value;
      found.push(h('a', { class: 'card result', href: route('challenges', c.challengeId) },
        h('div', { class: 'result-kind' }, 'Challenge'),
        h('div', { class: 'result-title mono' }, c.challengeId),
        h('div', { class: 'small' }, badge(c.state), ' ', badge(c.delivery), ' ', h('span', { class: 'muted' }, c.action || '', ' · ', fmtTime(c.createdAt)))));
    }
    if (actions.status === 'fulfilled' && actions.value.items.length) {
      found.push(challengeTable('Challenges of this user', actions.value.items, actions.value.nextCursor));
    }
    const failures = [timeline, challenge].filter((r) => r.status === 'rejected' && r.reason.status !== 404 && r.reason.status !== 400);
    if (failures.length) found.push(errorBox(failures[0].reason, () => refresh(true)));
    replace(results, found.length ? found : empty('Nothing recorded for “' + q + '”', 'Check the id, or search by phone number. Views keep what happened within the retention period.'));
  }

  return { element, refresh };
}

export function challengeTable(title, items, nextCursor, compact = false) {
  if (compact) {
    return h('section', { class: 'card' }, h('h2', null, title, ' ', h('span', { class: 'muted small' }, num(items.length) + (nextCursor ? '+' : ''))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table compact' },
        h('thead', null, h('tr', null, ['Challenge', 'Requested', 'State', 'Delivery', 'To delivery'].map((x) => h('th', null, x)))),
        h('tbody', null, items.map((c) => h('tr', null,
          h('td', null, challengeLink(c.challengeId), h('div', { class: 'small muted' }, c.action || '', c.phoneNumberMasked ? ' · ' + c.phoneNumberMasked : '')),
          h('td', { class: 'small' }, fmtTime(c.createdAt)),
          h('td', null, badge(c.state)),
          h('td', null, badge(c.delivery)),
          h('td', { class: 'num' }, c.timeToDeliveryMillis === null || c.timeToDeliveryMillis === undefined ? '—' : c.timeToDeliveryMillis + ' ms')))))));
  }
  return h('section', { class: 'card' }, h('h2', null, title, ' ', h('span', { class: 'muted small' }, num(items.length) + (nextCursor ? '+' : ''))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Challenge', 'Requested', 'Action', 'User', 'Phone', 'State', 'Delivery', 'Time to delivery'].map((x) => h('th', null, x)))),
      h('tbody', null, items.map((c) => h('tr', null,
        h('td', null, challengeLink(c.challengeId)),
        h('td', { class: 'small' }, fmtTime(c.createdAt)),
        h('td', null, c.action || '—'),
        h('td', null, userLink(c.userId)),
        h('td', { class: 'mono small' }, c.phoneNumberMasked || '—', c.countryCode ? ' · ' + c.countryCode : ''),
        h('td', null, badge(c.state)),
        h('td', null, badge(c.delivery)),
        h('td', { class: 'num' }, c.timeToDeliveryMillis === null || c.timeToDeliveryMillis === undefined ? '—' : c.timeToDeliveryMillis + ' ms')))))));
}
