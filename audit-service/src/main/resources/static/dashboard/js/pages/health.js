// Pipeline health: consumer lag and the age of the newest view per topic, and the audit lag.
import { api } from '../api.js';
import { h, replace, loading, errorBox, num, duration, ago, fmtTime, badge } from '../dom.js';
import { barChart } from '../charts.js';

export function healthPage() {
  const body = h('div', { class: 'stack' }, loading());
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' }, h('div', null, h('h1', null, 'Pipeline health'),
      h('p', { class: 'muted' }, 'How far the views are behind each topic, and how long an event takes to become visible here.'))),
    body);

  async function refresh() {
    let lag;
    try {
      lag = await api.lag();
    } catch (e) {
      replace(body, errorBox(e, refresh));
      return;
    }
    const topics = lag.topics || [];
    const v = lag.viewLag || {};
    replace(body,
      h('div', { class: 'kpis' },
        kpi('Records behind', num(topics.reduce((a, t) => a + (t.consumerLag || 0), 0)), 'all topics'),
        kpi('Audit lag p50', v.p50Millis === undefined ? '—' : duration(v.p50Millis), 'event → visible, last minute'),
        kpi('Audit lag p99', v.p99Millis === undefined ? '—' : duration(v.p99Millis), num(v.count || 0) + ' events in the last minute'),
        kpi('Unpublished', num(lag.pendingPublications), 'activities not yet on auth.audit.activity.v1'),
        kpi('Aggregates', lag.aggregatesUpToDate ? 'up to date' : 'catching up', 'hourly and daily figures')),
      h('div', { class: 'grid-2' },
        h('section', { class: 'card' }, h('h2', null, 'Consumer lag by topic'),
          barChart(topics.map((t) => ({ label: t.topic, value: t.consumerLag || 0 })), { color: 'b', format: num, max: Math.max(10, ...topics.map((t) => t.consumerLag || 0)) })),
        h('section', { class: 'card' }, h('h2', null, 'Age of the newest view entry'),
          barChart(topics.filter((t) => t.newestEventAgeSeconds !== null).map((t) => ({ label: t.topic, value: t.newestEventAgeSeconds * 1000 })), { color: 'c', format: duration, emptyText: 'No event applied yet.' }))),
      h('section', { class: 'card' }, h('h2', null, 'Topics'),
        h('table', { class: 'table', id: 'lag-table' },
          h('thead', null, h('tr', null, ['Topic', 'Consumer lag', 'Newest event', 'Last applied', 'Applied since start', ''].map((x) => h('th', null, x)))),
          h('tbody', null, topics.map((t) => h('tr', null,
            h('td', { class: 'mono small' }, t.topic),
            h('td', { class: 'num' }, t.consumerLag === null ? 'not measured yet' : num(t.consumerLag)),
            h('td', { class: 'small', title: fmtTime(t.newestEventAt) }, t.newestEventAt ? ago(t.newestEventAt) : 'none yet'),
            h('td', { class: 'small', title: fmtTime(t.lastAppliedAt) }, t.lastAppliedAt ? ago(t.lastAppliedAt) : '—'),
            h('td', { class: 'num' }, num(t.applied)),
            h('td', null, t.consumerLag > 1000 ? badge('WARNING') : null)))))),
      h('p', { class: 'small muted' }, 'Generated ', fmtTime(lag.generatedAt), '. The same figures are exported as Prometheus metrics (signet.audit.consumer.lag, signet.audit.view.newest.age, signet.audit.view.lag).'));
  }

  return { element, refresh };
}

function kpi(label, value, note) {
  return h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value' }, value), h('span', { class: 'kpi-note' }, note));
}
