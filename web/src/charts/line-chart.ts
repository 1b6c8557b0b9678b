import { h, svg } from '../core/dom.js';
import { colourOf, linear } from './scale.js';

/**
 * A line chart over time with one line per series and, when points carry
 * an interval, a shaded band for it (e.g. a daily CTR with its 95% Wilson
 * interval). Plain SVG, scaled to its container; each point has a tooltip.
 */
export interface Point {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

export interface Series {
  name: string;
  points: Point[];
}

export interface LineChartOptions {
  series: Series[];
  yFormat: (v: number) => string;
  xFormat: (v: number) => string;
  /** Start the y axis at zero (rates, money). */
  zero?: boolean;
  height?: number;
  testid?: string;
  label: string;
}

const W = 640;
const M = { top: 12, right: 16, bottom: 28, left: 56 };

export function lineChart(o: LineChartOptions): HTMLElement {
  const H = o.height ?? 220;
  const all = o.series.flatMap((s) => s.points);
  if (all.length === 0) return h('div', { class: 'chart chart-empty', 'data-testid': o.testid ?? 'chart' }, h('p', { class: 'muted' }, 'No data in this window yet.'));
  const xs = all.map((p) => p.x);
  const ys = all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const x = linear(x0, x1 === x0 ? x0 + 1 : x1, M.left, W - M.right, false);
  const y = linear(o.zero ? Math.min(0, ...ys) : Math.min(...ys), Math.max(...ys), H - M.bottom, M.top, true, 4);
  const grid = y.ticks.map((t) => svg('g', null, svg('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: 'grid' }), svg('text', { x: M.left - 8, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, o.yFormat(t))));
  const days = [...new Set(xs)].sort((a, b) => a - b);
  const every = Math.max(1, Math.ceil(days.length / 7));
  const xticks = days.filter((_, i) => i % every === 0).map((d) => svg('text', { x: x(d), y: H - 8, class: 'tick', 'text-anchor': 'middle' }, o.xFormat(d)));
  const layers = o.series.map((s, i) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const c = colourOf(i);
    const band = pts.every((p) => p.lo !== undefined && p.hi !== undefined) && pts.length > 1
      ? svg('path', { d: `M${pts.map((p) => `${x(p.x)},${y(p.hi!)}`).join('L')}L${[...pts].reverse().map((p) => `${x(p.x)},${y(p.lo!)}`).join('L')}Z`, fill: c, opacity: 0.12 })
      : null;
    const line = svg('path', { d: `M${pts.map((p) => `${x(p.x)},${y(p.y)}`).join('L')}`, fill: 'none', stroke: c, 'stroke-width': 2, 'stroke-linejoin': 'round' });
    const dots = pts.map((p) => svg('circle', { cx: x(p.x), cy: y(p.y), r: pts.length > 20 ? 2 : 3, fill: c }, svg('title', null, `${s.name} · ${o.xFormat(p.x)}: ${o.yFormat(p.y)}${p.lo !== undefined ? ` [${o.yFormat(p.lo)}, ${o.yFormat(p.hi!)}]` : ''}`)));
    return svg('g', null, band, line, dots);
  });
  const legend = h('div', { class: 'legend' }, o.series.map((s, i) => h('span', null, h('i', { style: `background:${colourOf(i)}` }), s.name)));
  return h(
    'figure',
    { class: 'chart', 'data-testid': o.testid ?? 'chart' },
    legend,
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.label, class: 'chart-svg' }, grid, xticks, layers),
  );
}
