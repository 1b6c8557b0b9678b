import { h, svg } from '../core/dom.js';
import { colourOf, linear } from './scale.js';

/**
 * Horizontal bars with optional interval whiskers and a zero line, for
 * comparisons: a metric by variant with its interval, a lift against the
 * control with its interval (crossing zero = not significant), offline
 * metrics by model.
 */
export interface Bar {
  label: string;
  value: number;
  lo?: number;
  hi?: number;
  /** Colour index (default: the bar's position). */
  colour?: number;
  note?: string;
}

export interface BarChartOptions {
  bars: Bar[];
  format: (v: number) => string;
  label: string;
  testid?: string;
}

const W = 640;
const ROW = 30;
const M = { top: 8, right: 90, bottom: 22, left: 120 };

export function barChart(o: BarChartOptions): HTMLElement {
  if (o.bars.length === 0) return h('div', { class: 'chart chart-empty', 'data-testid': o.testid ?? 'bars' }, h('p', { class: 'muted' }, 'No data yet.'));
  const H = M.top + M.bottom + ROW * o.bars.length;
  const vals = o.bars.flatMap((b) => [b.value, b.lo ?? b.value, b.hi ?? b.value, 0]);
  const x = linear(Math.min(...vals), Math.max(...vals), M.left, W - M.right, true, 4);
  const zero = x(0);
  const grid = x.ticks.map((t) => svg('g', null, svg('line', { x1: x(t), x2: x(t), y1: M.top, y2: H - M.bottom, class: t === 0 ? 'axis' : 'grid' }), svg('text', { x: x(t), y: H - 6, class: 'tick', 'text-anchor': 'middle' }, o.format(t))));
  const rows = o.bars.map((b, i) => {
    const yc = M.top + ROW * i + ROW / 2;
    const c = colourOf(b.colour ?? i);
    const a = Math.min(zero, x(b.value));
    const whisker = b.lo !== undefined && b.hi !== undefined
      ? svg('g', { class: 'whisker' }, svg('line', { x1: x(b.lo), x2: x(b.hi), y1: yc, y2: yc }), svg('line', { x1: x(b.lo), x2: x(b.lo), y1: yc - 6, y2: yc + 6 }), svg('line', { x1: x(b.hi), x2: x(b.hi), y1: yc - 6, y2: yc + 6 }))
      : null;
    return svg(
      'g',
      null,
      svg('text', { x: M.left - 8, y: yc + 4, class: 'label', 'text-anchor': 'end' }, b.label),
      svg('rect', { x: a, y: yc - 9, width: Math.max(1, Math.abs(x(b.value) - zero)), height: 18, rx: 3, fill: c, opacity: 0.85 }, svg('title', null, `${b.label}: ${o.format(b.value)}${b.lo !== undefined ? ` [${o.format(b.lo)}, ${o.format(b.hi!)}]` : ''}${b.note ? ` · ${b.note}` : ''}`)),
      whisker,
      svg('text', { x: W - M.right + 8, y: yc + 4, class: 'value' }, o.format(b.value)),
    );
  });
  return h('figure', { class: 'chart', 'data-testid': o.testid ?? 'bars' }, svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.label, class: 'chart-svg' }, grid, rows));
}
