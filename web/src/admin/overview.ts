import type { BusinessReport, VitrineClient } from '../../../src/client/index.js';
import { admin } from '../core/api.js';
import { async, h, replace, type Child } from '../core/dom.js';
import { duration, money, num, pct, shortDay } from '../core/format.js';
import type { PageContext } from '../core/router.js';
import { barChart } from '../charts/bar-chart.js';
import { lineChart, type Series } from '../charts/line-chart.js';

/**
 * The business at a glance (GET /api/metrics/business): totals, then CTR,
 * conversion and average order value by day and by variant, each with its
 * interval (Wilson for rates, t for means), and the service's own health.
 */
type Day = BusinessReport['days'][number];
const DAY_MS = 86_400_000;

function tile(label: string, value: string, note: string, testid: string): HTMLElement {
  return h('div', { class: 'kpi', 'data-testid': testid }, h('span', { class: 'kpi-label' }, label), h('strong', { class: 'kpi-value' }, value), h('span', { class: 'kpi-note muted' }, note));
}

function totals(r: BusinessReport): HTMLElement {
  const sum = (f: (v: BusinessReport['variants'][number]) => number): number => r.variants.reduce((a, v) => a + f(v), 0);
  const impressions = sum((v) => v.impressions);
  const clicks = sum((v) => v.clicks);
  const shoppers = sum((v) => v.shoppers);
  const buyers = sum((v) => v.buyers);
  const orders = sum((v) => v.orders);
  const revenue = sum((v) => v.revenue);
  const clv = shoppers > 0 ? sum((v) => v.clv * v.shoppers) / shoppers : 0;
  return h(
    'div',
    { class: 'kpis' },
    tile('Impressions', num(impressions), `${num(shoppers)} shoppers shown a slate`, 'kpi-impressions'),
    tile('Click-through rate', pct(impressions ? clicks / impressions : 0, 2), `${num(clicks)} clicks`, 'kpi-ctr'),
    tile('Conversion', pct(shoppers ? buyers / shoppers : 0, 1), `${num(buyers)} buyers`, 'kpi-conversion'),
    tile('Average order value', money(orders ? revenue / orders : 0), `${num(orders)} orders`, 'kpi-aov'),
    tile('Revenue per shopper', money(shoppers ? revenue / shoppers : 0), `${money(revenue)} in all`, 'kpi-revenue'),
    tile('Lifetime value (CLV)', money(clv), 'per shopper, estimate', 'kpi-clv'),
  );
}

/** One series per variant (in the order of the totals, so colours match across charts); days where `has` is false are left out. */
function byDay(days: Day[], names: string[], pick: (d: Day) => { y: number; lo?: number; hi?: number }, has: (d: Day) => boolean = () => true): Series[] {
  return names.map((name) => ({ name, points: days.filter((d) => d.variant === name && has(d)).map((d) => ({ x: Date.parse(`${d.day}T00:00:00Z`), ...pick(d) })) }));
}

/** lo/hi when both are finite (a day with one order has no interval). */
const interval = (i: { lo: number; hi: number }): { lo?: number; hi?: number } => (Number.isFinite(i.lo) && Number.isFinite(i.hi) ? { lo: i.lo, hi: i.hi } : {});

function panel(title: string, note: string, chart: HTMLElement): HTMLElement {
  return h('section', { class: 'panel' }, h('header', null, h('h3', null, title), h('span', { class: 'muted small' }, note)), chart);
}

