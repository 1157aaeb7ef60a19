// Small SVG charts drawn with DOM calls (no library, no inline script or style): a time series of
// lines and a horizontal bar chart. Each point and bar carries a <title> for a native tooltip.
import { h, s } from './dom.js';

const W = 640;
const PAD = { top: 14, right: 16, bottom: 28, left: 52 };

function niceMax(value) {
  if (!(value > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(value)));
  // Multiples that split into four readable steps (0.25, 0.5, 1, 1.5, 2 of the power of ten).
  for (const m of [1, 2, 4, 6, 8, 10]) {
    if (value <= m * exp) return m * exp;
  }
  return 10 * exp;
}

function timeLabel(date, spanMillis) {
  if (spanMillis > 3 * 86_400_000) {
    return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  }
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function legend(series) {
  return h('div', { class: 'legend' },
    series.map((x) => h('span', { class: 'legend-item' }, h('span', { class: ['swatch', 'c-' + x.color] }), x.name)));
}

/**
 * Lines over time. series: [{name, color ('a'..'f'), points: [{t: Date, y: number|null}]}];
 * options: {format(y), max (fixed y max, e.g. 1 for rates), integer (whole-number axis), height,
 * kind: 'line'|'bar', from/to (Dates: the x domain, so a quiet period still shows its span), step
 * (bucket length in ms, for bar widths)}.
 */
export function timeChart(series, options = {}) {
  const height = options.height || 200;
  const format = options.format || ((y) => String(y));
  const all = series.flatMap((x) => x.points).filter((p) => p.y !== null && p.y !== undefined);
  const times = series.flatMap((x) => x.points.map((p) => p.t.getTime()));
  if (all.length === 0 || times.length === 0) {
    return h('div', { class: 'chart-empty' }, options.emptyText || 'No data in this period yet.');
  }
  const step = options.step || 0;
  const t0 = options.from ? Math.min(options.from.getTime(), ...times) : Math.min(...times);
  const t1 = options.to ? Math.max(options.to.getTime() - step, ...times) : Math.max(...times);
  const span = Math.max(t1 - t0, 1);
  const top = Math.max(...all.map((p) => p.y));
  // A whole-number axis gets four whole steps (0, 2, 4, 6, 8 rather than 0, 2.5, 5, ...).
  const yMax = options.max || (options.integer ? Math.max(4, Math.ceil(top / 4) * 4) : niceMax(top));
  const iw = W - PAD.left - PAD.right;
  const ih = height - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + (t1 === t0 ? iw / 2 : ((t - t0) / span) * iw);
  const y = (v) => PAD.top + ih - (v / yMax) * ih;

  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart', role: 'img', 'aria-label': options.label || 'chart' });
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    svg.appendChild(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.appendChild(s('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, format(v)));
  }
  const ticks = options.from ? 6 : Math.min(6, new Set(times).size);
  for (let i = 0; i < ticks; i++) {
    const t = ticks === 1 ? t0 : t0 + (span * i) / (ticks - 1);
    const anchor = ticks > 1 && i === 0 ? 'start' : ticks > 1 && i === ticks - 1 ? 'end' : 'middle';
    svg.appendChild(s('text', { x: x(t), y: height - 8, class: 'axis', 'text-anchor': anchor }, timeLabel(new Date(t), span)));
  }

  if (options.kind === 'bar') {
    const slots = step ? Math.max(1, Math.round(span / step) + 1) : Math.max(new Set(times).size, 1);
    const slot = iw / slots;
    const bw = Math.min(22, Math.max(2, (slot * 0.8) / series.length));
    series.forEach((serie, si) => {
      for (const p of serie.points) {
        if (p.y === null || p.y === undefined) continue;
        const bx = Math.min(W - PAD.right - bw * series.length, Math.max(PAD.left, x(p.t.getTime()) - (bw * series.length) / 2)) + si * bw;
        const ty = y(p.y);
        svg.appendChild(s('rect', { x: bx, y: ty, width: bw, height: Math.max(0, PAD.top + ih - ty), class: 'bar c-' + serie.color },
          s('title', null, `${serie.name} · ${timeLabel(p.t, span)}: ${format(p.y)}`)));
      }
    });
  } else {
    for (const serie of series) {
      const pts = serie.points.filter((p) => p.y !== null && p.y !== undefined).sort((a, b) => a.t - b.t);
      if (pts.length > 1) {
        const d = pts.map((p, i) => (i ? 'L' : 'M') + x(p.t.getTime()).toFixed(1) + ' ' + y(p.y).toFixed(1)).join(' ');
        svg.appendChild(s('path', { d, class: 'line c-' + serie.color }));
      }
      for (const p of pts) {
        svg.appendChild(s('circle', { cx: x(p.t.getTime()), cy: y(p.y), r: 3, class: 'dot c-' + serie.color },
          s('title', null, `${serie.name} · ${timeLabel(p.t, span)}: ${format(p.y)}`)));
      }
    }
  }
  return h('figure', { class: 'chart-wrap' }, svg, series.length > 1 || options.legend ? legend(series) : null);
}

/**
 * Horizontal bars per category. rows: [{label, value, note}], options: {format, max, color}.
 */
export function barChart(rows, options = {}) {
  if (!rows.length) {
    return h('div', { class: 'chart-empty' }, options.emptyText || 'No data in this period yet.');
  }
  const format = options.format || ((v) => String(v));
  const max = options.max || niceMax(Math.max(...rows.map((r) => r.value || 0)));
  return h('div', { class: 'hbars' },
    rows.map((r) => {
      const fill = h('span', { class: ['hbar-fill', 'c-' + (options.color || 'a')] });
      // Widths set through the CSSOM, which a strict style-src allows (no inline style attribute).
      fill.style.width = Math.max(0, Math.min(100, ((r.value || 0) / max) * 100)) + '%';
      return h('div', { class: 'hbar', title: `${r.label}: ${format(r.value)}${r.note ? ' · ' + r.note : ''}` },
        h('span', { class: 'hbar-label' }, r.label),
        h('span', { class: 'hbar-track' }, fill),
        h('span', { class: 'hbar-value' }, r.value === null || r.value === undefined ? '—' : format(r.value)));
    }));
}
