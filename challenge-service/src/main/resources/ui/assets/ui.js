// The hosted page: sends the SMS code, checks it, adds or changes a number, and hands the token
// back in the browser SDK's protocol (launch(): popup = iframe, window = window.open, redirect).
//
// Security notes (docs/hosted-ui.md):
// - Messages go to the parent (popup) or opener (window) only, and only to an origin that
//   signet.challenge.ui.frame-origins allows: postMessage is called with that exact origin as
//   targetOrigin, never '*', so the browser drops the message if the window is anyone else.
// - The redirect target comes from the server (checked at track), never from this page's URL.
// - The token is read from the URL once and removed from it (history), and the page sends no
//   Referer (Referrer-Policy: no-referrer).
// - Every text reaches the DOM through textContent.
import { t } from './i18n.js';

const config = JSON.parse(document.getElementById('signet-config').textContent);
const lang = config.lang || 'en';
const app = config.appName;
const api = '/v1/client';

const params = new URLSearchParams(location.search);
let token = params.get('token');
const launchedAsPopup = params.get('mode') === 'popup';
// Keep the token out of the history and out of anything that reads location later.
history.replaceState(null, '', location.pathname + (launchedAsPopup ? '?mode=popup' : ''));

const framed = window.parent !== window;
const target = framed ? window.parent : window.opener;
const targetOrigin = target ? allowedOrigin(framed) : null;
if (framed) document.documentElement.classList.add('framed');

const el = (id) => document.getElementById(id);
const heading = el('heading');
const statusLine = el('status');
const errorLine = el('error');
const content = el('content');

el('app-name').textContent = app;
if (config.logo) {
  const logo = el('logo');
  logo.src = '/ui/brand/logo';
  logo.hidden = false;
}

let sentAt = 0;
let cooldownTimer = null;

/** The origin of the window the page talks to, if it is one of the configured ones. */
function allowedOrigin(isFramed) {
  let candidate = null;
  if (isFramed && location.ancestorOrigins && location.ancestorOrigins.length) {
    candidate = location.ancestorOrigins[0];
  } else if (document.referrer) {
    try { candidate = new URL(document.referrer).origin; } catch { candidate = null; }
  }
  if (!candidate || candidate === 'null') return null;
  let url;
  try { url = new URL(candidate); } catch { return null; }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const ok = (config.frameOrigins || []).some((pattern) => {
    const m = /^(https?):\/\/(\*\.)?([^:/]+):(\*|\d+)$/.exec(pattern);
    if (!m || url.protocol !== m[1] + ':') return false;
    const hostOk = m[2] ? url.hostname.endsWith('.' + m[3]) : url.hostname === m[3];
    return hostOk && (m[4] === '*' || m[4] === port);
  });
  return ok ? url.origin : null;
}

/** Posts an SDK message (a JSON string, as the SDK parses it) to the allowed origin only. */
function post(message) {
  if (target && targetOrigin) target.postMessage(JSON.stringify(message), targetOrigin);
}

/** The SDK resizes its iframe to the height it is told (a plain object, as the SDK reads it). */
function reportHeight() {
  if (framed && targetOrigin) {
    target.postMessage({ height: Math.ceil(document.getElementById('widget_container').getBoundingClientRect().height) }, targetOrigin);
  }
}

function phoneText(phone) {
  // Isolated, so "+44…" keeps its order inside right-to-left text.
  return '\u2066' + phone + '\u2069';
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(title, { status = '', error = '', focus = null } = {}, ...nodes) {
  heading.textContent = title;
  statusLine.textContent = status;
  setError(error);
  content.replaceChildren(...nodes);
  document.title = title + ' · ' + app;
  (focus || heading).focus();
  reportHeight();
}

function setError(message, input) {
  errorLine.textContent = message || '';
  errorLine.hidden = !message;
  if (input) {
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message) input.setAttribute('aria-describedby', 'error');
  }
  reportHeight();
}

function cancelButton() {
  if (!(target && targetOrigin)) return null;
  return h('button', { type: 'button', class: 'link', onclick: () => post({ event: 'AUTHSIGNAL_CLOSE_POPUP' }) }, t(lang, 'cancel'));
}

async function call(path, body) {
  let response;
  try {
    response = await fetch(api + path, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'X-Signet-Prebuilt-UI': '1' },
      body: JSON.stringify(body || {}),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    post({ event: 'AUTHSIGNAL_API_ERROR', errorCode: 'network_error' });
    return { ok: false, status: 0, error: 'network_error' };
  }
  let json = {};
  try { json = await response.json(); } catch { json = {}; }
  if (!response.ok) {
    const errorCode = json.errorCode || json.error || 'unknown_error';
    post({ event: 'AUTHSIGNAL_API_ERROR', errorCode, statusCode: response.status });
    return { ok: false, status: response.status, error: errorCode, retryAfter: Number(response.headers.get('Retry-After')) || 0, json };
  }
  return { ok: true, status: response.status, json };
}