function charts(r: BusinessReport): HTMLElement {
  const day = (v: number): string => shortDay(v);
  const rate = (v: number): string => pct(v, 1);
  const variants = r.variants;
  const names = variants.map((v) => v.variant);
  const conf = `${Math.round(r.confidence * 100)}% intervals`;
  return h(
    'div',
    { class: 'panels' },
    panel('Click-through rate by day', conf, lineChart({ series: byDay(r.days, names, (d) => ({ y: d.ctr.rate, lo: d.ctr.lo, hi: d.ctr.hi }), (d) => d.impressions > 0), yFormat: rate, xFormat: day, zero: true, label: 'CTR by day', testid: 'chart-ctr' })),
    panel('Conversion by day', conf, lineChart({ series: byDay(r.days, names, (d) => ({ y: d.conversion.rate, lo: d.conversion.lo, hi: d.conversion.hi }), (d) => d.shoppers > 0), yFormat: rate, xFormat: day, zero: true, label: 'Conversion by day', testid: 'chart-conversion' })),
    panel('Average order value by day', conf, lineChart({ series: byDay(r.days, names, (d) => ({ y: d.aov.mean, ...interval(d.aov) }), (d) => d.orders > 0), yFormat: (v) => money(v), xFormat: day, zero: true, label: 'Average order value by day', testid: 'chart-aov' })),
    panel('Revenue by day', 'sum of orders', lineChart({ series: byDay(r.days, names, (d) => ({ y: d.revenue })), yFormat: (v) => money(v), xFormat: day, zero: true, label: 'Revenue by day', testid: 'chart-revenue' })),
    panel('CTR by variant', conf, barChart({ bars: variants.map((v, i) => ({ label: v.variant, value: v.ctr.rate, lo: v.ctr.lo, hi: v.ctr.hi, colour: i })), format: (v) => pct(v, 1), label: 'CTR by variant', testid: 'chart-ctr-variant' })),
    panel('Conversion by variant', conf, barChart({ bars: variants.map((v, i) => ({ label: v.variant, value: v.conversion.rate, lo: v.conversion.lo, hi: v.conversion.hi, colour: i })), format: (v) => pct(v, 0), label: 'Conversion by variant', testid: 'chart-conversion-variant' })),
    panel('Average order value by variant', conf, barChart({ bars: variants.map((v, i) => ({ label: v.variant, value: v.aov.mean, lo: v.aov.lo, hi: v.aov.hi, colour: i })), format: (v) => money(v), label: 'AOV by variant', testid: 'chart-aov-variant' })),
    panel('Customer lifetime value by variant', 'estimate', barChart({ bars: variants.map((v, i) => ({ label: v.variant, value: v.clv, colour: i })), format: (v) => money(v), label: 'CLV by variant', testid: 'chart-clv-variant' })),
  );
}

async function service(api: VitrineClient): Promise<Child> {
  const s = (await api.serviceMetrics()) as {
    uptimeSeconds: number;
    eventsAcknowledged: number;
    liveStreams: number;
    model: string | null;
    routes: { route: string; requests: number; errors: number; p50Ms: number; p99Ms: number }[];
    candidateCache?: { enabled: boolean; hits: number; misses: number };
  };
  const routes = [...s.routes].sort((a, b) => b.requests - a.requests).slice(0, 8);
  const c = s.candidateCache;
  const lookups = c === undefined ? 0 : c.hits + c.misses;
  const cache = c === undefined ? '' : !c.enabled ? ' · candidate cache off' : lookups > 0 ? ` · ${pct(c.hits / lookups, 0)} of feeds from kept candidates` : '';
  return h(
    'section',
    { class: 'panel' },
    h('header', null, h('h3', null, 'Service'), h('span', { class: 'muted small' }, `up ${duration(s.uptimeSeconds)} · model ${s.model ?? 'none'} · ${num(s.eventsAcknowledged)} events since start · ${s.liveStreams} live feeds${cache}`)),
    h(
      'table',
      { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, 'route'), h('th', { class: 'num' }, 'requests'), h('th', { class: 'num' }, 'errors'), h('th', { class: 'num' }, 'p50 ms'), h('th', { class: 'num' }, 'p99 ms'))),
      h('tbody', null, routes.map((r) => h('tr', null, h('td', null, h('code', null, r.route)), h('td', { class: 'num' }, num(r.requests)), h('td', { class: 'num' }, num(r.errors)), h('td', { class: 'num' }, r.p50Ms.toFixed(2)), h('td', { class: 'num' }, r.p99Ms.toFixed(2))))),
    ),
  );
}

export async function render(_ctx: PageContext): Promise<Child> {
  const api = admin()!;
  const body = h('div', { class: 'stack' });
  const windowSel = h('select', { 'aria-label': 'Window', 'data-testid': 'window' }, [7, 14, 30, 90].map((d) => h('option', { value: d, selected: d === 30 }, `last ${d} days`)));
  const load = async (): Promise<void> => {
    const from = new Date(Date.now() - Number(windowSel.value) * DAY_MS).toISOString();
    const r = await api.businessMetrics({ from });
    replace(body, totals(r), r.variants.length === 0 ? h('p', { class: 'muted' }, 'No slates shown in this window yet: browse the storefront and come back.') : charts(r), h('p', { class: 'muted small' }, `CLV: ${r.clvAssumptions}.`));
  };
  windowSel.addEventListener('change', () => void load());
  await load();
  return [h('div', { class: 'toolbar' }, h('p', { class: 'muted' }, 'Shown slates, clicks and orders attributed to them, by day and by variant (the model or experiment arm that made the slate).'), windowSel), body, async(() => service(api))];
}
