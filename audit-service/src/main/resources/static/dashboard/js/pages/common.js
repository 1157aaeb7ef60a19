// Pieces several pages share: a timeline entry, links to users, challenges and actions, key/value
// tables of attributes and a "load more" pager over the query API's cursors.
import { h, badge, fmtTime, ago, route, replace, errorBox, loading } from '../dom.js';

const ICONS = { CHALLENGE: '✉', ACTION: '⚑', AUTHENTICATOR: '☎', USER: '☺', SMS: '✆', POLICY: '⚙' };

export function userLink(userId) {
  return userId ? h('a', { href: route('users', userId), class: 'mono' }, userId) : '—';
}

export function challengeLink(challengeId, label) {
  return challengeId ? h('a', { href: route('challenges', challengeId), class: 'mono' }, label || short(challengeId)) : '—';
}

export function actionLink(userId, code, key, label) {
  return userId && code && key ? h('a', { href: route('actions', userId, code, key) }, label || code) : code || '—';
}

export function short(id) {
  const text = String(id);
  return text.length > 14 ? text.slice(0, 8) + '…' + text.slice(-4) : text;
}

/** Attributes as a small table; every key and value is text. */
export function attributes(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return null;
  return h('table', { class: 'attrs' },
    h('tbody', null, entries.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v)))));
}

/** One entry of a timeline (an activity of the query API). */
export function activityRow(a, options = {}) {
  const links = [];
  if (a.challengeId) links.push(h('span', null, 'challenge ', challengeLink(a.challengeId)));
  if (a.actionCode) links.push(h('span', null, 'action ', actionLink(a.userId, a.actionCode, a.idempotencyKey)));
  if (a.userId && !options.hideUser) links.push(h('span', null, 'user ', userLink(a.userId)));
  if (a.phoneNumberMasked) links.push(h('span', { class: 'mono' }, a.phoneNumberMasked));
  if (a.countryCode) links.push(h('span', null, a.countryCode));
  if (a.ipAddress && !options.compact) links.push(h('span', { class: 'mono' }, a.ipAddress));
  const details = !options.compact && Object.keys(a.attributes || {}).length
    ? h('details', { dataset: { keep: 'a:' + a.activityId } }, h('summary', null, 'Details'), attributes(a.attributes))
    : null;
  return h('li', { class: ['tl-item', 'sev-' + String(a.severity || 'INFO').toLowerCase()] },
    h('span', { class: 'tl-icon', 'aria-hidden': 'true' }, ICONS[a.category] || '•'),
    h('div', { class: 'tl-body' },
      h('div', { class: 'tl-head' },
        h('span', { class: 'tl-type mono' }, a.type),
        badge(a.outcome),
        a.testTraffic ? badge('TEST') : null,
        h('time', { datetime: a.occurredAt, title: fmtTime(a.occurredAt), class: 'muted small' }, ago(a.occurredAt))),
      a.summary ? h('div', { class: 'tl-summary' }, a.summary) : null,
      links.length ? h('div', { class: 'tl-links small' }, links) : null,
      details));
}

/**
 * A list that pages with the API's nextCursor. fetchPage(cursor) → {items, nextCursor};
 * render(items) → nodes. Returns {element, reload()}.
 */
export function pagedList(fetchPage, renderItems, emptyNode) {
  const list = h('div');
  const more = h('button', { class: 'btn', type: 'button' }, 'Load more');
  const footer = h('div', { class: 'pager' });
  const element = h('div', null, list, footer);
  let cursor = null;
  let loaded = [];

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await fetchPage(cursor);
      loaded = loaded.concat(page.items);
      cursor = page.nextCursor;
      draw();
    } catch (e) {
      replace(footer, errorBox(e));
    }
  });

  function draw() {
    replace(list, loaded.length ? renderItems(loaded) : emptyNode);
    replace(footer, cursor ? more : null);
    more.disabled = false;
  }

  async function reload() {
    if (!loaded.length) replace(list, loading());
    try {
      // Live refresh re-reads as many items as are shown, so paging keeps its place.
      const page = await fetchPage(null, Math.min(200, Math.max(loaded.length, 50)));
      loaded = page.items;
      cursor = page.nextCursor;
      draw();
    } catch (e) {
      replace(list, errorBox(e, reload));
      replace(footer);
    }
  }

  return { element, reload };
}
