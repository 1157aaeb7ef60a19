// DOM helpers. Every user-controlled string reaches the page through textContent or an attribute
// set with setAttribute; nothing here (or anywhere in the dashboard) parses HTML from strings, so a
// stored "<script>" or "<img onerror>" is shown as text and never runs.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function applyAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'href') {
      el.setAttribute('href', safeHref(value));
    } else if (key === 'externalHref') {
      el.setAttribute('href', safeExternalHref(value));
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/**
 * A link to another site the operator configured (the trace backend): an absolute http or https
 * URL only, never javascript: or data:; anything else becomes a dead link.
 */
function safeExternalHref(value) {
  try {
    const url = new URL(String(value));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : '#/';
  } catch {
    return '#/';
  }
}

/** Only in-app links (#/...) and same-origin paths; anything else becomes a dead link. */
function safeHref(value) {
  const text = String(value);
  return text.startsWith('#/') || (text.startsWith('/') && !text.startsWith('//')) ? text : '#/';
}

/** h('div', {class: 'x'}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

// ---- formatting -------------------------------------------------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function fmtClock(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : timeOnly.format(d);
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 0) return 'in ' + duration(-seconds * 1000);
  if (seconds < 5) return 'just now';
  return duration(seconds * 1000) + ' ago';
}

export function duration(millis) {
  if (millis === null || millis === undefined || Number.isNaN(millis)) return '—';
  const ms = Number(millis);
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60_000) return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0) + ' s';
  if (ms < 3_600_000) return Math.floor(ms / 60_000) + ' min ' + Math.round((ms % 60_000) / 1000) + ' s';
  if (ms < 86_400_000) return Math.floor(ms / 3_600_000) + ' h ' + Math.round((ms % 3_600_000) / 60_000) + ' min';
  return Math.floor(ms / 86_400_000) + ' d ' + Math.round((ms % 86_400_000) / 3_600_000) + ' h';
}

export function pct(rate) {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return (rate * 100).toFixed(rate >= 0.995 || rate === 0 ? 0 : 1) + '%';
}

export function num(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat().format(n);
}

/** A coloured badge for a state or outcome; the class is picked from a fixed list, never from data. */
export function badge(value, title) {
  const text = value === null || value === undefined || value === '' ? '—' : String(value);
  return h('span', { class: ['badge', 'badge-' + tone(text)], title }, text);
}

const TONES = {
  good: ['SUCCESS', 'VERIFIED', 'CLAIMED', 'DELIVERED', 'ALLOW', 'CHALLENGE_SUCCEEDED', 'REVIEW_SUCCEEDED', 'UP', 'CLOSED'],
  bad: ['FAILURE', 'FAILED', 'BLOCK', 'BLOCKED', 'CHALLENGE_FAILED', 'REVIEW_FAILED', 'REJECTED', 'EXPIRED', 'DOWN', 'UNDELIVERABLE', 'TAMPERED', 'CRITICAL', 'OPEN', 'FORCED_OPEN'],
  warn: ['REVIEW_REQUIRED', 'REVIEW', 'WARNING', 'NOTICE', 'HALF_OPEN'],
  info: ['PENDING', 'SENT', 'CHALLENGE_REQUIRED', 'CHALLENGE', 'ACCEPTED', 'BUFFERED'],
};

function tone(text) {
  for (const [name, values] of Object.entries(TONES)) {
    if (values.includes(text)) return name;
  }
  return 'neutral';
}

/** A definition list from [label, value] pairs; values may be nodes or strings. */
export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(Boolean).map(([label, value]) => [h('dt', null, label), h('dd', null, value ?? '—')]));
}

export function empty(title, hint) {
  return h('div', { class: 'empty' }, h('div', { class: 'empty-title' }, title), hint ? h('p', null, hint) : null);
}

export function errorBox(error, retry) {
  const status = error && error.status ? 'HTTP ' + error.status + (error.code ? ' · ' + error.code : '') : null;
  return h('div', { class: 'error', role: 'alert' },
    h('strong', null, error && error.title ? error.title : 'Something went wrong'),
    h('p', null, error && error.message ? error.message : String(error)),
    status ? h('p', { class: 'muted small' }, status) : null,
    retry ? h('button', { class: 'btn', type: 'button', onclick: retry }, 'Try again') : null);
}

export function loading(label = 'Loading…') {
  return h('div', { class: 'loading', 'aria-busy': 'true' }, h('span', { class: 'spinner' }), label);
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/** An in-app route with path segments encoded (ids are user-controlled). */
export function route(...segments) {
  return '#/' + segments.map((x) => encodeURIComponent(String(x))).join('/');
}
