// Overview: the platform at a glance — key figures, rates and time-to-delivery over time, blocked
// sends, figures by country, the review queue size, pipeline freshness and the latest activity.
import { api } from '../api.js';
import { h, replace, pct, num, duration, errorBox, loading, empty, badge, fmtClock, ago, route } from '../dom.js';
import { timeChart, barChart } from '../charts.js';
import { activityRow } from './common.js';
import { routesCard } from './routes.js';

const PERIODS = {
  '24h': { label: 'Last 24 hours', granularity: 'hour', millis: 24 * 3_600_000 },
  '7d': { label: 'Last 7 days', granularity: 'hour', millis: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', granularity: 'day', millis: 30 * 86_400_000 },
};

export function overviewPage() {
  let period = '24h';
  const select = h('select', { 'aria-label': 'Period', id: 'period' },
    Object.entries(PERIODS).map(([key, p]) => h('option', { value: key }, p.label)));
  const body = h('div', { class: 'stack' }, loading());
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('h1', null, 'Overview'), h('p', { class: 'muted' }, 'Conversion, delivery and abuse across every action and country.')),
      h('label', { class: 'inline' }, 'Period ', select)),
    body);
  select.addEventListener('change', () => {
    period = select.value;
    replace(body, loading());
    refresh();
  });

  async function refresh() {
    const p = PERIODS[period];
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - p.millis);
    const range = { granularity: p.granularity, from: from.toISOString(), to: to.toISOString() };
    const results = await Promise.allSettled([
      api.aggregates(range),
      api.aggregates({ ...range, groupBy: 'country' }),
      api.actions({ state: 'REVIEW_REQUIRED', limit: 200 }),
      api.activities({ limit: 12 }),
      api.lag(),
      api.routeHealth(),
    ]);
    const [totals, countries, queue, recent, lag, health] = results;
    if (totals.status === 'rejected') {
      replace(body, errorBox(totals.reason, refresh));
      return;
    }
    const rows = totals.value.items || [];
    const axis = { from, to, step: p.granularity === 'hour' ? 3_600_000 : 86_400_000 };
    replace(body,
      kpis(rows, queue, lag),
      h('div', { class: 'grid-2' },
        card('Conversion and delivery rate', 'Verified ÷ challenges, and delivered ÷ sent, per ' + p.granularity + '.',
          timeChart([
            { name: 'Conversion', color: 'a', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.conversionRate })) },
            { name: 'Delivery rate', color: 'b', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.deliveryRate })) },
          ], { ...axis, max: 1, format: pct, label: 'Conversion and delivery rate over time', legend: true })),
        card('Time to delivery', 'Send to delivery receipt, p50 and p95 per ' + p.granularity + '.',
          timeChart([
            { name: 'p50', color: 'c', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.sendToDeliveryP50Millis })) },
            { name: 'p95', color: 'd', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.sendToDeliveryP95Millis })) },
          ], { ...axis, format: duration, label: 'Time to delivery over time', legend: true })),
        card('Volume', 'Challenges requested and verified per ' + p.granularity + '.',
          timeChart([
            { name: 'Challenges', color: 'a', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.challenges })) },
            { name: 'Verified', color: 'b', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.verifications })) },
          ], { ...axis, kind: 'bar', integer: true, format: (v) => num(Math.round(v)), label: 'Challenges and verifications over time', legend: true })),
        card('Blocked sends', 'Sends refused by the abuse guard per ' + p.granularity + ', with reasons.',
          timeChart([
            { name: 'Blocked', color: 'e', points: rows.map((r) => ({ t: new Date(r.bucketStart), y: r.blocked })) },
          ], { ...axis, kind: 'bar', integer: true, format: (v) => num(Math.round(v)), label: 'Blocked sends over time', emptyText: 'Nothing blocked in this period.' }),
          reasons(rows))),
      countryCard(countries),
      routesCard(rows, health),
      h('div', { class: 'grid-2' },
        card('Latest activity', 'The newest events recorded from every topic.',
          recent.status === 'fulfilled'
            ? (recent.value.items.length
                ? h('ol', { class: 'timeline compact' }, recent.value.items.map((a) => activityRow(a, { compact: true })))
                : empty('No activity recorded yet', 'Events appear here seconds after a service publishes them.'))
            : errorBox(recent.reason)),
        card('Pipeline freshness', 'How far the views are behind each topic.', freshness(lag))));
  }

  return { element, refresh };
}

function card(title, subtitle, ...content) {
  return h('section', { class: 'card' },
    h('header', null, h('h2', null, title), subtitle ? h('p', { class: 'muted small' }, subtitle) : null),
    ...content);
}

function sum(rows, key) {
  return rows.reduce((acc, r) => acc + (r[key] || 0), 0);
}