/** A message for a failed call; terminal failures replace the page. */
function failure(result) {
  if (result.status === 401) {
    terminal(result.error === 'expired_token' ? 'link_expired' : 'link_invalid', 'back_text');
    return null;
  }
  if (result.status === 429) return t(lang, 'err_rate', { s: result.retryAfter || 30 });
  return t(lang, 'err_generic');
}

function terminal(titleKey, textKey) {
  const close = target && targetOrigin
    ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => post({ event: 'AUTHSIGNAL_CLOSE_POPUP' }) }, t(lang, 'close')))
    : null;
  show(t(lang, titleKey), {}, h('p', { class: 'muted' }, t(lang, textKey, { app })), close);
}

// ----- the flows -----

function startChallenge() {
  const button = h('button', { type: 'button', class: 'primary', id: 'send' }, t(lang, 'send'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    const result = await call('/challenge/sms');
    button.disabled = false;
    if (!result.ok) {
      const message = failure(result);
      if (message) setError(message);
      return;
    }
    codeStep({ purpose: 'challenge', phone: config.phone, resend: () => call('/challenge/sms') });
  });
  show(t(lang, 'title_challenge'), {},
    h('p', { class: 'muted' }, t(lang, 'intro_challenge', { phone: phoneText(config.phone) })),
    h('div', { class: 'actions' }, button, cancelButton()));
}

function phoneStep(purpose) {
  const input = h('input', { id: 'phone', name: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel', required: true, 'aria-describedby': 'phone-hint', maxlength: 32 });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send' }, t(lang, 'send'));
  const form = h('form', { novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'phone' }, t(lang, 'phone_label')),
      h('p', { class: 'hint', id: 'phone-hint' }, t(lang, 'phone_hint')),
      input),
    h('div', { class: 'actions' }, submit, cancelButton()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const phoneNumber = input.value.trim();
    if (!/^\+[0-9 ().-]{6,30}$/.test(phoneNumber)) {
      setError(t(lang, 'err_phone'), input);
      input.focus();
      return;
    }
    submit.disabled = true;
    const result = await call('/user-authenticators/sms', { phoneNumber });
    submit.disabled = false;
    if (!result.ok) {
      const message = result.status === 400 ? t(lang, 'err_phone') : failure(result);
      if (message) { setError(message, input); input.focus(); }
      return;
    }
    codeStep({ purpose, phone: phoneNumber, resend: () => call('/user-authenticators/sms', { phoneNumber }) });
  });
  const intro = purpose === 'change'
    ? t(lang, 'intro_change', { phone: phoneText(config.phone) })
    : t(lang, 'intro_enrol');
  show(t(lang, purpose === 'change' ? 'title_change' : 'title_enrol'), {}, h('p', { class: 'muted' }, intro), form);
}

