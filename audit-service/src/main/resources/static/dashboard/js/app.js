// The dashboard shell: sign-in, navigation, hash routes and live refresh.
import { api, whenUnauthorized } from './api.js';
import { h, replace, errorBox, loading, ago } from './dom.js';
import { overviewPage } from './pages/overview.js';
import { searchPage } from './pages/search.js';
import { userPage } from './pages/user.js';
import { challengePage } from './pages/challenge.js';
import { actionPage } from './pages/action.js';
import { reviewsPage } from './pages/reviews.js';
import { healthPage } from './pages/health.js';
import { webhooksPage } from './pages/webhooks.js';
import { routingPage } from './pages/routes.js';

const REFRESH_MILLIS = 10_000;

const routes = [
  { pattern: /^$/, nav: 'overview', page: () => overviewPage() },
  { pattern: /^search$/, nav: 'search', page: (m, q) => searchPage(q.get('q') || '') },
  { pattern: /^users\/([^/]+)$/, nav: 'search', page: (m) => userPage(m[1]) },
  { pattern: /^challenges\/([^/]+)$/, nav: 'search', page: (m) => challengePage(m[1]) },
  { pattern: /^actions\/([^/]+)\/([^/]+)\/([^/]+)$/, nav: 'reviews', page: (m) => actionPage(m[1], m[2], m[3]) },
  { pattern: /^reviews$/, nav: 'reviews', page: () => reviewsPage() },
  { pattern: /^health$/, nav: 'health', page: () => healthPage() },
  { pattern: /^webhooks$/, nav: 'webhooks', page: () => webhooksPage() },
  { pattern: /^routes$/, nav: 'routes', page: () => routingPage() },
];

const state = { session: null, current: null, timer: null, lastRefresh: null, live: true };
const main = document.getElementById('main');
const app = document.getElementById('app');
const loginView = document.getElementById('login');

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const segments = path.split('/').map((x) => {
    try {
      return decodeURIComponent(x);
    } catch (e) {
      return x;
    }
  });
  return { path: segments.join('/'), rawPath: path, query: new URLSearchParams(query || '') };
}

async function render() {
  if (!state.session) return;
  const { rawPath, query } = parseHash();
  const found = routes.find((r) => r.pattern.test(rawPath));
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', found && a.dataset.nav === found.nav));
  if (!found) {
    replace(main, errorBox({ title: 'Page not found', message: 'There is no dashboard page at this address.' }));
    state.current = null;
    return;
  }
  const match = rawPath.match(found.pattern).slice(0).map((x, i) => {
    if (i === 0) return x;
    try {
      return decodeURIComponent(x);
    } catch (e) {
      return x;
    }
  });
  const page = found.page(match, query);
  state.current = page;
  replace(main, page.element || loading());
  await refreshCurrent(true);
  main.focus({ preventScroll: true });
}

async function refreshCurrent(first) {
  const page = state.current;
  if (!page || !page.refresh) return;
  if (!first && page.busy && page.busy()) return; // an operator is typing or deciding: keep the page still
  // Details an operator opened stay open across a refresh (matched by their data-keep key).
  const open = new Set([...main.querySelectorAll('details[open][data-keep]')].map((d) => d.dataset.keep));
  try {
    await page.refresh(first);
    if (page === state.current) {
      main.querySelectorAll('details[data-keep]').forEach((d) => {
        if (open.has(d.dataset.keep)) d.open = true;
      });
    }
    state.lastRefresh = new Date();
  } catch (e) {
    // pages render their own errors; a throw here is a bug, shown plainly
    if (page === state.current) replace(main, errorBox(e, () => render()));
  }
  updateRefreshLabel();
}

function updateRefreshLabel() {
  const label = document.getElementById('refresh-label');
  if (!label) return;
  label.textContent = state.live
    ? 'Live · updated ' + (state.lastRefresh ? ago(state.lastRefresh.toISOString()) : '—')
    : 'Paused';
}

function startTimer() {
  clearInterval(state.timer);
  state.timer = setInterval(() => {
    if (state.live && !document.hidden) refreshCurrent(false);
    updateRefreshLabel();
  }, REFRESH_MILLIS);
}

function showLogin(message) {
  state.session = null;
  clearInterval(state.timer);
  app.hidden = true;
  loginView.hidden = false;
  const error = document.getElementById('login-error');
  error.textContent = message || '';
  error.hidden = !message;
  const username = document.getElementById('login-username');
  (username.value ? document.getElementById('login-password') : username).focus();
}

function showApp(session) {
  state.session = session;
  loginView.hidden = true;
  app.hidden = false;
  document.getElementById('operator-name').textContent = session.operator;
  startTimer();
  render();
}

function wire() {
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = document.getElementById('login-username').value.trim();
    const passwordInput = document.getElementById('login-password');
    const button = document.getElementById('login-submit');
    button.disabled = true;
    try {
      const session = await api.login(username, passwordInput.value);
      passwordInput.value = '';
      showApp(session);
    } catch (e) {
      showLogin(e.message);
    } finally {
      button.disabled = false;
    }
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api.logout();
    } finally {
      showLogin('You are signed out.');
    }
  });
  document.getElementById('global-search').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = document.getElementById('global-search-input').value.trim();
    if (q) window.location.hash = '#/search?q=' + encodeURIComponent(q);
  });
  const live = document.getElementById('live-toggle');
  live.addEventListener('change', () => {
    state.live = live.checked;
    if (state.live) refreshCurrent(false);
    updateRefreshLabel();
  });
  document.getElementById('refresh-now').addEventListener('click', () => refreshCurrent(false));
  window.addEventListener('hashchange', () => render());
  whenUnauthorized(() => showLogin('Your session has ended. Sign in again.'));
}

async function showSignInOptions() {
  try {
    const options = await api.signInOptions();
    document.getElementById('login-oidc').hidden = !(options && options.oidc);
  } catch (e) {
    // Without the options the password form still works.
  }
}

async function start() {
  wire();
  showSignInOptions();
  const refused = new URLSearchParams(window.location.search).get('signin') === 'refused';
  try {
    showApp(await api.session());
  } catch (e) {
    if (refused) showLogin('The identity provider signed you in, but you are not an operator of this dashboard.');
    else showLogin(e.status === 401 || e.status === 403 ? '' : e.message);
  }
}

start();
