// One challenge: request → dispatch → delivery → verification, its sends and every step.
import { api } from '../api.js';
import { h, replace, loading, errorBox, badge, fmtTime, duration, facts, empty } from '../dom.js';
import { userLink, actionLink, attributes } from './common.js';

export function challengePage(challengeId) {
  const body = h('div', { class: 'stack' }, loading());
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('p', { class: 'eyebrow' }, 'Challenge'), h('h1', { class: 'mono', id: 'challenge-id' }, challengeId))),
    body);

  async function refresh() {
    let c;
    try {
      c = await api.challenge(challengeId);
    } catch (e) {
      replace(body, e.status === 404
        ? empty('No event of this challenge has been recorded', 'It may be older than the retention period, or its events have not reached the views yet.')
        : errorBox(e, refresh));
      return;
    }
    replace(body,
      h('div', { class: 'card' }, pipeline(c)),
      h('div', { class: 'grid-main' },
        h('section', { class: 'card' }, h('h2', null, 'Steps'),
          c.steps.length
            ? h('ol', { class: 'steps' }, c.steps.map((st) => h('li', { class: 'step' },
                h('div', { class: 'tl-head' }, h('span', { class: 'mono' }, st.type), badge(st.outcome), h('time', { class: 'muted small', datetime: st.at }, fmtTime(st.at))),
                st.summary ? h('div', { class: 'tl-summary' }, st.summary) : null,
                Object.keys(st.attributes || {}).length ? h('details', { dataset: { keep: 's:' + st.activityId } }, h('summary', null, 'Details'), attributes(st.attributes)) : null)))
            : empty('No steps yet', null)),
        h('div', { class: 'stack' },
          h('section', { class: 'card' }, h('h2', null, 'Facts'), facts([
            ['State', badge(c.state)],
            ['Delivery', badge(c.delivery)],
            c.tampered && ['Security', badge('TAMPERED', c.tamperedRequests + ' forged or altered code request(s) refused; nothing was sent for them')],
            ['User', userLink(c.userId)],
            ['Action', c.userId && c.action && c.idempotencyKey ? actionLink(c.userId, c.action, c.idempotencyKey, c.action) : (c.action || '—')],
            ['Purpose', c.purpose],
            ['Channel', c.channel],
            ['Phone', c.phoneNumberMasked ? h('span', { class: 'mono' }, c.phoneNumberMasked) : '—'],
            ['Country', c.countryCode],
            ['Test traffic', c.testTraffic ? 'yes' : 'no'],
            ['Expires', fmtTime(c.expiresAt)],
            ['Wrong codes', String(c.failedVerifications)],
            c.traceId && ['Trace', trace(c)],
          ])),
          h('section', { class: 'card' }, h('h2', null, 'Sends'),
            c.attempts.length
              ? h('table', { class: 'table compact', id: 'challenge-sends' },
                h('thead', null, h('tr', null, ['#', 'Dispatched', 'Route', 'Failover', 'Fallback', 'Status', 'To delivery', 'Note'].map((x) => h('th', null, x)))),
                h('tbody', null, c.attempts.map((a) => h('tr', null,
                  h('td', null, String(a.attempt)),
                  h('td', { class: 'small' }, fmtTime(a.dispatchedAt)),
                  h('td', { class: 'mono small' }, a.route || '—'),
                  h('td', { class: 'small', title: 'Provider calls that failed before the outcome' }, a.routeFailures || '—'),
                  h('td', { class: 'small', title: 'The same code sent once more because delivery was not confirmed' }, fallback(a)),
                  h('td', null, badge(a.deliveryStatus)),
                  h('td', { class: 'num' }, duration(a.sendToDeliveryMillis)),
                  h('td', { class: 'small' }, a.blockedReason || a.failureReason || (a.provider ? a.provider + (a.segments ? ' · ' + a.segments + ' segment(s)' : '') : '—'))))))
              : empty('Nothing sent yet', null)))));
  }

  return { element, refresh };
}

/**
 * The attempt's fallback: its route and why it was due, and, when one due did not go out (or the
 * last one allowed was not delivered either), why.
 */
function fallback(a) {
  const sent = a.fallbackRoute ? a.fallbackRoute + ' · ' + (a.fallbackReason || '') : null;
  const notSent = a.fallbackNotSent
    ? h('span', { class: 'badge badge-warn', id: 'challenge-fallback-not-sent-' + a.attempt },
      (a.fallbackNotSent === 'FALLBACKS_EXHAUSTED' ? 'no fallback left' : 'not sent: ' + a.fallbackNotSent))
    : null;
  if (!sent && !notSent) {
    return '—';
  }
  return h('span', null, [sent || (a.fallbackReason || ''), notSent ? ' ' : null, notSent]);
}

/** The request's trace: a link to the trace backend when audit-service knows where it is. */
function trace(c) {
  return c.traceUrl
    ? h('a', { externalHref: c.traceUrl, target: '_blank', rel: 'noopener noreferrer', class: 'mono', id: 'challenge-trace' }, c.traceId)
    : h('span', { class: 'mono' }, c.traceId);
}

/** The four stages with their time and the time since the previous stage. */
function pipeline(c) {
  const failedSend = c.delivery === 'BLOCKED' || c.delivery === 'FAILED';
  const stages = [
    { name: 'Requested', at: c.requestedAt || c.createdAt, done: true, note: c.sendsRequested > 1 ? c.sendsRequested + ' requests (resends)' : null },
    { name: 'Dispatched', at: c.firstSentAt, done: !!c.firstSentAt, failed: !c.firstSentAt && failedSend, note: failedSend && !c.firstSentAt ? c.delivery : (c.sendsDispatched ? c.sendsDispatched + ' sent' : null) },
    { name: 'Delivered', at: c.deliveredAt, done: !!c.deliveredAt, failed: c.delivery === 'FAILED', note: c.timeToDeliveryMillis !== null && c.timeToDeliveryMillis !== undefined ? duration(c.timeToDeliveryMillis) + ' after send' : null },
    { name: c.state === 'CLAIMED' ? 'Verified · claimed' : 'Verified', at: c.verifiedAt, done: !!c.verifiedAt, failed: c.state === 'FAILED' || c.state === 'EXPIRED', note: c.state === 'FAILED' ? 'attempts exhausted' : c.state === 'EXPIRED' ? 'expired' : (c.failedVerifications ? c.failedVerifications + ' wrong code(s)' : null) },
  ];
  const start = stages[0].at;
  return h('ol', { class: 'pipeline', id: 'challenge-pipeline' }, stages.map((st, i) => {
    const since = i > 0 && st.at && start ? duration(Math.max(0, new Date(st.at) - new Date(start))) : null;
    return h('li', { class: ['stage', st.done ? 'done' : null, st.failed ? 'failed' : null] },
      h('span', { class: 'stage-dot', 'aria-hidden': 'true' }, st.done ? '✓' : st.failed ? '✕' : '…'),
      h('span', { class: 'stage-name' }, st.name),
      h('span', { class: 'stage-time small' }, st.at ? fmtTime(st.at) : st.failed ? 'did not happen' : 'not yet'),
      since ? h('span', { class: 'stage-delta small muted' }, '+' + since + ' after request') : null,
      st.note ? h('span', { class: 'stage-note small' }, st.note) : null);
  }));
}
