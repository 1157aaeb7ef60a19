// One tracked action: its request, the decision and the rules that fired, state changes, reviews.
import { api } from '../api.js';
import { h, replace, loading, errorBox, badge, fmtTime, facts, empty, ago } from '../dom.js';
import { userLink, challengeLink, attributes } from './common.js';
import { reviewControls, ruleNames } from './reviews.js';

export function actionPage(userId, actionCode, idempotencyKey) {
  const body = h('div', { class: 'stack' }, loading());
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('p', { class: 'eyebrow' }, 'Action'), h('h1', null, actionCode),
        h('p', { class: 'muted' }, 'by ', userLink(userId), ' · ', h('span', { class: 'mono' }, idempotencyKey)))),
    body);
  let interacting = false;

  async function refresh() {
    const [action, reviews] = await Promise.allSettled([
      api.action(userId, actionCode, idempotencyKey),
      api.reviews({ userId, limit: 200 }),
    ]);
    if (action.status === 'rejected') {
      replace(body, action.reason.status === 404 ? empty('This action is not recorded', 'Its events may not have reached the views yet.') : errorBox(action.reason, refresh));
      return;
    }
    const a = action.value;
    const review = reviews.status === 'fulfilled'
      ? reviews.value.reviews.find((r) => r.actionCode === actionCode && r.idempotencyKey === idempotencyKey)
      : null;
    replace(body,
      a.state === 'REVIEW_REQUIRED' ? h('section', { class: 'card attention' }, h('h2', null, 'Waiting for review'),
        reviewControls(a, refresh, (b) => { interacting = b; })) : null,
      h('div', { class: 'grid-main' },
        h('section', { class: 'card' }, h('h2', null, 'Steps'),
          a.steps.length ? h('ol', { class: 'steps' }, a.steps.map((st) => h('li', { class: 'step' },
            h('div', { class: 'tl-head' }, h('span', { class: 'mono' }, st.type), badge(st.outcome), h('time', { class: 'muted small', datetime: st.at }, fmtTime(st.at))),
            st.summary ? h('div', { class: 'tl-summary' }, st.summary) : null,
            Object.keys(st.attributes || {}).length ? h('details', { open: st.type === 'action.tracked', dataset: { keep: 's:' + st.activityId } }, h('summary', null, 'Details'), attributes(st.attributes)) : null)))
            : empty('No steps recorded', null)),
        h('section', { class: 'card' }, h('h2', null, 'Facts'), facts([
          ['State', badge(a.state)],
          ['Decision', badge(a.decision)],
          ['Rules', ruleNames(a)],
          ['Tracked', fmtTime(a.trackedAt || a.createdAt)],
          ['State since', a.stateAt ? ago(a.stateAt) : '—'],
          ['IP address', a.ipAddress],
          ['User agent', a.userAgent],
          ['Device', a.deviceId],
          ['Completed through', a.completedVia === 'PREBUILT_UI' ? 'Pre-built UI (Signet\'s hosted page)' : a.completedVia === 'CLIENT_API' ? 'The app\'s own UI (client API)' : '—'],
          ['Challenges', (a.challengeIds || []).length ? h('span', null, a.challengeIds.map((id) => [challengeLink(id), ' '])) : '—'],
          ['Reviewed', review ? h('span', { class: 'reviewer' }, review.reviewedBy, ' · ', fmtTime(review.reviewedAt)) : (a.reviews || []).length ? a.reviews.map((r) => [r.reviewedBy, ' · ', fmtTime(r.at)]) : '—'],
          review && review.note ? ['Review note', review.note] : null,
          (a.manualChanges || []).length ? ['Set manually', h('span', null, a.manualChanges.map((m) => [m.state, ' by ', m.credentialKind || 'unknown credential', ' · ', fmtTime(m.at), ' ']))] : null,
        ]))));
  }

  return { element, refresh, busy: () => interacting || (element.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') };
}
