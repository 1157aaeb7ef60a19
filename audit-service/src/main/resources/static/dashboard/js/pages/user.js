// One user: timeline, actions (with review decisions) and challenges.
import { api } from '../api.js';
import { h, replace, empty, errorBox, badge, fmtTime, ago, num, loading } from '../dom.js';
import { activityRow, actionLink, pagedList } from './common.js';
import { challengeTable } from './search.js';

export function userPage(userId) {
  const summary = h('div', { class: 'chips' });
  const timeline = pagedList(
    (cursor, limit) => api.timeline(userId, { limit: limit || 50, cursor }),
    (items) => h('ol', { class: 'timeline', id: 'user-timeline' }, items.map((a) => activityRow(a, { hideUser: true }))),
    empty('No activity recorded for this user', 'Actions, challenges and enrolments appear here as they happen.'));
  const actions = h('div', null, loading());
  let challenges = h('section', { class: 'card' }, h('h2', null, 'Challenges'), loading());
  const element = h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('div', null, h('p', { class: 'eyebrow' }, 'User'), h('h1', { class: 'mono', id: 'user-id' }, userId), summary)),
    h('div', { class: 'grid-main' },
      h('section', { class: 'card' }, h('h2', null, 'Timeline'), timeline.element),
      h('div', { class: 'stack' },
        h('section', { class: 'card' }, h('h2', null, 'Actions'), actions),
        challenges)));

  async function refresh() {
    const [acts, chs, reviews] = await Promise.allSettled([
      api.actions({ userId, limit: 50 }),
      api.challenges({ userId, limit: 20 }),
      api.reviews({ userId, limit: 50 }),
      timeline.reload(),
    ]);
    const decided = new Map();
    if (reviews.status === 'fulfilled') {
      for (const r of reviews.value.reviews) decided.set(r.actionCode + '/' + r.idempotencyKey, r);
    }
    if (acts.status === 'fulfilled') {
      const items = acts.value.items;
      replace(actions, items.length
        ? h('table', { class: 'table compact' },
          h('thead', null, h('tr', null, ['Action', 'When', 'Decision', 'State'].map((x) => h('th', null, x)))),
          h('tbody', null, items.map((a) => {
            const review = decided.get(a.actionCode + '/' + a.idempotencyKey);
            return h('tr', null,
              h('td', null, actionLink(a.userId, a.actionCode, a.idempotencyKey)),
              h('td', { class: 'small', title: fmtTime(a.createdAt) }, ago(a.createdAt)),
              h('td', null, badge(a.decision)),
              h('td', null, badge(a.state), review ? h('div', { class: 'small muted' }, 'by ', review.reviewedBy, ' · ', ago(review.reviewedAt)) : null));
          })))
        : empty('No tracked actions', null));
    } else {
      replace(actions, errorBox(acts.reason));
    }
    if (chs.status === 'fulfilled') {
      const fresh = chs.value.items.length
        ? challengeTable('Challenges', chs.value.items, chs.value.nextCursor, true)
        : h('section', { class: 'card' }, h('h2', null, 'Challenges'), empty('No challenges', 'Challenges appear here once claimed for this user or requested for one of their actions.'));
      challenges.replaceWith(fresh);
      challenges = fresh;
    } else {
      const failed = h('section', { class: 'card' }, h('h2', null, 'Challenges'), errorBox(chs.reason));
      challenges.replaceWith(failed);
      challenges = failed;
    }
    const nActions = acts.status === 'fulfilled' ? acts.value.items.length : null;
    const nChallenges = chs.status === 'fulfilled' ? chs.value.items.length : null;
    replace(summary,
      h('span', { class: 'chip' }, num(nActions), ' actions'),
      h('span', { class: 'chip' }, num(nChallenges), ' challenges'));
  }

  return { element, refresh };
}
