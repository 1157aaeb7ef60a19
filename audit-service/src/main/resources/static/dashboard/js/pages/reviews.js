// The review queue: REVIEW_REQUIRED actions with approve / reject, and who decided what and when.
import { api } from '../api.js';
import { h, replace, loading, empty, errorBox, badge, fmtTime, ago, num } from '../dom.js';
import { userLink, actionLink, attributes } from './common.js';
import { lockCard } from './locks.js';

/** Decisions taken in this browser that the views have not caught up with yet. */
const pending = new Map();

export function reviewsPage() {
  const queue = h('div', { id: 'review-queue' }, loading());
  const history = h('div', { id: 'review-history' });
  const count = h('span', { class: 'muted' });
  const locks = lockCard();
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('h1', null, 'Review queue ', count),
        h('p', { class: 'muted' }, 'Actions the rules sent to review. Approving sets REVIEW_SUCCEEDED, rejecting REVIEW_FAILED, through challenge-service; your name and the time are recorded.'))),
    h('div', { class: 'stack' }, queue,
      h('section', { class: 'card' }, h('h2', null, 'Recent decisions'), history),
      locks.element));
  let interacting = false;

  async function refresh(first) {
    if (first) {
      replace(queue, loading());
      locks.refresh();
    }
    const [open, recent] = await Promise.allSettled([
      api.actions({ state: 'REVIEW_REQUIRED', limit: 100 }),
      api.reviews({ limit: 25 }),
    ]);
    if (open.status === 'rejected') {
      replace(queue, errorBox(open.reason, () => refresh(true)));
    } else {
      const items = open.value.items;
      replace(count, '· ' + num(items.length) + (open.value.nextCursor ? '+' : '') + ' waiting');
      replace(queue, items.length
        ? h('div', { class: 'review-list' }, items.map((a) => reviewCard(a, () => refresh(false), (busy) => { interacting = busy; })))
        : empty('The queue is empty', 'Nothing is waiting for a decision. New items appear here within seconds of the rules asking for review.'));
    }
    if (recent.status === 'rejected') {
      replace(history, errorBox(recent.reason));
    } else {
      replace(history, decisionsTable(recent.value.reviews));
    }
  }

  return { element, refresh, busy: () => interacting || element.contains(document.activeElement) && document.activeElement.tagName === 'INPUT' };
}

export function decisionsTable(reviews) {
  if (!reviews.length) return empty('No decisions yet', 'Approvals and rejections taken here are listed with who took them and when.');
  return h('table', { class: 'table', id: 'decisions' },
    h('thead', null, h('tr', null, ['When', 'Who', 'User', 'Action', 'Decision', 'Note'].map((x) => h('th', null, x)))),
    h('tbody', null, reviews.map((r) => h('tr', null,
      h('td', { class: 'small', title: fmtTime(r.reviewedAt) }, fmtTime(r.reviewedAt)),
      h('td', { class: 'reviewer' }, r.reviewedBy),
      h('td', null, userLink(r.userId)),
      h('td', null, actionLink(r.userId, r.actionCode, r.idempotencyKey)),
      h('td', null, badge(r.state)),
      h('td', { class: 'small' }, r.note || '')))));
}

/** The names of the rules that fired (from the decision), else their ids. */
export function ruleNames(a) {
  const decided = (a.steps || []).find((st) => st.type === 'action.decided');
  const names = decided && decided.attributes ? decided.attributes.ruleNames : null;
  if (names) return names;
  return (a.ruleIds || []).join(', ') || (a.defaultOutcome ? 'default outcome' : '—');
}

function key(a) {
  return [a.userId, a.actionCode, a.idempotencyKey].join('/');
}