function codeStep({ purpose, phone, resend }) {
  sentAt = Date.now();
  const n = config.codeLength || 6;
  const input = h('input', {
    id: 'code', name: 'code', class: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]*', maxlength: n, required: true, spellcheck: 'false',
  });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'verify' }, t(lang, 'verify'));
  const resendButton = h('button', { type: 'button', class: 'secondary', id: 'resend' }, t(lang, 'resend'));
  const other = purpose !== 'challenge'
    ? h('button', { type: 'button', class: 'link', id: 'other-number', onclick: () => phoneStep(purpose) }, t(lang, 'other_number'))
    : null;
  const form = h('form', { novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'code' }, t(lang, 'code_label', { n })), input),
    h('div', { class: 'actions' }, submit, resendButton, other, cancelButton()));

  const cooldown = (seconds) => {
    clearInterval(cooldownTimer);
    let left = seconds;
    const tick = () => {
      if (left <= 0) {
        clearInterval(cooldownTimer);
        resendButton.disabled = false;
        resendButton.textContent = t(lang, 'resend');
        return;
      }
      resendButton.disabled = true;
      resendButton.textContent = t(lang, 'resend_in', { s: left });
      left -= 1;
    };
    tick();
    cooldownTimer = setInterval(tick, 1000);
  };

  resendButton.addEventListener('click', async () => {
    resendButton.disabled = true;
    const result = await resend();
    if (!result.ok) {
      const message = failure(result);
      if (message) setError(message, input);
      cooldown(result.status === 429 ? result.retryAfter || 30 : 0);
      return;
    }
    sentAt = Date.now();
    input.value = '';
    setError('', input);
    statusLine.textContent = t(lang, 'code_sent', { phone: phoneText(purpose === 'challenge' ? config.phone : phone) });
    cooldown(config.resendCooldownSeconds || 30);
    input.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = input.value.replace(/\s+/g, '');
    if (!new RegExp('^[0-9]{' + n + '}$').test(code)) {
      setError(t(lang, 'err_code_format', { n }), input);
      input.focus();
      return;
    }
    submit.disabled = true;
    const result = await call('/verify/sms', { verificationCode: code });
    submit.disabled = false;
    if (!result.ok) {
      const message = failure(result);
      if (message) { setError(message, input); input.focus(); }
      return;
    }
    const answer = result.json;
    if (answer.isVerified) {
      clearInterval(cooldownTimer);
      token = answer.accessToken || token;
      verified(purpose);
      return;
    }
    if (answer.failureReason === 'MAX_ATTEMPTS_EXCEEDED') {
      if (purpose === 'challenge') {
        clearInterval(cooldownTimer);
        terminal('title_challenge', 'err_attempts');
        setError(t(lang, 'err_attempts', { app }));
        return;
      }
      setError(t(lang, 'err_attempts_enrol'), input);
    } else {
      const expired = Date.now() - sentAt > (config.codeLifetimeSeconds || 600) * 1000;
      setError(t(lang, expired ? 'err_expired' : 'err_wrong'), input);
    }
    input.select();
    input.focus();
  });

  show(t(lang, purpose === 'challenge' ? 'title_challenge' : purpose === 'change' ? 'title_change' : 'title_enrol'),
    { status: t(lang, 'code_sent', { phone: phoneText(purpose === 'challenge' ? config.phone : phone) }), focus: input },
    form);
  cooldown(config.resendCooldownSeconds || 30);
  webOtp(input, form);
}

/** Chromium's WebOTP: fills the code from an SMS that ends with "@<host> #<code>". */
function webOtp(input, form) {
  if (!('OTPCredential' in window) || framed) return;
  const abort = new AbortController();
  form.addEventListener('submit', () => abort.abort(), { once: true });
  navigator.credentials.get({ otp: { transport: ['sms'] }, signal: abort.signal })
    .then((otp) => { if (otp && otp.code) { input.value = otp.code; form.requestSubmit(); } })
    .catch(() => {});
}

function verified(purpose) {
  if (purpose === 'challenge' && config.next) {
    const next = h('button', { type: 'button', class: 'primary', id: 'next', onclick: () => phoneStep(config.next) },
      t(lang, config.next === 'change' ? 'next_change' : 'next_enrol'));
    const done = h('button', { type: 'button', class: 'secondary', id: 'continue', onclick: () => finish('challenge') }, t(lang, 'continue'));
    show(t(lang, 'done_challenge'), {}, h('div', { class: 'actions' }, next, done));
    return;
  }
  finish(purpose);
}

function finish(purpose) {
  const title = t(lang, purpose === 'enrol' ? 'done_enrol' : purpose === 'change' ? 'done_change' : 'done_challenge');
  if (target && targetOrigin) {
    show(title, {}, h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'));
    post({ event: 'AUTHSIGNAL_CLOSE_POPUP', token });
    return;
  }
  if (config.redirectUrl) {
    show(title, { status: t(lang, 'done_return', { app }) }, h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'));
    const url = new URL(config.redirectUrl);
    url.searchParams.set('token', token);
    location.assign(url.toString());
    return;
  }
  show(title, {}, h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'), h('p', { class: 'muted' }, t(lang, 'done_close', { app })));
}

// ----- start -----

function start() {
  if (config.error) {
    const texts = {
      link_used: 'link_used_text', link_expired: 'back_text', link_invalid: 'back_text', not_found: 'back_text',
      not_allowed: 'back_text', nothing_to_do: 'nothing_to_do_text',
    };
    terminal(config.error === 'not_found' ? 'link_invalid' : config.error, texts[config.error] || 'back_text');
  } else if ((framed || launchedAsPopup) && !(target && targetOrigin)) {
    // Framed or opened by a site that is not configured: show nothing it could use, send nothing.
    show(t(lang, 'opener_not_allowed'), {}, h('p', { class: 'muted' }, t(lang, 'opener_not_allowed_text')));
  } else if (config.mode === 'challenge') {
    startChallenge();
  } else {
    phoneStep(config.mode);
  }
  post({ event: 'AUTHSIGNAL_READY' });
  if (framed && targetOrigin && 'ResizeObserver' in window) {
    new ResizeObserver(reportHeight).observe(document.getElementById('widget_container'));
  }
}

start();
