// Verification locks: look up a phone number's or a user's consecutive wrong codes and reset them.
// At 100 in a row verification stays locked until an operator resets it here; the reset goes to
// challenge-service with the signed-in operator's name, and both services record it.
import { api } from '../api.js';
import { h, replace, empty, errorBox, fmtTime, num } from '../dom.js';

export function lockCard() {
  const phone = h('input', { type: 'text', class: 'note', maxlength: '64', placeholder: 'Phone number (+44…)', 'aria-label': 'Phone number', id: 'lock-phone' });
  const user = h('input', { type: 'text', class: 'note', maxlength: '128', placeholder: 'User id', 'aria-label': 'User id', id: 'lock-user' });
  const reason = h('input', { type: 'text', class: 'note', maxlength: '500', placeholder: 'Reason (recorded)', 'aria-label': 'Reason', id: 'lock-reason' });
  const check = h('button', { class: 'btn', type: 'button', id: 'lock-check' }, 'Check');
  const reset = h('button', { class: 'btn bad', type: 'button', id: 'lock-reset' }, 'Reset');
  const result = h('div', { id: 'lock-result', role: 'status' });
  const history = h('div', { id: 'lock-history' });

  function subjects() {
    return { phoneNumber: phone.value.trim(), userId: user.value.trim() };
  }

  check.addEventListener('click', async () => {
    try {
      const state = await api.verificationLocks(subjects());
      replace(result, accountsTable(state.accounts));
    } catch (e) {
      replace(result, errorBox(e));
    }
  });
  reset.addEventListener('click', () => {
    const confirm = h('button', { class: 'btn bad', type: 'button', id: 'lock-confirm' }, 'Yes, reset');
    const cancel = h('button', { class: 'btn', type: 'button' }, 'Cancel');
    replace(result, h('div', { class: 'confirm' }, 'Reset the wrong-code count of this number and/or user? ', confirm, cancel));
    cancel.addEventListener('click', () => replace(result));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const body = subjects();
        if (reason.value.trim()) body.reason = reason.value.trim();
        const done = await api.resetVerificationLock(body);
        replace(result, h('div', { class: 'decided' }, 'Reset by ', h('strong', { class: 'reviewer' }, done.operator), ' · before:'), accountsTable(done.accounts));
        refresh();
      } catch (e) {
        replace(result, errorBox(e));
      }
    });
  });

  async function refresh() {
    try {
      const recent = await api.verificationLockResets({ limit: 10 });
      replace(history, recent.resets.length
        ? h('table', { class: 'table compact', id: 'lock-resets' },
          h('thead', null, h('tr', null, ['When', 'Who', 'Accounts', 'Reason'].map((x) => h('th', null, x)))),
          h('tbody', null, recent.resets.map((r) => h('tr', null,
            h('td', { class: 'small' }, fmtTime(r.resetAt)),
            h('td', { class: 'reviewer' }, r.operator),
            h('td', { class: 'mono small' }, (r.accounts || []).map((a) => (a.phoneNumber || a.userId) + ' (' + num(a.consecutiveFailures) + ')').join(', ')),
            h('td', { class: 'small' }, r.reason || '')))))
        : empty('No resets yet', 'Resets taken here are listed with who took them and when.'));
    } catch (e) {
      replace(history, errorBox(e));
    }
  }

  const element = h('section', { class: 'card', id: 'verification-locks' },
    h('h2', null, 'Verification locks'),
    h('p', { class: 'muted small' }, 'Wrong codes in a row lock verification for a while every 10, and for good at 100 until reset here.'),
    h('div', { class: 'row' }, phone, user, reason, check, reset),
    result,
    history);
  return { element, refresh };
}

function accountsTable(accounts) {
  return h('table', { class: 'table compact' },
    h('thead', null, h('tr', null, ['Account', 'Wrong codes in a row', 'Locked'].map((x) => h('th', null, x)))),
    h('tbody', null, accounts.map((a) => h('tr', null,
      h('td', { class: 'mono' }, a.phoneNumber || a.userId),
      h('td', null, num(a.consecutiveFailures)),
      h('td', null, a.lockedUntilOperatorReset ? 'until reset' : a.locked ? 'until ' + fmtTime(new Date(a.lockedUntil * 1000).toISOString()) : 'no')))));
}