/** One queue item with its request details and the decision controls. */
export function reviewCard(a, onDecided, setBusy) {
  const tracked = (a.steps || []).find((st) => st.type === 'action.tracked');
  const decided = (a.steps || []).find((st) => st.type === 'action.decided');
  const details = [
    ['IP address', a.ipAddress],
    ['User agent', a.userAgent],
    ['Device', a.deviceId],
    ['Rules', ruleNames(a)],
  ].filter(([, v]) => v);
  return h('article', { class: 'card review', dataset: { key: key(a) } },
    h('header', { class: 'review-head' },
      h('div', null,
        h('div', { class: 'review-title' }, actionLink(a.userId, a.actionCode, a.idempotencyKey, a.actionCode), ' by ', userLink(a.userId)),
        h('div', { class: 'muted small' }, 'tracked ', h('time', { datetime: a.createdAt, title: fmtTime(a.createdAt) }, ago(a.createdAt)), ' · idempotency key ', h('span', { class: 'mono' }, a.idempotencyKey))),
      badge(a.state)),
    h('dl', { class: 'facts' }, details.map(([k, v]) => [h('dt', null, k), h('dd', { class: k === 'User agent' ? 'ua' : null }, v)])),
    decided && decided.summary ? h('p', { class: 'small' }, decided.summary) : null,
    tracked && Object.keys(tracked.attributes || {}).length ? h('details', { dataset: { keep: 'r:' + key(a) } }, h('summary', null, 'Request details'), attributes(tracked.attributes)) : null,
    reviewControls(a, onDecided, setBusy));
}

/** Approve / reject with an optional note and a confirmation step. */
export function reviewControls(a, onDecided, setBusy = () => {}) {
  const box = h('div', { class: 'review-controls' });
  const done = pending.get(key(a));
  if (done) {
    replace(box, outcome(done));
    return box;
  }
  const note = h('input', { type: 'text', class: 'note', maxlength: '500', placeholder: 'Note (optional)', 'aria-label': 'Note' });
  const approve = h('button', { class: 'btn good', type: 'button', dataset: { decision: 'approve' } }, 'Approve');
  const reject = h('button', { class: 'btn bad', type: 'button', dataset: { decision: 'reject' } }, 'Reject');
  const message = h('div', { class: 'review-message', role: 'status' });
  const buttons = h('div', { class: 'row' }, note, approve, reject);
  replace(box, buttons, message);

  function ask(state) {
    setBusy(true);
    const verb = state === 'REVIEW_SUCCEEDED' ? 'Approve' : 'Reject';
    const confirm = h('button', { class: ['btn', state === 'REVIEW_SUCCEEDED' ? 'good' : 'bad'], type: 'button', dataset: { confirm: state } }, 'Yes, ' + verb.toLowerCase());
    const cancel = h('button', { class: 'btn', type: 'button' }, 'Cancel');
    replace(message, h('div', { class: 'confirm' }, verb + ' ', h('strong', null, a.actionCode), ' for ', h('span', { class: 'mono' }, a.userId), '? ', confirm, cancel));
    cancel.addEventListener('click', () => {
      replace(message);
      setBusy(false);
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      approve.disabled = true;
      reject.disabled = true;
      try {
        const review = await api.decide(a.userId, a.actionCode, a.idempotencyKey, state, note.value.trim());
        pending.set(key(a), review);
        replace(box, outcome(review));
      } catch (e) {
        approve.disabled = false;
        reject.disabled = false;
        replace(message, errorBox(e));
      } finally {
        setBusy(false);
        if (onDecided) setTimeout(onDecided, 1500);
      }
    });
  }
  approve.addEventListener('click', () => ask('REVIEW_SUCCEEDED'));
  reject.addEventListener('click', () => ask('REVIEW_FAILED'));
  return box;
}

function outcome(review) {
  return h('div', { class: 'decided' },
    badge(review.state), ' by ', h('strong', { class: 'reviewer' }, review.reviewedBy), ' · ', fmtTime(review.reviewedAt),
    review.note ? h('div', { class: 'small muted' }, '“', review.note, '”') : null);
}