function kpis(rows, queue, lag) {
  const challenges = sum(rows, 'challenges');
  const verifications = sum(rows, 'verifications');
  const sends = sum(rows, 'sends');
  const deliveries = sum(rows, 'deliveries');
  const blocked = sum(rows, 'blocked');
  const weighted = rows.filter((r) => r.sendToDeliveryP50Millis !== null && r.deliveries > 0);
  const p50 = weighted.length
    ? weighted.reduce((a, r) => a + r.sendToDeliveryP50Millis * r.deliveries, 0) / sum(weighted, 'deliveries')
    : null;
  const p95s = rows.map((r) => r.sendToDeliveryP95Millis).filter((v) => v !== null && v !== undefined);
  let queueValue = '—';
  let queueNote = 'could not be read';
  if (queue.status === 'fulfilled') {
    queueValue = queue.value.items.length + (queue.value.nextCursor ? '+' : '');
    queueNote = queue.value.items.length ? 'waiting for a decision' : 'nothing waiting';
  }
  let lagValue = '—';
  let lagNote = 'could not be read';
  if (lag.status === 'fulfilled') {
    const total = lag.value.topics.reduce((a, t) => a + (t.consumerLag || 0), 0);
    lagValue = num(total);
    lagNote = 'records behind · p99 ' + (lag.value.viewLag && lag.value.viewLag.p99Millis !== undefined ? duration(lag.value.viewLag.p99Millis) : '—');
  }
  return h('div', { class: 'kpis' },
    kpi('Challenges', num(challenges), num(verifications) + ' verified'),
    kpi('Conversion', challenges ? pct(verifications / challenges) : '—', 'verified ÷ challenges'),
    kpi('Delivery rate', sends ? pct(deliveries / sends) : '—', num(deliveries) + ' of ' + num(sends) + ' sends'),
    kpi('Time to delivery', p50 === null ? '—' : duration(p50), 'p50 · worst p95 ' + (p95s.length ? duration(Math.max(...p95s)) : '—')),
    kpi('Blocked sends', num(blocked), blocked ? 'by the abuse guard' : 'none in this period', blocked ? 'warn' : null),
    h('a', { class: 'kpi kpi-link', href: '#/reviews' }, h('span', { class: 'kpi-label' }, 'Review queue'),
      h('span', { class: 'kpi-value' }, queueValue), h('span', { class: 'kpi-note' }, queueNote)),
    h('a', { class: 'kpi kpi-link', href: '#/health' }, h('span', { class: 'kpi-label' }, 'Audit lag'),
      h('span', { class: 'kpi-value' }, lagValue), h('span', { class: 'kpi-note' }, lagNote)));
}

function kpi(label, value, note, tone) {
  return h('div', { class: ['kpi', tone ? 'kpi-' + tone : null] },
    h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value' }, value), h('span', { class: 'kpi-note' }, note));
}

function reasons(rows) {
  const merged = {};
  for (const r of rows) {
    for (const [reason, n] of Object.entries(r.blockedByReason || {})) merged[reason] = (merged[reason] || 0) + n;
  }
  const entries = Object.entries(merged).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return null;
  return h('div', { class: 'reasons' }, h('h3', null, 'By reason'),
    barChart(entries.map(([label, value]) => ({ label, value })), { color: 'e', format: (v) => num(v) }));
}

function countryCard(countries) {
  if (countries.status === 'rejected') {
    return card('By country', null, errorBox(countries.reason));
  }
  const rows = {};
  for (const r of countries.value.items || []) {
    const c = rows[r.countryCode] || (rows[r.countryCode] = { country: r.countryCode, challenges: 0, verifications: 0, sends: 0, deliveries: 0, blocked: 0, p95: [] });
    c.challenges += r.challenges;
    c.verifications += r.verifications;
    c.sends += r.sends;
    c.deliveries += r.deliveries;
    c.blocked += r.blocked;
    if (r.sendToDeliveryP95Millis !== null && r.sendToDeliveryP95Millis !== undefined) c.p95.push(r.sendToDeliveryP95Millis);
  }
  const list = Object.values(rows).sort((a, b) => b.challenges - a.challenges || b.blocked - a.blocked);
  if (!list.length) {
    return card('By country', null, empty('No traffic in this period', 'Countries appear once challenges are requested.'));
  }
  return card('By country', 'Destination country of the number (from the challenge).',
    h('div', { class: 'grid-2 inner' },
      h('div', null, h('h3', null, 'Conversion'),
        barChart(list.filter((c) => c.challenges).map((c) => ({ label: c.country, value: c.verifications / c.challenges, note: num(c.challenges) + ' challenges' })), { max: 1, format: pct, color: 'a' })),
      h('div', null, h('h3', null, 'Blocked sends'),
        barChart(list.filter((c) => c.blocked).map((c) => ({ label: c.country, value: c.blocked })), { color: 'e', format: num, emptyText: 'Nothing blocked in this period.' }))),
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Country', 'Challenges', 'Conversion', 'Sends', 'Delivery rate', 'p95 to delivery', 'Blocked'].map((x) => h('th', null, x)))),
      h('tbody', null, list.map((c) => h('tr', null,
        h('td', null, c.country),
        h('td', { class: 'num' }, num(c.challenges)),
        h('td', { class: 'num' }, c.challenges ? pct(c.verifications / c.challenges) : '—'),
        h('td', { class: 'num' }, num(c.sends)),
        h('td', { class: 'num' }, c.sends ? pct(c.deliveries / c.sends) : '—'),
        h('td', { class: 'num' }, c.p95.length ? duration(Math.max(...c.p95)) : '—'),
        h('td', { class: 'num' }, c.blocked ? badge(num(c.blocked)) : '0'))))));
}

function freshness(lag) {
  if (lag.status === 'rejected') return errorBox(lag.reason);
  const topics = lag.value.topics || [];
  if (!topics.length) return empty('No topics consumed', null);
  return h('div', null,
    h('table', { class: 'table compact' },
      h('thead', null, h('tr', null, ['Topic', 'Lag', 'Newest event'].map((x) => h('th', null, x)))),
      h('tbody', null, topics.map((t) => h('tr', null,
        h('td', { class: 'mono small' }, t.topic),
        h('td', { class: 'num' }, t.consumerLag === null ? '—' : num(t.consumerLag)),
        h('td', { class: 'small' }, t.newestEventAt ? ago(t.newestEventAt) : 'none yet'))))),
    h('p', { class: 'small muted' }, h('a', { href: route('health') }, 'Pipeline details →'), ' · generated ', fmtClock(lag.value.generatedAt)));
}
